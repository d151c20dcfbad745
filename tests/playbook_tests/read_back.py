"""What a reference playbook made, read back from the endpoint as the AWS APIs describe it and normalized, so that
two runs of the same playbook can be compared: generated ids, timestamps and volatile values are replaced."""

import datetime
import json
import re

# Generated ids and the parts of ARNs, endpoints and names that carry them.
# UUIDs go first, in a pass of their own: inside "rds!db-<uuid>" the EC2 rule below would take a part of one.
_UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # KMS keys, table ids, secrets
_IDS = re.compile(
    r"\b[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,17}\b"  # EC2 (vpc-, subnet-, sg-, sgr-, vpc-cidr-assoc-, ...)
    r"|\b[A-Z0-9]{21}\b"  # IAM policy ids
    r"|\bdb-[A-Z0-9]{26}\b"  # DbiResourceId
    r"|-[A-Za-z0-9]{6}$"  # the random suffix of a Secrets Manager ARN
    r"|(?<=scalable-target/)[0-9a-z]+"  # Application Auto Scaling
    r"|(?<=\.)[0-9a-z]{6}(?=\.[a-z0-9]+\.cache\.amazonaws\.com)"  # the hash in ElastiCache endpoint names
    r"|\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"  # the loopback address of each real database and cache server
)
# Values that differ between two runs without saying anything about the state.
_VOLATILE = {
    "LatestStreamLabel", "LatestStreamArn", "StreamArn", "TableId", "ResponseMetadata", "ETag", "VersionId",
    "creationTime",  # CloudWatch Logs, in epoch milliseconds
}


def normalize(value):
    """``value`` with timestamps, generated ids and volatile keys replaced, lists of dicts sorted."""
    if isinstance(value, dict):
        # Keys too: secret version ids key SecretVersionsToStages.
        return {normalize(key): "<volatile>" if key in _VOLATILE else normalize(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [normalize(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return "<time>"
    if isinstance(value, str):
        return _IDS.sub("<id>", _UUIDS.sub("<uuid>", value))
    return value


def differences(before, after, path=""):
    """The paths at which two read-backs differ, with both values."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [d for key in sorted(set(before) | set(after))
                for d in differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after)) for d in differences(b, a, f"{path}[{i}]")]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"]


def _read_tables(client, autoscaling, name):
    tables = {}
    for table in client.list_tables()["TableNames"]:
        if not table.startswith(name):
            continue
        described = client.describe_table(TableName=table)["Table"]
        tables[table] = dict(
            table=described,
            backups=client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"],
            ttl=client.describe_time_to_live(TableName=table)["TimeToLiveDescription"],
            tags=client.list_tags_of_resource(ResourceArn=described["TableArn"])["Tags"],
        )
    scaling = autoscaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    policies = autoscaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]
    return dict(tables=tables, scalable_targets=scaling, scaling_policies=policies)


def _read_buckets(s3, name):
    buckets = {}
    for bucket in [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(name)]:
        buckets[bucket] = dict(
            versioning=s3.get_bucket_versioning(Bucket=bucket).get("Status"),
            encryption=s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"],
            public_access=s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
            ownership=s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"],
            policy=json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
            tags=s3.get_bucket_tagging(Bucket=bucket)["TagSet"],
        )
    return buckets


def _read_keys(kms):
    keys = {}
    for key in kms.list_keys()["Keys"]:
        metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if metadata["KeyManager"] != "CUSTOMER":
            continue
        aliases = sorted(a["AliasName"] for a in kms.list_aliases(KeyId=key["KeyId"])["Aliases"])
        keys[",".join(aliases) or key["KeyId"]] = dict(
            metadata=metadata,
            rotation=kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"],
            tags=kms.list_resource_tags(KeyId=key["KeyId"])["Tags"],
            policy=json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]),
        )
    return keys


def _read_policies(iam):
    policies = {}
    for policy in iam.list_policies(Scope="Local")["Policies"]:
        version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
        policies[policy["PolicyName"]] = dict(policy=policy, document=version["PolicyVersion"]["Document"])
    return policies


def read_back(boto3_client, name):
    """Everything the reference playbooks make, as the AWS APIs describe it, normalized."""
    state = dict(
        dynamodb=_read_tables(boto3_client("dynamodb"), boto3_client("application-autoscaling"), name),
        s3=_read_buckets(boto3_client("s3"), name),
        kms=_read_keys(boto3_client("kms")),
        iam=_read_policies(boto3_client("iam")),
        rds=boto3_client("rds").describe_db_instances()["DBInstances"],
        elasticache=boto3_client("elasticache").describe_replication_groups()["ReplicationGroups"],
        secrets=boto3_client("secretsmanager").list_secrets()["SecretList"],
        log_groups=boto3_client("logs").describe_log_groups()["logGroups"],
        ec2=dict(
            vpcs=[v for v in boto3_client("ec2").describe_vpcs()["Vpcs"] if not v["IsDefault"]],
            subnets=[s for s in boto3_client("ec2").describe_subnets()["Subnets"] if not s["DefaultForAz"]],
            security_groups=boto3_client("ec2").describe_security_groups()["SecurityGroups"],
        ),
    )
    return normalize(state)
