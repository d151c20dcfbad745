"""Bad input is refused before the first write, with a message naming the option and the rule.

One playbook holds every case of CASES, each in a block whose failure is rescued and that notes
when it started; the test then asserts, per case, that it was refused, that the message says why,
and that the endpoint's request log holds no write call from its start to the next case's start. The cases run
against modules and roles alike, as a user would run them with ansible-playbook.
"""

import json
import time

import pytest
import yaml

from .conftest import REPO, ansible_playbook

MISSING_SUBNET = "subnet-0123456789abcdef0"
ROLE_NETWORK = {"subnet_ids": "{{ bad_input_subnets }}", "security_group_ids": ["{{ bad_input_group }}"]}


def efs(**mount_target):
    return {"name": "bad-input-efs", "mount_targets": [dict({"subnet_id": "{{ bad_input_subnets[0] }}"}, **mount_target)]}


# (case id, module or "role:<name>", arguments or role variables, what the message must say)
CASES = [
    ("s3-bad-characters", "s3_bucket", {"name": "Bad_Bucket..Name"},
     "name: bucket name 'Bad_Bucket..Name' is not valid: a bucket name may hold only lowercase letters"),
    ("s3-too-short", "s3_bucket", {"name": "ab"}, "a bucket name must be 3 to 63 characters long"),
    ("s3-too-long", "s3_bucket", {"name": "a" * 64}, "a bucket name must be 3 to 63 characters long"),
    ("s3-adjacent-dots", "s3_bucket", {"name": "shop..data"}, "must not contain two adjacent dots"),
    ("s3-ip-address", "s3_bucket", {"name": "192.168.5.4"}, "must not be formatted as an IP address"),
    ("s3-xn-prefix", "s3_bucket", {"name": "xn--shop"}, "must not start with the reserved prefix xn--"),
    ("s3-alias-suffix", "s3_bucket", {"name": "shop-s3alias"}, "must not end with the reserved suffix -s3alias"),
    ("s3-mrap-suffix", "s3_bucket", {"name": "shop.mrap"}, "must not end with the reserved suffix .mrap"),
    ("s3-missing-kms-key", "s3_bucket",
     {"name": "bad-input-new", "encryption": {"algorithm": "aws:kms", "kms_key_id": "alias/does-not-exist"}},
     "encryption.kms_key_id: KMS key alias/does-not-exist was not found"),
    ("s3-disabled-kms-key-on-existing-bucket", "s3_bucket",
     {"name": "bad-input-existing", "versioning": "enabled",
      "encryption": {"algorithm": "aws:kms", "kms_key_id": "{{ bad_input_disabled_key }}"}},
     "is Disabled; the key must be Enabled"),
    ("s3-bad-logging-target", "s3_bucket",
     {"name": "bad-input-new", "logging": {"enabled": True, "target_bucket": "Logs_Bucket", "target_prefix": ""}},
     "logging.target_bucket: bucket name 'Logs_Bucket' is not valid"),
    ("s3-compliance-lock-without-retention", "s3_bucket",
     {"name": "bad-input-new", "versioning": "enabled", "object_lock": {"mode": "COMPLIANCE"}},
     "object_lock.mode COMPLIANCE needs an explicit retention"),
    ("s3-lock-without-versioning", "s3_bucket", {"name": "bad-input-new", "object_lock": {"days": 30}},
     "object_lock needs versioning: enabled"),
    ("s3-lock-turned-off", "s3_bucket", {"name": "bad-input-locked", "object_lock": {"enabled": False}},
     "S3 bucket bad-input-locked has Object Lock enabled, which can never be disabled"),
    ("s3-tiering-bad-bucket", "s3_bucket_intelligent_tiering",
     {"bucket": "UPPER-case", "configurations": [{"id": "archive", "archive_access_days": 90}]},
     "bucket: bucket name 'UPPER-case' is not valid"),
    ("s3-publish-bad-bucket", "s3_site_publish", {"bucket": "site_bucket", "source": str(REPO / "tests" / "demo_site")},
     "bucket: bucket name 'site_bucket' is not valid"),
    ("cloudfront-bad-origin-bucket", "cloudfront_s3_distribution",
     {"name": "bad-input-site", "origin_bucket": "Site.Bucket", "origin_access_control_id": "E2QWRUHEXAMPLE"},
     "origin_bucket: bucket name 'Site.Bucket' is not valid"),
    ("rds-storage-5", "rds_db_instance", {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 5},
     "allocated_storage must be from 20 to 65536 GiB for postgres on gp3 storage, not 5"),
    ("rds-version-99.99", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 20, "engine_version": "99.99"},
     "engine_version 99.99 is not a version of postgres that RDS offers"),
    ("rds-io1-below-100", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 50, "storage_type": "io1",
      "iops": 1000}, "allocated_storage must be from 100 to 65536 GiB for postgres on io1 storage"),
    ("rds-gp3-iops-above-range", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 500, "storage_type": "gp3",
      "iops": 70000}, "iops must be from 12000 to 64000 for gp3 storage"),
    ("rds-max-storage-above-range", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 100, "max_allocated_storage": 70000},
     "max_allocated_storage must be from 20 to 65536 GiB"),
    ("rds-magnetic-above-range", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 4000, "storage_type": "standard"},
     "allocated_storage must be from 5 to 3072 GiB for postgres on standard storage"),
    ("rds-disabled-kms-key", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 20,
      "kms_key_id": "{{ bad_input_disabled_key }}"}, "kms_key_id: KMS key arn:aws:kms:"),
    ("rds-missing-kms-key", "rds_db_instance",
     {"name": "bad-input-db", "instance_class": "db.t4g.micro", "allocated_storage": 20, "kms_key_id": "alias/nope"},
     "kms_key_id: KMS key alias/nope was not found"),
    ("dynamodb-disabled-kms-key", "dynamodb_table",
     {"name": "bad-input-table", "hash_key_name": "pk", "encryption": "customer_managed",
      "kms_key_id": "{{ bad_input_disabled_key }}"}, "is Disabled; the key must be Enabled"),
    ("dynamodb-missing-kms-key", "dynamodb_table",
     {"name": "bad-input-table", "hash_key_name": "pk", "encryption": "customer_managed", "kms_key_id": "alias/nope"},
     "kms_key_id: KMS key alias/nope was not found"),
    ("efs-missing-subnet", "efs_file_system", efs(subnet_id=MISSING_SUBNET),
     f"mount_targets: subnet {MISSING_SUBNET} was not found"),
    ("efs-security-group-of-another-vpc", "efs_file_system", efs(security_groups=["{{ bad_input_other_group }}"]),
     "not in the VPC of the mount targets"),
    ("efs-two-subnets-in-one-zone", "efs_file_system",
     {"name": "bad-input-efs",
      "mount_targets": [{"subnet_id": "{{ bad_input_subnets[0] }}"}, {"subnet_id": "{{ bad_input_same_zone_subnet }}"}]},
     "one mount target per Availability Zone"),
    ("efs-disabled-kms-key", "efs_file_system", {"name": "bad-input-efs", "kms_key_id": "{{ bad_input_disabled_key }}"},
     "is Disabled; the key must be Enabled"),
    ("elasticache-version-9.9", "elasticache_replication_group",
     {"name": "bad-input-cache", "node_type": "cache.t4g.micro", "engine_version": "9.9"},
     "engine_version 9.9 is not a version of valkey that ElastiCache offers"),
    ("elasticache-node-type-form", "elasticache_replication_group", {"name": "bad-input-cache", "node_type": "t4g.micro"},
     "node_type must look like cache.<family>.<size>"),
    ("elasticache-missing-kms-key", "elasticache_replication_group",
     {"name": "bad-input-cache", "node_type": "cache.t4g.micro", "kms_key_id": "alias/nope"},
     "kms_key_id: KMS key alias/nope was not found"),
    ("role-s3-buckets-bad-name", "role:s3_buckets", {"s3_buckets_buckets": [{"name": "Bad_Bucket..Name"}]},
     "bucket name 'Bad_Bucket..Name' is not valid"),
    ("role-s3-buckets-compliance-lock-without-retention", "role:s3_buckets",
     {"s3_buckets_buckets": [{"name": "bad-input-locked-role", "object_lock": {"mode": "COMPLIANCE"}}]},
     "object_lock.mode COMPLIANCE needs an explicit retention"),
    ("role-s3-buckets-lock-on-log-target", "role:s3_buckets",
     {"s3_buckets_buckets": [{"name": "bad-input-logs", "access_log_target": True, "object_lock": {"days": 1}}]},
     "no object_lock on an access_log_target bucket"),
    ("role-s3-buckets-negative-expiration", "role:s3_buckets",
     {"s3_buckets_buckets": [{"name": "bad-input-exp", "expiration": {"current_days": -1}}]},
     "expiration days of 0 or more"),
    ("role-rds-postgres-log-retention-45", "role:rds_postgres",
     {"rds_postgres_name": "bad-input-pg", "rds_postgres_log_retention_days": 45,
      "rds_postgres_subnet_ids": ROLE_NETWORK["subnet_ids"], "rds_postgres_security_group_ids": ROLE_NETWORK["security_group_ids"]},
     "rds_postgres_log_retention_days"),
    ("role-rds-postgres-storage-5", "role:rds_postgres",
     {"rds_postgres_name": "bad-input-pg", "rds_postgres_allocated_storage": 5,
      "rds_postgres_subnet_ids": ROLE_NETWORK["subnet_ids"], "rds_postgres_security_group_ids": ROLE_NETWORK["security_group_ids"]},
     "allocated_storage must be from 20 to 65536 GiB"),
    ("role-rds-postgres-version-99.99", "role:rds_postgres",
     {"rds_postgres_name": "bad-input-pg", "rds_postgres_engine_version": "99.99",
      "rds_postgres_subnet_ids": ROLE_NETWORK["subnet_ids"], "rds_postgres_security_group_ids": ROLE_NETWORK["security_group_ids"]},
     "engine_version 99.99 is not a version of postgres"),
    ("role-elasticache-version-9.9", "role:elasticache",
     {"elasticache_name": "bad-input-valkey", "elasticache_engine_version": "9.9",
      "elasticache_subnet_ids": ROLE_NETWORK["subnet_ids"], "elasticache_security_group_ids": ROLE_NETWORK["security_group_ids"]},
     "engine_version 9.9 is not a version of valkey"),
    ("role-elasticache-node-type", "role:elasticache",
     {"elasticache_name": "bad-input-valkey", "elasticache_node_type": "large",
      "elasticache_subnet_ids": ROLE_NETWORK["subnet_ids"], "elasticache_security_group_ids": ROLE_NETWORK["security_group_ids"]},
     "node_type must look like cache.<family>.<size>"),
    ("role-dynamodb-table-disabled-key", "role:dynamodb_table",
     {"dynamodb_table_tables": [{"name": "bad-input-orders", "hash_key_name": "pk"}],
      "dynamodb_table_kms_key_id": "{{ bad_input_disabled_key }}"},
     "is Disabled; the key must be Enabled"),
    ("role-backup-retention-before-cold-storage", "role:backup",
     {"backup_rules": [{"name": "monthly", "schedule": "cron(0 5 1 * ? *)", "cold_storage_after_days": 30,
                        "delete_after_days": 100}]},
     "rule monthly: retention (delete_after_days 100) must be at least cold_storage_after_days + 90 = 120"),
    ("role-backup-compliance-lock-without-retention", "role:backup",
     {"backup_vault_lock": {"mode": "compliance"}},
     "a compliance vault lock needs min_retention_days, max_retention_days and changeable_for_days"),
    ("role-backup-unknown-resource-type", "role:backup", {"backup_resource_types": ["RDS", "Floppy"]},
     "unknown resource type Floppy: backup_resource_types takes"),
    ("role-backup-copy-to-same-region", "role:backup",
     {"backup_aws_region": "us-east-1", "backup_copy_region": "us-east-1"},
     "backup_copy_region us-east-1 is the region of the vault: a disaster recovery copy must go to a second region"),
    ("role-backup-long-continuous", "role:backup",
     {"backup_rules": [{"name": "pitr", "schedule": "cron(0 5 ? * * *)", "continuous": True, "delete_after_days": 60}]},
     "rule pitr: continuous backup needs delete_after_days between 1 and 35"),
    ("backup-vault-deprecated-event", "backup_vault",
     {"name": "bad-input-vault", "notifications": {"sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:t",
                                                   "events": ["BACKUP_JOB_FAILED"]}},
     "AWS no longer sends the others): not BACKUP_JOB_FAILED"),
]


