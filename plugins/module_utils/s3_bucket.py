# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading an S3 bucket's settings into the shape of the storagekit.aws s3_bucket options.

One Get call per setting, made only for the settings asked for, each retried by the client's decorator
(aws_retry=True): amazon.aws's own bucket readers retry neither ``SlowDown`` nor server errors. The client
of the s3_bucket module also retries ``NoSuchBucket``, which a bucket created a moment ago may still answer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import read_object_lock

PUBLIC_ACCESS_KEYS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}
TLS_ONLY_SID = "DenyInsecureTransport"
SETTINGS = (
    "versioning",
    "object_lock",
    "encryption",
    "public_access_block",
    "object_ownership",
    "policy",
    "lifecycle_rules",
    "cors_rules",
    "logging",
    "tags",
)

# The general purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket naming rules").
BUCKET_NAME_CHARACTERS = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_name_problem(name):
    """The naming rule ``name`` breaks, or None; AWS answers InvalidBucketName for each of them."""
    if not 3 <= len(name) <= 63:
        return "must be 3 to 63 characters long"
    if not BUCKET_NAME_CHARACTERS.match(name):
        return "may hold only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit"
    if ".." in name:
        return "must not contain two adjacent dots"
    if IP_ADDRESS.match(name):
        return "must not be formatted as an IP address"
    for prefix in RESERVED_PREFIXES:
        if name.startswith(prefix):
            return "must not start with the reserved prefix " + prefix
    for suffix in RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return "must not end with the reserved suffix " + suffix
    return None


def check_bucket_name(module, option, name):
    """Fail the module, naming the option and the rule, when ``name`` is not a valid bucket name."""
    problem = bucket_name_problem(name) if name is not None else None
    if problem:
        module.fail_json(msg="{0}: bucket name {1!r} is not valid: a bucket name {2}.".format(option, name, problem))


def bucket_arn(name):
    return "arn:aws:s3:::{0}".format(name)


def bucket_exists(client, name):
    try:
        client.head_bucket(aws_retry=True, Bucket=name)
        return True
    except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
        return False


def holds_objects(client, name):
    """Whether the bucket holds any object version or delete marker: one ListObjectVersions of one key."""
    sample = client.list_object_versions(aws_retry=True, Bucket=name, MaxKeys=1)
    return bool(sample.get("Versions") or sample.get("DeleteMarkers"))


def _get(call, key, not_configured, name, default=None):
    """``call(Bucket=name)[key]``; ``default`` when S3 answers ``not_configured``."""
    try:
        return call(aws_retry=True, Bucket=name).get(key, default)
    except is_boto3_error_code(not_configured):
        return default


def _get_lifecycle(client, name):
    return _get(client.get_bucket_lifecycle_configuration, "Rules", "NoSuchLifecycleConfiguration", name, [])


def _get_cors(client, name):
    return _get(client.get_bucket_cors, "CORSRules", "NoSuchCORSConfiguration", name, [])


def _get_policy(client, name):
    policy = _get(client.get_bucket_policy, "Policy", "NoSuchBucketPolicy", name)
    return json.loads(policy) if policy else None


def _get_tags(client, name):
    return boto3_tag_list_to_ansible_dict(_get(client.get_bucket_tagging, "TagSet", ["NoSuchTagSet", "NoSuchTagSetError"], name, []))


def read_versioning(client, name):
    status = _get(client.get_bucket_versioning, "Status", [], name)
    return {"Enabled": "enabled", "Suspended": "suspended"}.get(status, "disabled")


def read_encryption(client, name):
    config = _get(client.get_bucket_encryption, "ServerSideEncryptionConfiguration", "ServerSideEncryptionConfigurationNotFoundError", name)
    rules = (config or {}).get("Rules") or [{}]
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    return dict(
        algorithm=default.get("SSEAlgorithm"),
        kms_key_id=default.get("KMSMasterKeyID"),
        bucket_key_enabled=bool(rules[0].get("BucketKeyEnabled")),
    )


def read_public_access_block(client, name):
    config = _get(client.get_public_access_block, "PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration", name) or {}
    return dict((ours, bool(config.get(theirs))) for ours, theirs in PUBLIC_ACCESS_KEYS.items())


def read_object_ownership(client, name):
    controls = _get(client.get_bucket_ownership_controls, "OwnershipControls", ["OwnershipControlsNotFoundError", "NoSuchOwnershipControls"], name)
    rules = (controls or {}).get("Rules") or [{}]
    return rules[0].get("ObjectOwnership")


def read_logging(client, name):
    enabled = _get(client.get_bucket_logging, "LoggingEnabled", [], name)
    if not enabled:
        return dict(enabled=False)
    return dict(enabled=True, target_bucket=enabled.get("TargetBucket"), target_prefix=enabled.get("TargetPrefix", ""))


def read_settings(client, name, settings):
    """The bucket's ``settings`` (a subset of SETTINGS); lifecycle and CORS stay in AWS's own shape."""
    readers = dict(
        versioning=read_versioning,
        object_lock=read_object_lock,
        encryption=read_encryption,
        public_access_block=read_public_access_block,
        object_ownership=read_object_ownership,
        policy=_get_policy,
        lifecycle_rules=_get_lifecycle,
        cors_rules=_get_cors,
        logging=read_logging,
        tags=_get_tags,
    )
    return dict((setting, readers[setting](client, name)) for setting in settings)


def tls_only_statement(name):
    """The statement that refuses every request made without TLS."""
    return {
        "Sid": TLS_ONLY_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn(name), bucket_arn(name) + "/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
