"""rds_db_instance: the exact API calls of create, replica, restore, update, promote and delete runs."""

import datetime
import json
import time

from ansible_collections.storagekit.aws.plugins.module_utils import rds_states
from ansible_collections.storagekit.aws.plugins.module_utils import waiting
from ansible_collections.storagekit.aws.plugins.modules import rds_db_instance

import pytest

NAME = "app-db"
ACCOUNT = "123456789012"
ARN = "arn:aws:rds:us-east-1:{0}:db:{1}".format(ACCOUNT, NAME)
KEY_ARN = "arn:aws:kms:us-east-1:{0}:key/0b7f3c9e-0000-4000-8000-000000000001".format(ACCOUNT)
OTHER_KEY_ARN = "arn:aws:kms:us-east-1:{0}:key/0b7f3c9e-0000-4000-8000-000000000002".format(ACCOUNT)
ROLE_ARN = "arn:aws:iam::{0}:role/rds-monitoring".format(ACCOUNT)
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:{0}:secret:rds!db-0a1b2c3d-AbCdEf".format(ACCOUNT)
CREATED = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)

BASE_ARGS = dict(
    name=NAME,
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=50,
    max_allocated_storage=200,
    multi_az=True,
    kms_key_id=KEY_ARN,
    master_user_secret_kms_key_id=KEY_ARN,
    db_subnet_group_name="app-db",
    vpc_security_group_ids=["sg-0123456789abcdef0"],
    db_parameter_group_name="app-db-postgres16",
    performance_insights_kms_key_id=KEY_ARN,
    monitoring_interval=60,
    monitoring_role_arn=ROLE_ARN,
    cloudwatch_logs_exports=["postgresql", "upgrade"],
    backup_retention_period=14,
    preferred_backup_window="03:00-04:00",
    preferred_maintenance_window="sun:05:00-sun:06:00",
    tags=dict(team="payments"),
)


@pytest.fixture
def clock(monkeypatch):
    """A clock for the waiting helper that moves only when it sleeps, so waits are instant and exact."""

    class Clock:
        def __init__(self):
            self.now = 0.0
            self.sleeps = []

        def monotonic(self):
            return self.now

        def sleep(self, seconds):
            self.sleeps.append(seconds)
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(waiting, "time", fake)
    return fake


@pytest.fixture(autouse=True)
def instant_waits(clock):
    """Every test waits on the fake clock."""
    return clock


def instance(status="available", name=NAME, **fields):
    """A DBInstance as DescribeDBInstances reports it, matching BASE_ARGS."""
    raw = dict(
        DBInstanceIdentifier=name,
        DBInstanceArn="arn:aws:rds:us-east-1:{0}:db:{1}".format(ACCOUNT, name),
        DBInstanceStatus=status,
        DBInstanceClass="db.t4g.medium",
        Engine="postgres",
        EngineVersion="16.4",
        MasterUsername="postgres",
        DBName="app",
        Endpoint=dict(Address="{0}.abcdefghijkl.us-east-1.rds.amazonaws.com".format(name), Port=5432),
        AllocatedStorage=64,  # grown by storage autoscaling from 50
        MaxAllocatedStorage=200,
        StorageType="gp3",
        Iops=3000,
        StorageThroughput=125,
        StorageEncrypted=True,
        KmsKeyId=KEY_ARN,
        MultiAZ=True,
        DBSubnetGroup=dict(DBSubnetGroupName="app-db", VpcId="vpc-0123"),
        VpcSecurityGroups=[dict(VpcSecurityGroupId="sg-0123456789abcdef0", Status="active")],
        DBParameterGroups=[dict(DBParameterGroupName="app-db-postgres16", ParameterApplyStatus="in-sync")],
        PubliclyAccessible=False,
        IAMDatabaseAuthenticationEnabled=True,
        PerformanceInsightsEnabled=True,
        PerformanceInsightsKMSKeyId=KEY_ARN,
        PerformanceInsightsRetentionPeriod=7,
        MonitoringInterval=60,
        MonitoringRoleArn=ROLE_ARN,
        EnabledCloudwatchLogsExports=["upgrade", "postgresql"],
        BackupRetentionPeriod=14,
        PreferredBackupWindow="03:00-04:00",
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        AutoMinorVersionUpgrade=True,
        CopyTagsToSnapshot=True,
        DeletionProtection=True,
        CACertificateIdentifier="rds-ca-rsa2048-g1",
        MasterUserSecret=dict(SecretArn=SECRET_ARN, SecretStatus="active", KmsKeyId=KEY_ARN),
        PendingModifiedValues={},
        InstanceCreateTime=CREATED,
        DbiResourceId="db-ABCDEFGHIJKLMNOPQRSTUVWXY",
        TagList=[dict(Key="team", Value="payments")],
    )
    raw.update(fields)
    return dict((k, v) for k, v in raw.items() if v is not None)


def expect_describe(stubs, raw, name=NAME):
    if raw is None:
        stubs["rds"].add_client_error(
            "describe_db_instances", "DBInstanceNotFound", http_status_code=404,
            expected_params=dict(DBInstanceIdentifier=name),
        )
    else:
        stubs["rds"].add_response(
            "describe_db_instances", dict(DBInstances=[raw]), dict(DBInstanceIdentifier=name)
        )