@pytest.fixture
def setup(aws, boto3_client):
    """A VPC with subnets in two zones (and a second subnet in the first zone), its security group, a security
    group of another VPC, a disabled KMS key, an existing bucket and one with Object Lock."""
    ec2 = boto3_client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.71.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
               for cidr, zone in (("10.71.0.0/20", "us-east-1a"), ("10.71.16.0/20", "us-east-1b"),
                                  ("10.71.32.0/20", "us-east-1a"))]
    group = ec2.create_security_group(VpcId=vpc, GroupName="data", Description="data")["GroupId"]
    other_vpc = ec2.create_vpc(CidrBlock="10.72.0.0/16")["Vpc"]["VpcId"]
    other_group = ec2.create_security_group(VpcId=other_vpc, GroupName="other", Description="other")["GroupId"]
    kms = boto3_client("kms")
    key = kms.create_key(Description="disabled")["KeyMetadata"]
    kms.disable_key(KeyId=key["KeyId"])
    boto3_client("s3").create_bucket(Bucket="bad-input-existing")
    boto3_client("s3").create_bucket(Bucket="bad-input-locked", ObjectLockEnabledForBucket=True)
    return {
        "bad_input_subnets": subnets[:2],
        "bad_input_same_zone_subnet": subnets[2],
        "bad_input_group": group,
        "bad_input_other_group": other_group,
        "bad_input_disabled_key": key["Arn"],
    }


