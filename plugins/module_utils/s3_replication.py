# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 replication of a bucket: the option, its checks, how it is read, compared and written.

S3 keeps one replication configuration per bucket (an IAM role and its rules) and hands it back with
defaults filled in and filters spelt several ways, so both sides are put into one shape before they are
compared. What S3 would refuse, or accept and then never replicate (a source or destination without
versioning, a cross-region rule whose destination is in the source region, a replica key of another
region), is refused before the first write of the run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

STORAGE_CLASSES = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                   "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"]
REPLICATION_SPEC = dict(
    type="dict",
    options=dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        role=dict(type="str"),
        purge_rules=dict(type="bool", default=True),
        rules=dict(
            type="list",
            elements="dict",
            options=dict(
                id=dict(type="str", required=True),
                priority=dict(type="int", default=0),
                status=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
                prefix=dict(type="str"),
                tags=dict(type="dict"),
                destination_bucket=dict(type="str", required=True),
                destination_kms_key_id=dict(type="str"),
                storage_class=dict(type="str", choices=STORAGE_CLASSES),
                delete_marker_replication=dict(type="bool", default=False),
                replication_time_control=dict(type="bool", default=False),
                metrics=dict(type="bool"),
                cross_region=dict(type="bool", default=True),
            ),
        ),
    ),
    required_if=[("state", "present", ["role", "rules"])],
)
# Replication Time Control replicates 99.99 % of objects within 15 minutes; its metrics use the same threshold.
RTC_MINUTES = 15
NOT_CONFIGURED = "ReplicationConfigurationNotFoundError"


def destination_arn(bucket):
    """A destination given by name or ARN, as the ARN S3 stores."""
    return bucket if bucket.startswith("arn:") else "arn:aws:s3:::{0}".format(bucket)


def destination_name(bucket):
    return bucket.split(":::", 1)[-1]


def replication_problems(option, versioning):
    """What S3 would refuse in the O(replication) option itself, as a list of messages (no call needed)."""
    if not option or option["state"] == "absent":
        return []
    problems = []
    rules = option["rules"] or []
    if not rules:
        problems.append("replication.rules needs at least one rule; use replication.state=absent to remove replication.")
    if not (option["role"] or "").startswith("arn:"):
        problems.append("replication.role must be the ARN of the IAM role S3 replicates with.")
    if versioning == "suspended":
        problems.append("replication needs versioning: enabled on the source bucket.")
    ids = [r["id"] for r in rules]
    if len(ids) != len(set(ids)):
        problems.append("replication.rules ids must be unique.")
    priorities = [r["priority"] for r in rules]
    if len(priorities) != len(set(priorities)):
        problems.append("replication.rules priorities must be unique (S3 picks the rule of highest priority).")
    for rule in rules:
        name = "replication rule {0}".format(rule["id"])
        if rule["tags"] and rule["delete_marker_replication"]:
            problems.append(name + ": S3 does not replicate delete markers for rules with a tag filter.")
        if rule["replication_time_control"] and rule["metrics"] is False:
            problems.append(name + ": replication_time_control needs metrics.")
        key = rule["destination_kms_key_id"]
        if key and not (key.startswith("arn:") and (":key/" in key or ":alias/" in key)):
            problems.append(name + ": destination_kms_key_id must be a key or alias ARN of the destination region.")
    return problems


def aws_rule(rule):
    """One rule of the option in the shape PutBucketReplication takes."""
    tags = rule["tags"] or {}
    prefix = rule["prefix"] or ""
    if tags and (prefix or len(tags) > 1):
        rule_filter = dict(And=dict(Tags=ansible_dict_to_boto3_tag_list(tags)))
        if prefix:
            rule_filter["And"]["Prefix"] = prefix
    elif tags:
        rule_filter = dict(Tag=ansible_dict_to_boto3_tag_list(tags)[0])
    else:
        rule_filter = dict(Prefix=prefix)
    destination = dict(Bucket=destination_arn(rule["destination_bucket"]))
    if rule["storage_class"]:
        destination["StorageClass"] = rule["storage_class"]
    if rule["destination_kms_key_id"]:
        destination["EncryptionConfiguration"] = dict(ReplicaKmsKeyID=rule["destination_kms_key_id"])
    if rule["replication_time_control"]:
        destination["ReplicationTime"] = dict(Status="Enabled", Time=dict(Minutes=RTC_MINUTES))
    if rule["replication_time_control"] or rule["metrics"]:
        destination["Metrics"] = dict(Status="Enabled", EventThreshold=dict(Minutes=RTC_MINUTES))
    aws = dict(
        ID=rule["id"],
        Priority=rule["priority"],
        Status=rule["status"].capitalize(),
        Filter=rule_filter,
        DeleteMarkerReplication=dict(Status="Enabled" if rule["delete_marker_replication"] else "Disabled"),
        Destination=destination,
    )
    if rule["destination_kms_key_id"]:
        # Without it S3 skips SSE-KMS objects; with a replica key AWS requires it.
        aws["SourceSelectionCriteria"] = dict(SseKmsEncryptedObjects=dict(Status="Enabled"))
    return aws