def expect_key(stubs, state="Enabled", key_id=KEY_ARN):
    """One KMS DescribeKey; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=key_id))
        return
    metadata = dict(KeyId=key_id.rsplit("/", 1)[-1], Arn=key_id, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId=key_id))


def expect_engine_versions(stubs, versions=("15.8", "16.4", "16.6", "17.2")):
    """The one DescribeDBEngineVersions listing that checks engine_version."""
    listed = [dict(Engine="postgres", EngineVersion=v) for v in versions]
    stubs["rds"].add_response("describe_db_engine_versions", dict(DBEngineVersions=listed), dict(Engine="postgres"))


def expect_modify(stubs, params, answer=None):
    stubs["rds"].add_response(
        "modify_db_instance", dict(DBInstance=answer or instance()), dict(DBInstanceIdentifier=NAME, **params)
    )


# ---- creation


SECURE_DEFAULTS = dict(
    Engine="postgres",
    MasterUsername="postgres",
    StorageType="gp3",
    StorageEncrypted=True,
    PubliclyAccessible=False,
    DeletionProtection=True,
    EnableIAMDatabaseAuthentication=True,
    EnablePerformanceInsights=True,
    BackupRetentionPeriod=7,
    CopyTagsToSnapshot=True,
    AutoMinorVersionUpgrade=True,
    ManageMasterUserPassword=True,
)


def test_create_from_scratch_gets_the_secure_defaults_and_waits_for_available(stubs, run_module, clock):
    expect_describe(stubs, None)
    created = instance(status="creating", MasterUserSecret=None, Endpoint=None)
    stubs["rds"].add_response(
        "create_db_instance",
        dict(DBInstance=created),
        dict(DBInstanceIdentifier=NAME, DBInstanceClass="db.t4g.medium", AllocatedStorage=50, **SECURE_DEFAULTS),
    )
    expect_describe(stubs, created)
    expect_describe(stubs, instance(status="backing-up"))
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, instance_class="db.t4g.medium", allocated_storage=50))
    assert result["changed"] is True
    assert result["db_instance"]["db_instance_status"] == "available"
    assert result["master_user_secret_arn"] == SECRET_ARN
    assert result["endpoint"] == dict(address="app-db.abcdefghijkl.us-east-1.rds.amazonaws.com", port=5432)
    assert "MasterUserPassword" not in json.dumps(result) and "master_user_password" not in json.dumps(result)
    assert clock.sleeps == [5.0, 5.0]


def test_create_with_every_option_passes_each_to_createdbinstance_then_sets_rotation(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)  # once for the three options that name it
    expect_engine_versions(stubs)
    params = dict(
        SECURE_DEFAULTS,
        DBInstanceIdentifier=NAME,
        EngineVersion="16",
        DBInstanceClass="db.t4g.medium",
        AllocatedStorage=50,
        MaxAllocatedStorage=200,
        MultiAZ=True,
        KmsKeyId=KEY_ARN,
        MasterUserSecretKmsKeyId=KEY_ARN,
        DBSubnetGroupName="app-db",
        VpcSecurityGroupIds=["sg-0123456789abcdef0"],
        DBParameterGroupName="app-db-postgres16",
        PerformanceInsightsKMSKeyId=KEY_ARN,
        MonitoringInterval=60,
        MonitoringRoleArn=ROLE_ARN,
        EnableCloudwatchLogsExports=["postgresql", "upgrade"],
        BackupRetentionPeriod=14,
        PreferredBackupWindow="03:00-04:00",
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        Tags=[dict(Key="team", Value="payments")],
    )
    stubs["rds"].add_response("create_db_instance", dict(DBInstance=instance(status="creating")), params)
    expect_describe(stubs, instance())
    secrets = stubs["secretsmanager"]
    secrets.add_response(
        "describe_secret",
        dict(ARN=SECRET_ARN, RotationEnabled=True, RotationRules=dict(AutomaticallyAfterDays=7)),
        dict(SecretId=SECRET_ARN),
    )
    secrets.add_response(
        "rotate_secret",
        dict(ARN=SECRET_ARN, Name="rds!db-0a1b2c3d"),
        dict(SecretId=SECRET_ARN, RotationRules=dict(AutomaticallyAfterDays=30), RotateImmediately=False),
    )
    args = dict(BASE_ARGS, master_user_secret_rotation=dict(automatically_after_days=30))
    result = run_module(rds_db_instance, args)
    assert result["changed"] is True
    assert result["db_instance"]["tags"] == dict(team="payments")


def test_check_mode_create_makes_only_reads_and_predicts_the_instance(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    expect_engine_versions(stubs)
    args = dict(BASE_ARGS, master_user_secret_rotation=dict(automatically_after_days=30))
    result = run_module(rds_db_instance, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["db_instance"]["db_instance_status"] == "creating"
    assert result["db_instance"]["db_instance_class"] == "db.t4g.medium"
    assert result["db_instance"]["tags"] == dict(team="payments")
    assert result["diff"]["before"]["instance"] is None
    settings = result["diff"]["after"]["instance"]["settings"]
    assert result["diff"]["after"]["instance"]["operation"] == "CreateDBInstance"
    assert settings["ManageMasterUserPassword"] is True and "MasterUserPassword" not in settings
    assert settings["StorageEncrypted"] is True and settings["DeletionProtection"] is True
    assert result["diff"]["after"]["master_user_secret_rotation"] == dict(AutomaticallyAfterDays=30)
    assert sorted(stubs.clients) == ["kms", "rds"]


@pytest.mark.parametrize("state, message", [
    (None, "kms_key_id: KMS key {0} was not found; the key must exist and be Enabled.".format(KEY_ARN)),
    ("Disabled", "kms_key_id: KMS key {0} is Disabled; the key must be Enabled.".format(KEY_ARN)),
])
def test_create_with_a_key_that_cannot_be_used_is_refused_before_createdbinstance(stubs, run_module, state, message):
    expect_describe(stubs, None)
    expect_key(stubs, state)
    result = run_module(rds_db_instance, BASE_ARGS, expect_failure=True)
    assert result["msg"] == message


def test_create_with_an_engine_version_rds_does_not_offer_is_refused(stubs, run_module):
    expect_describe(stubs, None)
    expect_engine_versions(stubs)
    args = dict(name=NAME, instance_class="db.t4g.medium", allocated_storage=50, engine_version="99.99")
    result = run_module(rds_db_instance, args, expect_failure=True)
    assert result["msg"] == "engine_version 99.99 is not a version of postgres that RDS offers (DescribeDBEngineVersions)."


def test_upgrade_to_an_engine_version_rds_does_not_offer_is_refused_before_modify(stubs, run_module):
    expect_describe(stubs, instance())
    expect_engine_versions(stubs)
    result = run_module(rds_db_instance, dict(name=NAME, engine_version="16.99"), expect_failure=True)
    assert "engine_version 16.99 is not a version of postgres" in result["msg"]


def test_a_new_performance_insights_key_is_checked_before_modify(stubs, run_module):
    expect_describe(stubs, instance())
    expect_key(stubs, "PendingDeletion", OTHER_KEY_ARN)
    args = dict(name=NAME, performance_insights_kms_key_id=OTHER_KEY_ARN)
    result = run_module(rds_db_instance, args, expect_failure=True)
    assert result["msg"] == "performance_insights_kms_key_id: KMS key {0} is PendingDeletion; the key must be Enabled.".format(
        OTHER_KEY_ARN)


def test_create_from_scratch_needs_class_and_storage(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(rds_db_instance, dict(name=NAME), expect_failure=True)
    assert result["msg"] == "Creating a DB instance needs instance_class and allocated_storage."


# ---- runs against an existing instance


def test_the_instance_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs found no instance; RDS refuses the second CreateDBInstance of the identifier."""
    expect_describe(stubs, None)
    stubs["rds"].add_client_error(
        "create_db_instance", "DBInstanceAlreadyExists", http_status_code=400,
        expected_params=dict(DBInstanceIdentifier=NAME, DBInstanceClass="db.t4g.medium", AllocatedStorage=50, **SECURE_DEFAULTS),
    )
    expect_describe(stubs, instance(status="creating"))
    result = run_module(rds_db_instance, dict(name=NAME, instance_class="db.t4g.medium", allocated_storage=50, wait=False))
    assert result["changed"] is True
    assert result["db_instance"]["db_instance_status"] == "creating"