def case_tasks(case_id, target, arguments):
    """The block of one case: when it started, the call, and its outcome as a fact."""
    if target.startswith("role:"):
        call = {"name": case_id, "ansible.builtin.include_role": {"name": "storagekit.aws." + target[5:]},
                "vars": arguments}
    else:
        call = {"name": case_id, "storagekit.aws." + target: arguments}
    started = {"ansible.builtin.set_fact": {"bad_input_started": "{{ now().timestamp() }}"}}
    record = {"ansible.builtin.set_fact": {"bad_input_results": "{{ bad_input_results | combine({"
              + json.dumps(case_id) + ": bad_input_outcome | combine({'started': bad_input_started})}) }}"}}
    return {
        "name": "Case " + case_id,
        "block": [started, call, {"ansible.builtin.set_fact": {"bad_input_outcome": {"refused": False, "msg": ""}}}],
        "rescue": [{
            "ansible.builtin.set_fact": {"bad_input_outcome": {"refused": True, "msg": "{{ bad_input_messages | join(' ') }}"}},
            "vars": {"bad_input_messages": (
                "{{ [ansible_failed_result.msg | default('')] + ansible_failed_result.results | default([])"
                " | selectattr('failed', 'defined') | selectattr('failed') | map(attribute='msg') | list }}")}}],
        "always": [record],
    }


