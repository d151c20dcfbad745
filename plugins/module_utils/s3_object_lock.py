# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 Object Lock of a bucket: the option, its checks, how it is read and how it is written.

Object Lock can be turned on when a bucket is created (CreateBucket ObjectLockEnabledForBucket) or later
on a bucket with versioning enabled (PutObjectLockConfiguration); it can never be turned off, and its
bucket can never suspend versioning. So every refusal here happens before the first write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

OBJECT_LOCK_SPEC = dict(
    type="dict",
    options=dict(
        enabled=dict(type="bool", default=True),
        mode=dict(type="str", choices=["GOVERNANCE", "COMPLIANCE"], default="GOVERNANCE"),
        days=dict(type="int"),
        years=dict(type="int"),
    ),
    mutually_exclusive=[["days", "years"]],
)
NOT_CONFIGURED = "ObjectLockConfigurationNotFoundError"


def object_lock_problem(lock, versioning):
    """Why ``lock`` (the O(object_lock) option) cannot be applied with ``versioning``, or None."""
    if not lock or not lock["enabled"]:
        return None
    retention = lock["days"] if lock["days"] is not None else lock["years"]
    if retention is not None and retention < 1:
        return "object_lock.days or object_lock.years must be a positive number."
    if lock["mode"] == "COMPLIANCE" and retention is None:
        return ("object_lock.mode COMPLIANCE needs an explicit retention (object_lock.days or object_lock.years): "
                "nobody, not even the root user, can delete a locked version before it ends.")
    if versioning != "enabled":
        return "object_lock needs versioning: enabled (Object Lock protects object versions and never allows suspending versioning)."
    return None


def wanted_object_lock(lock):
    """The option in the shape read_object_lock gives; the mode only counts with a default retention."""
    if not lock["enabled"]:
        return dict(enabled=False)
    if lock["days"] is None and lock["years"] is None:
        return dict(enabled=True, mode=None, days=None, years=None)
    return dict(enabled=True, mode=lock["mode"], days=lock["days"], years=lock["years"])


def read_object_lock(client, name):
    """The bucket's Object Lock: enabled, and the mode and days or years of its default retention."""
    try:
        config = client.get_object_lock_configuration(aws_retry=True, Bucket=name)["ObjectLockConfiguration"]
    except is_boto3_error_code(NOT_CONFIGURED):
        return dict(enabled=False)
    retention = (config.get("Rule") or {}).get("DefaultRetention") or {}
    return dict(
        enabled=config.get("ObjectLockEnabled") == "Enabled",
        mode=retention.get("Mode"),
        days=retention.get("Days"),
        years=retention.get("Years"),
    )


def object_lock_differs(want, have):
    """Whether a write is needed; refusing to turn off a lock is refuse_disabling's job."""
    if not want["enabled"]:
        return False
    return want != dict(enabled=bool(have and have.get("enabled")), mode=(have or {}).get("mode"),
                        days=(have or {}).get("days"), years=(have or {}).get("years"))


def refuse_disabling(module, name, want, have):
    if not want["enabled"] and have and have.get("enabled"):
        module.fail_json(msg="S3 bucket {0} has Object Lock enabled, which can never be disabled; "
                             "remove object_lock.enabled=false.".format(name))


def object_lock_configuration(want):
    """The ObjectLockConfiguration of PutObjectLockConfiguration; without retention it removes the default one."""
    config = dict(ObjectLockEnabled="Enabled")
    if want["mode"]:
        retention = dict(Mode=want["mode"])
        retention.update(dict(Days=want["days"]) if want["days"] is not None else dict(Years=want["years"]))
        config["Rule"] = dict(DefaultRetention=retention)
    return config


def put_object_lock(client, name, want):
    return lambda: client.put_object_lock_configuration(
        aws_retry=True, Bucket=name, ObjectLockConfiguration=object_lock_configuration(want)
    )