def test_no_change_run_reads_the_instance_once(stubs, run_module):
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, BASE_ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert list(stubs.clients) == ["rds"]  # no DescribeSecret, no DescribeKey
    assert result["master_user_secret_arn"] == SECRET_ARN
    assert result["pending_modified_values"] == {}


def test_no_change_run_with_rotation_reads_the_secret_once(stubs, run_module):
    expect_describe(stubs, instance())
    stubs["secretsmanager"].add_response(
        "describe_secret",
        dict(ARN=SECRET_ARN, RotationEnabled=True, RotationRules=dict(AutomaticallyAfterDays=30)),
        dict(SecretId=SECRET_ARN),
    )
    args = dict(BASE_ARGS, master_user_secret_rotation=dict(automatically_after_days=30))
    result = run_module(rds_db_instance, args)
    assert result["changed"] is False


def test_rotation_schedule_change_uses_rotatesecret_without_rotating_now(stubs, run_module):
    expect_describe(stubs, instance())
    secrets = stubs["secretsmanager"]
    secrets.add_response(
        "describe_secret",
        dict(ARN=SECRET_ARN, RotationEnabled=True, RotationRules=dict(AutomaticallyAfterDays=7)),
        dict(SecretId=SECRET_ARN),
    )
    schedule = dict(ScheduleExpression="cron(0 4 ? * SUN *)", Duration="3h")
    secrets.add_response(
        "rotate_secret",
        dict(ARN=SECRET_ARN, Name="rds!db-0a1b2c3d"),
        dict(SecretId=SECRET_ARN, RotationRules=schedule, RotateImmediately=False),
    )
    rotation = dict(schedule_expression="cron(0 4 ? * SUN *)", duration="3h")
    result = run_module(rds_db_instance, dict(name=NAME, master_user_secret_rotation=rotation), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["master_user_secret_rotation"] == dict(AutomaticallyAfterDays=7)
    assert result["diff"]["after"]["master_user_secret_rotation"] == schedule


def test_unset_options_are_neither_read_nor_written(stubs, run_module):
    drifted = instance(BackupRetentionPeriod=1, PubliclyAccessible=True, TagList=[dict(Key="x", Value="y")])
    expect_describe(stubs, drifted)
    result = run_module(rds_db_instance, dict(name=NAME))
    assert result["changed"] is False
    assert result["db_instance"]["tags"] == dict(x="y")


def test_drift_is_put_back_with_one_modify_and_shown_in_the_diff(stubs, run_module):
    expect_describe(stubs, instance(BackupRetentionPeriod=7, PreferredBackupWindow="05:00-06:00"))
    expect_modify(
        stubs,
        dict(ApplyImmediately=True, BackupRetentionPeriod=14, PreferredBackupWindow="03:00-04:00"),
        answer=instance(status="modifying"),
    )
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(BASE_ARGS, apply_immediately=True), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(
        settings=dict(backup_retention_period=7, preferred_backup_window="05:00-06:00")
    )
    assert result["diff"]["after"] == dict(
        settings=dict(backup_retention_period=14, preferred_backup_window="03:00-04:00", applied="immediately")
    )
    assert result["db_instance"]["db_instance_status"] == "available"


def test_check_mode_update_predicts_change_without_writing(stubs, run_module):
    expect_describe(stubs, instance(DBInstanceClass="db.t4g.small", TagList=[]))
    result = run_module(rds_db_instance, BASE_ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["settings"] == dict(instance_class="db.t4g.small")
    assert result["diff"]["after"]["settings"] == dict(
        instance_class="db.t4g.medium", applied="in the next maintenance window: instance_class"
    )
    assert result["diff"]["after"]["tags"] == dict(team="payments")
    assert result["db_instance"]["tags"] == dict(team="payments")


def test_deferred_change_is_requested_for_the_window_and_waited_for_once(stubs, run_module):
    expect_describe(stubs, instance(DBInstanceClass="db.t4g.small"))
    pending = instance(DBInstanceClass="db.t4g.small", PendingModifiedValues=dict(DBInstanceClass="db.t4g.medium"))
    expect_modify(stubs, dict(ApplyImmediately=False, DBInstanceClass="db.t4g.medium"), answer=pending)
    expect_describe(stubs, pending)
    result = run_module(rds_db_instance, dict(name=NAME, instance_class="db.t4g.medium"), diff=True)
    assert result["changed"] is True
    assert result["pending_modified_values"] == dict(db_instance_class="db.t4g.medium")
    assert result["diff"]["after"]["settings"]["applied"] == "in the next maintenance window: instance_class"


def test_change_already_pending_for_the_window_is_not_requested_again(stubs, run_module):
    pending = instance(DBInstanceClass="db.t4g.small", PendingModifiedValues=dict(DBInstanceClass="db.t4g.medium"))
    expect_describe(stubs, pending)
    result = run_module(rds_db_instance, dict(name=NAME, instance_class="db.t4g.medium", apply_immediately=False))
    assert result["changed"] is False


def test_storage_below_the_autoscaled_size_is_not_a_change(stubs, run_module):
    expect_describe(stubs, instance(AllocatedStorage=120))
    result = run_module(rds_db_instance, dict(name=NAME, allocated_storage=50))
    assert result["changed"] is False


def test_storage_growth_is_written(stubs, run_module):
    expect_describe(stubs, instance())
    expect_modify(stubs, dict(ApplyImmediately=True, AllocatedStorage=100))
    expect_describe(stubs, instance(AllocatedStorage=100))
    result = run_module(rds_db_instance, dict(name=NAME, allocated_storage=100, apply_immediately=True))
    assert result["changed"] is True


def test_storage_type_change_carries_the_current_size(stubs, run_module):
    expect_describe(stubs, instance(StorageType="gp2", Iops=None, StorageThroughput=None))
    expect_modify(stubs, dict(ApplyImmediately=True, StorageType="gp3", AllocatedStorage=64))
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, storage_type="gp3", apply_immediately=True))
    assert result["changed"] is True