@pytest.mark.newest_line_only
def test_bad_input_is_refused_before_any_write(aws, tmp_path, collections_path, setup, boto3_client):
    assert aws.url.startswith("http://127.0.0.1:")
    results_file = tmp_path / "results.json"
    play = {
        "name": "Bad input",
        "hosts": "localhost",
        "gather_facts": False,
        "vars": dict(setup, ansible_python_interpreter="{{ ansible_playbook_python }}", bad_input_results={}),
        "module_defaults": {"group/storagekit.aws.aws": {"endpoint_url": aws.url, "region": "us-east-1"}},
        "tasks": [
            *[case_tasks(case_id, target, arguments) for case_id, target, arguments, dummy in CASES],
            {"ansible.builtin.copy": {"content": "{{ bad_input_results | to_nice_json }}", "dest": str(results_file),
                                      "mode": "0644"}},
        ],
    }
    playbook = tmp_path / "bad_input.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    started = time.monotonic()
    run = ansible_playbook(playbook, collections_path, "ansible.builtin.default")
    elapsed = time.monotonic() - started
    assert run.returncode == 0, (run.stdout + run.stderr)[-5000:]
    results = json.loads(results_file.read_text())
    log = aws.requests()["requests"]
    failures = []
    starts = sorted(float(outcome["started"]) for outcome in results.values())
    for case_id, target, dummy, message in CASES:
        outcome = results[case_id]
        start = float(outcome["started"])
        until = min([s for s in starts if s > start] or [float("inf")])
        writes = [f'{e["service"]}:{e["operation"]}' for e in log if start <= e["time"] < until and e["write"]]
        if not outcome["refused"] or message not in outcome["msg"] or writes:
            failures.append((case_id, target, outcome, writes))
    assert not failures, failures
    assert len(CASES) >= 30
    # The EFS case with a subnet that does not exist leaves no file system behind.
    assert boto3_client("efs").describe_file_systems()["FileSystems"] == []
    print(f"{len(CASES)} bad inputs refused before any write in {elapsed:.1f} s")