def _enabled(value):
    return (value or {}).get("Status") == "Enabled"


def rule_summary(aws):
    """A rule as S3 returns it, in the shape of the option (what is compared, diffed and returned)."""
    rule_filter = aws.get("Filter") or {}
    both = rule_filter.get("And") or {}
    tags = boto3_tag_list_to_ansible_dict(both.get("Tags") or ([rule_filter["Tag"]] if "Tag" in rule_filter else []))
    prefix = rule_filter.get("Prefix", both.get("Prefix", aws.get("Prefix")))  # Prefix outside Filter: the V1 schema
    destination = aws.get("Destination") or {}
    rtc = _enabled(destination.get("ReplicationTime"))
    return dict(
        id=aws.get("ID"),
        priority=aws.get("Priority", 0),
        status=(aws.get("Status") or "").lower(),
        prefix=prefix or None,
        tags=tags or None,
        destination_bucket=destination.get("Bucket"),
        destination_kms_key_id=(destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"),
        storage_class=destination.get("StorageClass"),
        delete_marker_replication=_enabled(aws.get("DeleteMarkerReplication")),
        replication_time_control=rtc,
        metrics=_enabled(destination.get("Metrics")),
        sse_kms_encrypted_objects=_enabled((aws.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects")),
    )


def read_replication(client, name):
    """The bucket's replication as {role, rules} (rules in AWS's shape), or None when it has none."""
    try:
        config = client.get_bucket_replication(aws_retry=True, Bucket=name)["ReplicationConfiguration"]
    except is_boto3_error_code(NOT_CONFIGURED):
        return None
    return dict(role=config.get("Role"), rules=config.get("Rules") or [])


def wanted_replication(option, current):
    """The replication to have, in read_replication's shape; None removes it.

    With purge_rules false, current rules the option does not name are kept.
    """
    if option["state"] == "absent":
        return None
    rules = [aws_rule(r) for r in option["rules"]]
    if not option["purge_rules"] and current:
        named = set(r["ID"] for r in rules)
        rules = [r for r in current["rules"] if r.get("ID") not in named] + rules
    return dict(role=option["role"], rules=rules)


def summary(replication):
    """The replication in the option's shape, rules sorted by id: what is compared, diffed and returned."""
    if not replication:
        return None
    rules = sorted((rule_summary(r) for r in replication["rules"]), key=lambda r: r["id"] or "")
    return dict(role=replication["role"], rules=rules)


def replication_differs(want, have):
    return summary(want) != summary(have)


def write_replication(client, name, want):
    if want is None:
        return lambda: client.delete_bucket_replication(aws_retry=True, Bucket=name)
    config = dict(Role=want["role"], Rules=want["rules"])
    return lambda: client.put_bucket_replication(aws_retry=True, Bucket=name, ReplicationConfiguration=config)


def bucket_region(client, name):
    """The region of a bucket, or None when it does not exist: one HeadBucket (its BucketRegion), as S3 answers
    it for a bucket of any region; GetBucketLocation only where HeadBucket leaves the region out."""
    try:
        region = client.head_bucket(aws_retry=True, Bucket=name).get("BucketRegion")
    except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
        return None
    if region:
        return region
    location = client.get_bucket_location(aws_retry=True, Bucket=name).get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)


def destination_problems(client, rules, source_region, check_mode):
    """What S3 refuses, or never replicates, about the destinations of ``rules`` (the option's rules).

    Two reads per destination bucket: HeadBucket and GetBucketVersioning. A destination that does not
    exist yet passes in check mode, where the task that creates it may not have run.
    """
    problems = []
    regions = {}
    for rule in rules:
        bucket = destination_name(rule["destination_bucket"])
        name = "replication rule {0}".format(rule["id"])
        if bucket not in regions:
            regions[bucket] = bucket_region(client, bucket)
            if regions[bucket] is None:
                if not check_mode:
                    problems.append("{0}: destination bucket {1} does not exist.".format(name, bucket))
                continue
            status = client.get_bucket_versioning(aws_retry=True, Bucket=bucket).get("Status")
            if status != "Enabled":
                problems.append("{0}: destination bucket {1} needs versioning enabled.".format(name, bucket))
        region = regions[bucket]
        if region is None:
            continue
        if rule["cross_region"] and region == source_region:
            problems.append("{0}: destination bucket {1} is in the source region {2}; a cross-region rule needs "
                            "another region (cross_region=false for same-region replication).".format(name, bucket, region))
        key = rule["destination_kms_key_id"]
        if key and key.split(":")[3] != region:
            problems.append("{0}: destination_kms_key_id must be a key of the destination region {1}, not {2}.".format(
                name, region, key.split(":")[3]))
    return problems