@pytest.mark.parametrize("version", ["16", "16.4", "16.2", "15"])
def test_engine_version_matching_or_older_than_the_current_is_not_a_change(stubs, run_module, version):
    expect_describe(stubs, instance(EngineVersion="16.4"))
    result = run_module(rds_db_instance, dict(name=NAME, engine_version=version))
    assert result["changed"] is False


def test_minor_upgrade_is_requested(stubs, run_module):
    expect_describe(stubs, instance())
    expect_engine_versions(stubs)
    expect_modify(stubs, dict(ApplyImmediately=False, EngineVersion="16.6"))
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, engine_version="16.6"))
    assert result["changed"] is True


def test_major_upgrade_is_refused_without_allow_major_version_upgrade(stubs, run_module):
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, engine_version="17"), expect_failure=True)
    assert result["msg"] == (
        "Upgrading app-db from 16.4 to 17 is a major version upgrade; set allow_major_version_upgrade."
    )


def test_major_upgrade_with_allow_major_version_upgrade(stubs, run_module):
    expect_describe(stubs, instance())
    expect_engine_versions(stubs)
    expect_modify(
        stubs, dict(ApplyImmediately=True, EngineVersion="17", AllowMajorVersionUpgrade=True),
        answer=instance(status="upgrading"),
    )
    expect_describe(stubs, instance(status="upgrading"))
    expect_describe(stubs, instance(EngineVersion="17.2"))
    args = dict(name=NAME, engine_version="17", allow_major_version_upgrade=True, apply_immediately=True)
    result = run_module(rds_db_instance, args)
    assert result["changed"] is True
    assert result["db_instance"]["engine_version"] == "17.2"


def test_log_exports_are_enabled_and_disabled_as_lists(stubs, run_module):
    expect_describe(stubs, instance(EnabledCloudwatchLogsExports=["postgresql"]))
    expect_modify(
        stubs,
        dict(
            ApplyImmediately=False,
            CloudwatchLogsExportConfiguration=dict(EnableLogTypes=["upgrade"], DisableLogTypes=["postgresql"]),
        ),
    )
    expect_describe(stubs, instance(EnabledCloudwatchLogsExports=["upgrade"]))
    result = run_module(rds_db_instance, dict(name=NAME, cloudwatch_logs_exports=["upgrade"]), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["settings"] == dict(cloudwatch_logs_exports=["postgresql"])
    assert result["diff"]["after"]["settings"]["applied"] == "immediately"


def test_kms_alias_is_resolved_once_and_compared_with_the_arn(stubs, run_module):
    expect_describe(stubs, instance())
    stubs["kms"].add_response(
        "describe_key", dict(KeyMetadata=dict(KeyId=KEY_ARN.rsplit("/", maxsplit=1)[-1], Arn=KEY_ARN)), dict(KeyId="alias/app-db")
    )
    args = dict(
        name=NAME, kms_key_id="alias/app-db", performance_insights_kms_key_id="alias/app-db",
        master_user_secret_kms_key_id="alias/app-db",
    )
    result = run_module(rds_db_instance, args)
    assert result["changed"] is False


def test_kms_key_differing_from_the_creation_key_fails_before_any_write(stubs, run_module):
    expect_describe(stubs, instance(DBInstanceClass="db.t4g.small"))
    args = dict(name=NAME, kms_key_id=OTHER_KEY_ARN, instance_class="db.t4g.medium")
    result = run_module(rds_db_instance, args, expect_failure=True)
    assert result["msg"].startswith("kms_key_id of DB instance app-db is '{0}' and cannot be changed".format(KEY_ARN))


def test_db_name_differing_fails_before_any_write(stubs, run_module):
    expect_describe(stubs, instance(BackupRetentionPeriod=1))
    result = run_module(rds_db_instance, dict(BASE_ARGS, db_name="other"), expect_failure=True)
    assert "db_name of DB instance app-db is 'app' and cannot be changed to 'other'" in result["msg"]


def test_instance_without_managed_password_is_switched_to_it(stubs, run_module):
    expect_describe(stubs, instance(MasterUserSecret=None))
    expect_modify(
        stubs,
        dict(ApplyImmediately=False, ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=KEY_ARN),
        answer=instance(status="modifying", MasterUserSecret=None),
    )
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, master_user_secret_kms_key_id=KEY_ARN), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["settings"] == dict(master_user_password="set by the user")
    assert result["diff"]["after"]["settings"]["master_user_password"] == "managed by RDS in Secrets Manager"
    assert result["master_user_secret_arn"] == SECRET_ARN


def test_tags_are_added_and_purged(stubs, run_module):
    # One tag to set: compare_aws_tags builds the tags to set from a set, in no fixed order.
    expect_describe(stubs, instance(TagList=[dict(Key="team", Value="old"), dict(Key="stale", Value="x")]))
    stubs["rds"].add_response("remove_tags_from_resource", {}, dict(ResourceName=ARN, TagKeys=["stale"]))
    stubs["rds"].add_response(
        "add_tags_to_resource", {}, dict(ResourceName=ARN, Tags=[dict(Key="team", Value="payments")])
    )
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, tags=dict(team="payments")), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == dict(team="old", stale="x")
    assert result["diff"]["after"]["tags"] == dict(team="payments")
    assert result["db_instance"]["tags"] == dict(team="payments")


def test_tags_are_kept_without_purge_tags(stubs, run_module):
    expect_describe(stubs, instance(TagList=[dict(Key="stale", Value="x")]))
    stubs["rds"].add_response(
        "add_tags_to_resource", {}, dict(ResourceName=ARN, Tags=[dict(Key="team", Value="payments")])
    )
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, tags=dict(team="payments"), purge_tags=False))
    assert result["changed"] is True


# ---- replicas, restores, promotion


REPLICA = "app-db-replica-1"


def test_read_replica_waits_for_its_source_and_gets_only_what_createdbinstancereadreplica_accepts(
    stubs, run_module
):
    expect_describe(stubs, None, name=REPLICA)
    expect_describe(stubs, instance(status="backing-up"))
    expect_describe(stubs, instance())
    replica = dict(
        MasterUserSecret=None, ReadReplicaSourceDBInstanceIdentifier=NAME, BackupRetentionPeriod=0,
        PreferredMaintenanceWindow="mon:01:00-mon:01:30", DBInstanceClass="db.t4g.large",
    )
    stubs["rds"].add_response(
        "create_db_instance_read_replica",
        dict(DBInstance=instance(status="creating", name=REPLICA, **replica)),
        dict(
            DBInstanceIdentifier=REPLICA,
            SourceDBInstanceIdentifier=NAME,
            DBInstanceClass="db.t4g.large",
            StorageType="gp3",
            PubliclyAccessible=False,
            DeletionProtection=True,
            EnableIAMDatabaseAuthentication=True,
            EnablePerformanceInsights=True,
            CopyTagsToSnapshot=True,
            AutoMinorVersionUpgrade=True,
            Tags=[dict(Key="team", Value="payments")],
        ),
    )
    expect_describe(stubs, instance(status="creating", name=REPLICA, **replica), name=REPLICA)
    expect_describe(stubs, instance(name=REPLICA, **replica), name=REPLICA)
    # The maintenance window is not a CreateDBInstanceReadReplica parameter: one ModifyDBInstance sets it,
    # without a password switch, since a replica has none of its own.
    modified = dict(replica)
    modified.update(PreferredMaintenanceWindow="sun:05:00-sun:06:00")
    stubs["rds"].add_response(
        "modify_db_instance",
        dict(DBInstance=instance(name=REPLICA, **modified)),
        dict(DBInstanceIdentifier=REPLICA, ApplyImmediately=False, PreferredMaintenanceWindow="sun:05:00-sun:06:00"),
    )
    expect_describe(stubs, instance(name=REPLICA, **modified), name=REPLICA)
    args = dict(
        name=REPLICA, source_db_instance_identifier=NAME, instance_class="db.t4g.large",
        preferred_maintenance_window="sun:05:00-sun:06:00", tags=dict(team="payments"),
    )
    result = run_module(rds_db_instance, args)
    assert result["changed"] is True
    assert result["db_instance"]["read_replica_source_db_instance_identifier"] == NAME
    assert "master_user_secret_arn" not in result


def test_existing_read_replica_is_not_switched_to_a_managed_password(stubs, run_module):
    replica = instance(name=REPLICA, MasterUserSecret=None, ReadReplicaSourceDBInstanceIdentifier=NAME)
    expect_describe(stubs, replica, name=REPLICA)
    result = run_module(rds_db_instance, dict(name=REPLICA, source_db_instance_identifier=NAME))
    assert result["changed"] is False


def test_check_mode_replica_does_not_wait_for_its_source(stubs, run_module):
    expect_describe(stubs, None, name=REPLICA)
    result = run_module(rds_db_instance, dict(name=REPLICA, source_db_instance_identifier=NAME), check_mode=True)
    assert result["changed"] is True
    assert result["db_instance"]["source_db_instance_identifier"] == NAME


def test_replica_of_a_missing_source_fails(stubs, run_module):
    expect_describe(stubs, None, name=REPLICA)
    expect_describe(stubs, None)
    result = run_module(rds_db_instance, dict(name=REPLICA, source_db_instance_identifier=NAME), expect_failure=True)
    assert result["msg"] == "Source DB instance app-db does not exist."


RESTORED = "app-db-restored"
# Settings RestoreDBInstance* do not take: applied with one ModifyDBInstance once the instance is available.
LEFTOVER_ARGS = dict(
    preferred_maintenance_window="sun:05:00-sun:06:00",
    monitoring_interval=60,
    monitoring_role_arn=ROLE_ARN,
    performance_insights_retention_period=31,
)
LEFTOVER_MODIFY = dict(
    DBInstanceIdentifier=RESTORED,
    ApplyImmediately=False,
    PreferredMaintenanceWindow="sun:05:00-sun:06:00",
    MonitoringInterval=60,
    MonitoringRoleArn=ROLE_ARN,
    PerformanceInsightsRetentionPeriod=31,
)
RESTORE_DEFAULTS = dict(
    Engine="postgres",
    StorageType="gp3",
    PubliclyAccessible=False,
    DeletionProtection=True,
    EnableIAMDatabaseAuthentication=True,
    BackupRetentionPeriod=7,
    CopyTagsToSnapshot=True,
    AutoMinorVersionUpgrade=True,
    ManageMasterUserPassword=True,
    DBSubnetGroupName="app-db",
)


def expect_leftovers_applied_after_available(stubs):
    restored = instance(
        name=RESTORED, MonitoringInterval=0, MonitoringRoleArn=None, PreferredMaintenanceWindow="mon:01:00-mon:02:00"
    )
    expect_describe(stubs, instance(status="creating", name=RESTORED), name=RESTORED)
    expect_describe(stubs, restored, name=RESTORED)
    stubs["rds"].add_response(
        "modify_db_instance", dict(DBInstance=instance(status="modifying", name=RESTORED)), LEFTOVER_MODIFY
    )
    expect_describe(stubs, instance(name=RESTORED), name=RESTORED)


def test_restore_from_snapshot_applies_the_leftover_settings_once_available(stubs, run_module):
    expect_describe(stubs, None, name=RESTORED)
    stubs["rds"].add_response(
        "restore_db_instance_from_db_snapshot",
        dict(DBInstance=instance(status="creating", name=RESTORED)),
        dict(RESTORE_DEFAULTS, DBInstanceIdentifier=RESTORED, DBSnapshotIdentifier="app-db-final-20261122101500"),
    )
    expect_leftovers_applied_after_available(stubs)
    args = dict(
        LEFTOVER_ARGS, name=RESTORED, restore_from_snapshot="app-db-final-20261122101500",
        db_subnet_group_name="app-db",
    )
    result = run_module(rds_db_instance, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["instance"]["operation"] == "RestoreDBInstanceFromDBSnapshot"
    assert result["diff"]["after"]["settings"]["monitoring_interval"] == 60


def test_restore_to_point_in_time_applies_the_leftover_settings_once_available(stubs, run_module):
    expect_describe(stubs, None, name=RESTORED)
    stubs["rds"].add_response(
        "restore_db_instance_to_point_in_time",
        dict(DBInstance=instance(status="creating", name=RESTORED)),
        dict(
            RESTORE_DEFAULTS, SourceDBInstanceIdentifier=NAME, TargetDBInstanceIdentifier=RESTORED,
            UseLatestRestorableTime=True,
        ),
    )
    expect_leftovers_applied_after_available(stubs)
    args = dict(
        LEFTOVER_ARGS, name=RESTORED, db_subnet_group_name="app-db",
        restore_to_point_in_time=dict(source_db_instance_identifier=NAME, use_latest_restorable_time=True),
    )
    result = run_module(rds_db_instance, args)
    assert result["changed"] is True


def test_restore_to_a_point_in_time_passes_the_time(stubs, run_module):
    expect_describe(stubs, None, name=RESTORED)
    stubs["rds"].add_response(
        "restore_db_instance_to_point_in_time",
        dict(DBInstance=instance(status="creating", name=RESTORED)),
        dict(
            RESTORE_DEFAULTS, SourceDBInstanceIdentifier=NAME, TargetDBInstanceIdentifier=RESTORED,
            RestoreTime="2026-11-20T10:00:00Z", DBSubnetGroupName="app-db",
        ),
    )
    args = dict(
        name=RESTORED, db_subnet_group_name="app-db", wait=False,
        restore_to_point_in_time=dict(source_db_instance_identifier=NAME, restore_time="2026-11-20T10:00:00Z"),
    )
    result = run_module(rds_db_instance, args)
    assert result["changed"] is True
    assert result["db_instance"]["db_instance_status"] == "creating"


def test_promote_turns_a_replica_into_a_standalone_instance(stubs, run_module):
    expect_describe(stubs, instance(name=REPLICA, ReadReplicaSourceDBInstanceIdentifier=NAME), name=REPLICA)
    stubs["rds"].add_response(
        "promote_read_replica", dict(DBInstance=instance(status="modifying", name=REPLICA)),
        dict(DBInstanceIdentifier=REPLICA),
    )
    expect_describe(stubs, instance(name=REPLICA), name=REPLICA)
    result = run_module(rds_db_instance, dict(name=REPLICA, promote=True), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(replication=dict(source=NAME))
    assert result["diff"]["after"] == dict(replication=dict(source=None))
    assert "read_replica_source_db_instance_identifier" not in result["db_instance"]


def test_promote_of_a_standalone_instance_is_no_change(stubs, run_module):
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, promote=True))
    assert result["changed"] is False


def test_check_mode_promote_writes_nothing(stubs, run_module):
    expect_describe(stubs, instance(name=REPLICA, ReadReplicaSourceDBInstanceIdentifier=NAME), name=REPLICA)
    result = run_module(rds_db_instance, dict(name=REPLICA, promote=True), check_mode=True)
    assert result["changed"] is True
    assert "read_replica_source_db_instance_identifier" not in result["db_instance"]


# ---- deletion


def expect_gone(stubs, name=NAME):
    expect_describe(stubs, None, name=name)


def test_delete_is_refused_while_deletion_protection_is_on(stubs, run_module):
    expect_describe(stubs, instance())
    result = run_module(rds_db_instance, dict(name=NAME, state="absent"), expect_failure=True)
    assert result["msg"] == (
        "DB instance app-db has deletion protection on; run with deletion_protection=false to delete it."
    )


def test_delete_with_deletion_protection_false_turns_it_off_then_deletes_with_a_final_snapshot(
    stubs, run_module
):
    expect_describe(stubs, instance())
    expect_modify(
        stubs, dict(DeletionProtection=False, ApplyImmediately=True), answer=instance(DeletionProtection=False)
    )
    stubs["rds"].add_response(
        "delete_db_instance",
        dict(DBInstance=instance(status="deleting", DeletionProtection=False)),
        dict(DBInstanceIdentifier=NAME, DeleteAutomatedBackups=False, FinalDBSnapshotIdentifier="app-db-last"),
    )
    expect_describe(stubs, instance(status="deleting", DeletionProtection=False))
    expect_gone(stubs)
    args = dict(name=NAME, state="absent", deletion_protection=False, final_snapshot_identifier="app-db-last")
    result = run_module(rds_db_instance, args, diff=True)
    assert result["changed"] is True
    assert result["final_snapshot_identifier"] == "app-db-last"
    assert result["db_instance"] == {}
    assert result["diff"]["after"]["instance"] == dict(identifier=NAME, status="deleted", final_snapshot="app-db-last")


def test_final_snapshot_is_named_after_the_instance_and_the_utc_time(stubs, run_module, monkeypatch):
    deleted_at = time.gmtime(1795342500)  # 2026-11-22 10:15:00 UTC
    monkeypatch.setattr(rds_states.time, "gmtime", lambda *args: deleted_at)
    expect_describe(stubs, instance(DeletionProtection=False))
    stubs["rds"].add_response(
        "delete_db_instance",
        dict(DBInstance=instance(status="deleting")),
        dict(
            DBInstanceIdentifier=NAME, DeleteAutomatedBackups=True,
            FinalDBSnapshotIdentifier="app-db-final-20261122101500",
        ),
    )
    result = run_module(rds_db_instance, dict(name=NAME, state="absent", wait=False, delete_automated_backups=True))
    assert result["changed"] is True
    assert result["final_snapshot_identifier"] == "app-db-final-20261122101500"


def test_replica_is_deleted_without_a_final_snapshot(stubs, run_module):
    replica = instance(name=REPLICA, DeletionProtection=False, ReadReplicaSourceDBInstanceIdentifier=NAME)
    expect_describe(stubs, replica, name=REPLICA)
    stubs["rds"].add_response(
        "delete_db_instance",
        dict(DBInstance=dict(replica, DBInstanceStatus="deleting")),
        dict(DBInstanceIdentifier=REPLICA, DeleteAutomatedBackups=False, SkipFinalSnapshot=True),
    )
    expect_gone(stubs, REPLICA)
    result = run_module(rds_db_instance, dict(name=REPLICA, state="absent"))
    assert result["changed"] is True
    assert "final_snapshot_identifier" not in result


def test_check_mode_delete_writes_nothing(stubs, run_module):
    expect_describe(stubs, instance())
    args = dict(name=NAME, state="absent", deletion_protection=False, skip_final_snapshot=True)
    result = run_module(rds_db_instance, args, check_mode=True)
    assert result["changed"] is True


def test_absent_instance_is_no_change(stubs, run_module):
    expect_gone(stubs)
    result = run_module(rds_db_instance, dict(name=NAME, state="absent"))
    assert result["changed"] is False and result["db_instance"] == {}


# ---- waiting and validation


def test_wait_timeout_names_the_instance_and_the_seconds(stubs, run_module, clock):
    expect_describe(stubs, None)
    stubs["rds"].add_response(
        "create_db_instance",
        dict(DBInstance=instance(status="creating")),
        dict(DBInstanceIdentifier=NAME, DBInstanceClass="db.t4g.medium", AllocatedStorage=50, **SECURE_DEFAULTS),
    )
    for dummy in range(3):  # at 0, 5 and 10 seconds; the next poll would be after the deadline
        expect_describe(stubs, instance(status="creating"))
    args = dict(name=NAME, instance_class="db.t4g.medium", allocated_storage=50, wait_timeout=10)
    result = run_module(rds_db_instance, args, expect_failure=True)
    assert result["msg"] == "Timed out after 10 seconds waiting for DB instance app-db to be available."
    assert clock.sleeps == [5.0, 5.0]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            dict(storage_type="gp3", allocated_storage=100, iops=12000),
            "gp3 storage below 400 GiB has a fixed baseline of 3000 IOPS and 125 MiB/s",
        ),
        (dict(storage_type="io1", storage_throughput=500), "storage_throughput is only for gp3 storage."),
        (
            dict(performance_insights_retention_period=30),
            "performance_insights_retention_period must be 7 or a multiple of 31 up to 731.",
        ),
        (dict(monitoring_interval=60), "monitoring_interval above 0 needs monitoring_role_arn."),
        (dict(backup_retention_period=36), "backup_retention_period must be from 0 to 35 days."),
        (
            dict(allocated_storage=100, max_allocated_storage=50),
            "max_allocated_storage cannot be below allocated_storage.",
        ),
        (
            dict(restore_to_point_in_time=dict(source_db_instance_identifier=NAME)),
            "restore_to_point_in_time needs exactly one of restore_time and use_latest_restorable_time.",
        ),
        (dict(allocated_storage=5), "allocated_storage must be from 20 to 65536 GiB for postgres on gp3 storage, not 5."),
        (
            dict(storage_type="io1", allocated_storage=50, iops=3000),
            "allocated_storage must be from 100 to 65536 GiB for postgres on io1 storage, not 50",
        ),
        (
            dict(storage_type="standard", allocated_storage=4000),
            "allocated_storage must be from 5 to 3072 GiB for postgres on standard storage, not 4000.",
        ),
        (
            dict(engine="sqlserver-se", allocated_storage=20000),
            "allocated_storage must be from 20 to 16384 GiB for sqlserver-se on gp3 storage, not 20000.",
        ),
        (dict(allocated_storage=100, max_allocated_storage=70000), "max_allocated_storage must be from 20 to 65536 GiB"),
        (dict(storage_type="io2", allocated_storage=200, iops=500), "iops must be from 1000 to 256000 for io2 storage, not 500"),
        (dict(storage_type="io1", allocated_storage=100, iops=6000), "iops must be from 0.5 to 50 times allocated_storage"),
        (dict(storage_type="gp2", allocated_storage=100, iops=3000), "iops is only for gp3, io1 and io2 storage, not gp2."),
        (
            dict(storage_type="gp3", allocated_storage=500, iops=70000),
            "iops must be from 12000 to 64000 for gp3 storage, not 70000.",
        ),
        (
            dict(storage_type="gp3", allocated_storage=500, iops=12000, storage_throughput=4001),
            "storage_throughput must be from 500 to 4000 MiB/s for gp3 storage, not 4001.",
        ),
        (
            dict(storage_type="gp3", allocated_storage=500, iops=12000, storage_throughput=3500),
            "storage_throughput can be at most iops / 4 MiB/s (3000).",
        ),
        (
            dict(source_db_instance_identifier=NAME, source_region="eu-west-1"),
            "source_region needs source_db_instance_identifier as the source instance's ARN.",
        ),
    ],
)
def test_invalid_options_fail_before_any_call(stubs, run_module, args, message):
    result = run_module(rds_db_instance, dict(args, name=NAME), expect_failure=True)
    assert result["msg"].startswith(message)
    assert stubs.clients == {}
