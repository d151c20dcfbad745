"""elasticache_replication_group: the exact API calls of create, no-change, modify, scaling, rotation and delete runs."""

import datetime
import json

import pytest
from botocore.stub import ANY

from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import AUTH_TOKEN_EXCLUDED_CHARACTERS
from ansible_collections.storagekit.aws.plugins.modules import elasticache_replication_group

NAME = "sessions"
ARN = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions"
SECRET_NAME = "elasticache/sessions/auth-token"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:elasticache/sessions/auth-token-AbCdEf"
VERSION_ID = "5f1c2f7e-0000-4000-8000-000000000001"
TOKEN = "GeneratedToken0123456789abcdefGeneratedToken0123456789abcdefXYZW"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0b7f3c9e-0000-4000-8000-000000000001"
CREATED = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
LATER = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
BASE_ARGS = dict(name=NAME, node_type="cache.r7g.large", replicas=1, auth_token_secret=SECRET_NAME)


def endpoint(address, port=6379):
    return dict(Address=address, Port=port)


def group(status="available", cluster=False, replicas=1, shards=2, **fields):
    """A ReplicationGroup as DescribeReplicationGroups returns it."""
    if cluster:
        node_groups = [
            dict(
                NodeGroupId="{0:04d}".format(shard + 1),
                Status="available",
                NodeGroupMembers=[dict(CacheClusterId="{0}-{1:04d}-{2:03d}".format(NAME, shard + 1, n + 1)) for n in range(replicas + 1)],
            )
            for shard in range(shards)
        ]
        members = [m["CacheClusterId"] for g in node_groups for m in g["NodeGroupMembers"]]
    else:
        members = ["{0}-{1:03d}".format(NAME, n + 1) for n in range(replicas + 1)]
        node_groups = [
            dict(
                NodeGroupId="0001",
                Status="available",
                PrimaryEndpoint=endpoint("master.sessions.abc123.use1.cache.amazonaws.com"),
                ReaderEndpoint=endpoint("replica.sessions.abc123.use1.cache.amazonaws.com"),
                NodeGroupMembers=[dict(CacheClusterId=m, CacheNodeId="0001") for m in members],
            )
        ]
    raw = dict(
        ReplicationGroupId=NAME,
        Description=NAME,
        Status=status,
        MemberClusters=members,
        NodeGroups=node_groups,
        AutomaticFailover="enabled" if cluster or replicas else "disabled",
        MultiAZ="enabled" if replicas else "disabled",
        ClusterEnabled=cluster,
        CacheNodeType="cache.r7g.large",
        AuthTokenEnabled=True,
        AuthTokenLastModifiedDate=CREATED,
        TransitEncryptionEnabled=True,
        TransitEncryptionMode="required",
        AtRestEncryptionEnabled=True,
        KmsKeyId=KEY_ARN,
        ARN=ARN,
        SnapshotRetentionLimit=7,
        SnapshotWindow="05:00-06:00",
        AutoMinorVersionUpgrade=True,
        Engine="valkey",
        ReplicationGroupCreateTime=CREATED,
        LogDeliveryConfigurations=[
            dict(
                LogType="slow-log",
                DestinationType="cloudwatch-logs",
                DestinationDetails=dict(CloudWatchLogsDetails=dict(LogGroup="/elasticache/sessions/slow-log")),
                LogFormat="json",
                Status="active",
            )
        ],
    )
    if cluster:
        raw["ConfigurationEndpoint"] = endpoint("clustercfg.sessions.abc123.use1.cache.amazonaws.com")
    raw.update(fields)
    return dict((k, v) for k, v in raw.items() if v is not None)


def member_cluster(**fields):
    raw = dict(
        CacheClusterId=NAME + "-001",
        EngineVersion="8.0.1",
        CacheParameterGroup=dict(CacheParameterGroupName="default.valkey8"),
        CacheSubnetGroupName="data-private",
        SecurityGroups=[dict(SecurityGroupId="sg-2", Status="active"), dict(SecurityGroupId="sg-1", Status="active")],
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
    )
    raw.update(fields)
    return raw


def expect_describe(stubs, raw):
    if raw is None:
        stubs["elasticache"].add_client_error(
            "describe_replication_groups", "ReplicationGroupNotFoundFault", http_status_code=404, expected_params=dict(ReplicationGroupId=NAME)
        )
    else:
        stubs["elasticache"].add_response("describe_replication_groups", dict(ReplicationGroups=[raw]), dict(ReplicationGroupId=NAME))


def expect_member(stubs, raw):
    stubs["elasticache"].add_response(
        "describe_cache_clusters", dict(CacheClusters=[raw]), dict(CacheClusterId=raw["CacheClusterId"])
    )


def expect_secret(stubs, created=CREATED):
    if created is None:
        stubs["secretsmanager"].add_client_error(
            "get_secret_value", "ResourceNotFoundException", http_status_code=400, expected_params=dict(SecretId=SECRET_NAME)
        )
    else:
        stubs["secretsmanager"].add_response(
            "get_secret_value",
            dict(ARN=SECRET_ARN, Name=SECRET_NAME, VersionId=VERSION_ID, SecretString=TOKEN, CreatedDate=created),
            dict(SecretId=SECRET_NAME),
        )


def expect_secret_created(stubs, random_request=None, **create_fields):
    stubs["secretsmanager"].add_response(
        "get_random_password", dict(RandomPassword=TOKEN), random_request or dict(PasswordLength=64, ExcludePunctuation=True)
    )
    stubs["secretsmanager"].add_response(
        "create_secret",
        dict(ARN=SECRET_ARN, Name=SECRET_NAME, VersionId=VERSION_ID),
        dict(Name=SECRET_NAME, Description="AUTH token of ElastiCache replication group sessions", SecretString=TOKEN, **create_fields),
    )


def expect_engine_versions(stubs, engine="valkey", versions=("7.2", "8.0", "8.1")):
    """The one DescribeCacheEngineVersions listing that checks engine_version."""
    listed = [dict(Engine=engine, EngineVersion=v) for v in versions]
    stubs["elasticache"].add_response("describe_cache_engine_versions", dict(CacheEngineVersions=listed), dict(Engine=engine))


def expect_key(stubs, key_id, state="Enabled"):
    """One KMS DescribeKey; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=key_id))
        return
    metadata = dict(KeyId="0b7f3c9e-0000-4000-8000-000000000001", Arn=KEY_ARN, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId=key_id))


def expect_modify(stubs, operation, request, response=None):
    stubs["elasticache"].add_response(
        operation, dict(ReplicationGroup=response or group(status="modifying")), dict(ReplicationGroupId=NAME, **request)
    )


def expect_targets(stubs, targets):
    """The one auto scaling read of a delete: the scalable targets to remove first."""
    stubs["application-autoscaling"].add_response(
        "describe_scalable_targets",
        dict(ScalableTargets=targets),
        dict(ServiceNamespace="elasticache", ResourceIds=["replication-group/" + NAME]),
    )


def assert_no_token(result):
    assert TOKEN not in json.dumps(result)


# ---------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------


def test_create_primary_with_replica_generates_the_secret_and_waits(stubs, run_module):
    expect_describe(stubs, None)
    expect_secret(stubs, None)
    expect_secret_created(stubs)
    stubs["elasticache"].add_response(
        "create_replication_group",
        dict(ReplicationGroup=group(status="creating")),
        dict(
            ReplicationGroupId=NAME,
            ReplicationGroupDescription=NAME,
            Engine="valkey",
            CacheNodeType="cache.r7g.large",
            AutomaticFailoverEnabled=True,
            MultiAZEnabled=True,
            AtRestEncryptionEnabled=True,
            TransitEncryptionEnabled=True,
            TransitEncryptionMode="required",
            NumCacheClusters=2,
            AuthToken=TOKEN,
            CacheSubnetGroupName="data-private",
            Tags=[dict(Key="team", Value="platform")],
        ),
    )
    expect_describe(stubs, group(status="creating"))
    expect_describe(stubs, group())
    args = dict(BASE_ARGS, subnet_group="data-private", tags=dict(team="platform"))
    result = run_module(elasticache_replication_group, args, diff=True)
    assert result["changed"] is True
    assert result["auth_token_secret_arn"] == SECRET_ARN
    assert result["primary_endpoint"] == dict(address="master.sessions.abc123.use1.cache.amazonaws.com", port=6379)
    assert result["reader_endpoint"]["address"].startswith("replica.")
    assert "configuration_endpoint" not in result
    assert result["replication_group"]["status"] == "available"
    assert result["replication_group"]["tags"] == dict(team="platform")
    assert result["diff"]["before"] == dict(replication_group=None, auth_token_secret=None)
    assert result["diff"]["after"]["replication_group"]["auth_token"] == "<hidden>"
    assert result["diff"]["after"]["replication_group"]["multi_az"] is True
    assert_no_token(result)


def test_create_cluster_mode_passes_cluster_mode_and_returns_without_waiting(stubs, run_module):
    expect_describe(stubs, None)
    expect_engine_versions(stubs, "redis", ("6.2", "7.0", "7.1"))
    expect_key(stubs, "alias/storage")
    expect_key(stubs, "alias/secrets")
    expect_secret(stubs, None)
    random_request = dict(PasswordLength=40, ExcludeCharacters=AUTH_TOKEN_EXCLUDED_CHARACTERS)
    expect_secret_created(stubs, random_request, KmsKeyId="alias/secrets")
    stubs["elasticache"].add_response(
        "create_replication_group",
        dict(ReplicationGroup=group(status="creating", cluster=True, shards=3)),
        dict(
            ReplicationGroupId=NAME,
            ReplicationGroupDescription="session cache",
            Engine="redis",
            EngineVersion="7.1",
            CacheNodeType="cache.r7g.large",
            AutomaticFailoverEnabled=True,
            MultiAZEnabled=True,
            AtRestEncryptionEnabled=True,
            KmsKeyId="alias/storage",
            TransitEncryptionEnabled=True,
            TransitEncryptionMode="required",
            ClusterMode="enabled",
            NumNodeGroups=3,
            ReplicasPerNodeGroup=1,
            AuthToken=TOKEN,
            Port=6380,
            LogDeliveryConfigurations=[
                dict(
                    LogType="engine-log",
                    DestinationType="cloudwatch-logs",
                    DestinationDetails=dict(CloudWatchLogsDetails=dict(LogGroup="/ec/engine")),
                    LogFormat="text",
                    Enabled=True,
                )
            ],
        ),
    )
    args = dict(
        name=NAME,
        description="session cache",
        engine="redis",
        engine_version="7.1",
        node_type="cache.r7g.large",
        cluster_mode="enabled",
        shards=3,
        kms_key_id="alias/storage",
        port=6380,
        auth_token_secret=SECRET_NAME,
        auth_token_length=40,
        auth_token_punctuation=True,
        auth_token_secret_kms_key_id="alias/secrets",
        log_delivery=[dict(type="engine-log", log_group="/ec/engine", format="text")],
        wait=False,
    )
    result = run_module(elasticache_replication_group, args)
    assert result["changed"] is True
    assert result["replication_group"]["status"] == "creating"
    assert result["configuration_endpoint"]["address"].startswith("clustercfg.")
    assert "primary_endpoint" not in result
    assert_no_token(result)


def test_generated_token_excludes_the_punctuation_aws_refuses():
    excluded = AUTH_TOKEN_EXCLUDED_CHARACTERS
    for allowed in "!&#$^<>-":
        assert allowed not in excluded
    for refused in "/\"@%'":
        assert refused in excluded


def test_create_without_replicas_turns_failover_and_multi_az_off(stubs, run_module):
    expect_describe(stubs, None)
    stubs["elasticache"].add_response(
        "create_replication_group",
        dict(ReplicationGroup=group(status="creating", replicas=0)),
        dict(
            ReplicationGroupId=NAME,
            ReplicationGroupDescription=NAME,
            Engine="valkey",
            CacheNodeType="cache.t4g.micro",
            AutomaticFailoverEnabled=False,
            MultiAZEnabled=False,
            AtRestEncryptionEnabled=True,
            TransitEncryptionEnabled=True,
            TransitEncryptionMode="required",
            NumCacheClusters=1,
        ),
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.t4g.micro", replicas=0, wait=False))
    assert result["changed"] is True


def test_create_with_an_existing_secret_uses_its_token(stubs, run_module):
    expect_describe(stubs, None)
    expect_secret(stubs)
    unchecked = (
        "ReplicationGroupDescription",
        "Engine",
        "CacheNodeType",
        "AutomaticFailoverEnabled",
        "MultiAZEnabled",
        "AtRestEncryptionEnabled",
        "TransitEncryptionEnabled",
        "TransitEncryptionMode",
        "NumCacheClusters",
    )
    request = dict(ReplicationGroupId=NAME, AuthToken=TOKEN, **dict((k, ANY) for k in unchecked))
    stubs["elasticache"].add_response("create_replication_group", dict(ReplicationGroup=group(status="creating")), request)
    result = run_module(elasticache_replication_group, dict(BASE_ARGS, wait=False))
    assert result["auth_token_secret_arn"] == SECRET_ARN
    assert_no_token(result)


def test_the_secret_and_group_another_run_created_meanwhile_are_adopted(stubs, run_module):
    """Both runs found neither: Secrets Manager refuses the second secret of the name (ResourceExistsException),
    so this run takes the other run's token; ElastiCache refuses the second group of the id, so the run goes on
    with the group the other made."""
    expect_describe(stubs, None)
    expect_secret(stubs, None)
    stubs["secretsmanager"].add_response("get_random_password", dict(RandomPassword="x" * 64), dict(PasswordLength=64, ExcludePunctuation=True))
    stubs["secretsmanager"].add_client_error("create_secret", "ResourceExistsException", http_status_code=400)
    expect_secret(stubs)
    stubs["elasticache"].add_client_error(
        "create_replication_group", "ReplicationGroupAlreadyExists", http_status_code=400,
        expected_params=dict(ReplicationGroupId=NAME, AuthToken=TOKEN, **dict((k, ANY) for k in (
            "ReplicationGroupDescription", "Engine", "CacheNodeType", "AutomaticFailoverEnabled", "MultiAZEnabled",
            "AtRestEncryptionEnabled", "TransitEncryptionEnabled", "TransitEncryptionMode", "NumCacheClusters"))),
    )
    # The second pass: the group and its secret as the other run made them, nothing to change.
    expect_describe(stubs, group(status="creating"))
    expect_secret(stubs)
    result = run_module(elasticache_replication_group, dict(BASE_ARGS, wait=False))
    assert result["changed"] is True
    assert result["auth_token_secret_arn"] == SECRET_ARN
    assert result["replication_group"]["status"] == "creating"
    assert_no_token(result)


def test_a_missing_secret_given_by_arn_cannot_be_created(stubs, run_module):
    expect_describe(stubs, None)
    stubs["secretsmanager"].add_client_error(
        "get_secret_value", "ResourceNotFoundException", http_status_code=400, expected_params=dict(SecretId=SECRET_ARN)
    )
    result = run_module(elasticache_replication_group, dict(BASE_ARGS, auth_token_secret=SECRET_ARN), expect_failure=True)
    assert "give a secret name" in result["msg"]


def test_create_needs_a_node_type(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(elasticache_replication_group, dict(name=NAME), expect_failure=True)
    assert "node_type is required" in result["msg"]


def test_check_mode_create_writes_nothing_not_even_the_secret(stubs, run_module):
    expect_describe(stubs, None)
    expect_secret(stubs, None)
    result = run_module(elasticache_replication_group, BASE_ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["replication_group"]["status"] == "creating"
    assert result["replication_group"]["auth_token_enabled"] is True
    assert result["diff"]["after"]["auth_token_secret"] == dict(name=SECRET_NAME, created=True)
    assert "auth_token_secret_arn" not in result


# ---------------------------------------------------------------------------------------------
# No change
# ---------------------------------------------------------------------------------------------


def test_no_change_run_reads_the_group_tags_secret_and_one_member_cluster_once(stubs, run_module):
    expect_describe(stubs, group(replicas=2))
    expect_member(stubs, member_cluster())
    expect_secret(stubs)
    stubs["elasticache"].add_response(
        "list_tags_for_resource", dict(TagList=[dict(Key="team", Value="platform")]), dict(ResourceName=ARN)
    )
    args = dict(
        BASE_ARGS,
        replicas=2,
        engine="valkey",
        engine_version="8.0",
        cluster_mode="disabled",
        multi_az=True,
        automatic_failover=True,
        at_rest_encryption=True,
        kms_key_id=KEY_ARN,
        transit_encryption=True,
        transit_encryption_mode="required",
        subnet_group="data-private",
        security_group_ids=["sg-1", "sg-2"],
        parameter_group="default.valkey8",
        maintenance_window="Sun:05:00-Sun:06:00",
        snapshot_retention_limit=7,
        snapshot_window="05:00-06:00",
        auto_minor_version_upgrade=True,
        log_delivery=[dict(type="slow-log", log_group="/elasticache/sessions/slow-log")],
        tags=dict(team="platform"),
    )
    result = run_module(elasticache_replication_group, args, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["auth_token_secret_arn"] == SECRET_ARN
    assert_no_token(result)


def test_unset_options_read_only_the_group(stubs, run_module):
    expect_describe(stubs, group())
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.r7g.large"))
    assert result["changed"] is False
    assert result["replication_group"]["replication_group_id"] == NAME


def test_encryption_opt_outs_are_warned_about_on_every_run(stubs, run_module):
    unencrypted = dict(AtRestEncryptionEnabled=False, KmsKeyId=None, TransitEncryptionEnabled=False,
                       TransitEncryptionMode=None, AuthTokenEnabled=False, AuthTokenLastModifiedDate=None)
    expect_describe(stubs, group(**unencrypted))
    result = run_module(elasticache_replication_group, dict(name=NAME, at_rest_encryption=False, transit_encryption=False))
    assert result["changed"] is False
    # ansible-core 2.19 and later return each warning as an event with its message.
    messages = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert [m.split(":")[0] for m in messages] == ["at_rest_encryption=false", "transit_encryption=false"]


def test_cluster_mode_no_change(stubs, run_module):
    expect_describe(stubs, group(cluster=True, shards=3))
    result = run_module(elasticache_replication_group, dict(name=NAME, cluster_mode="enabled", shards=3, replicas_per_shard=1))
    assert result["changed"] is False
    assert result["configuration_endpoint"]["port"] == 6379


# ---------------------------------------------------------------------------------------------
# Modify
# ---------------------------------------------------------------------------------------------


def test_node_type_change_is_its_own_call_and_waits(stubs, run_module):
    expect_describe(stubs, group())
    expect_modify(stubs, "modify_replication_group", dict(CacheNodeType="cache.r7g.xlarge", ApplyImmediately=True))
    expect_describe(stubs, group(status="modifying"))
    expect_describe(stubs, group(CacheNodeType="cache.r7g.xlarge"))
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.r7g.xlarge"), diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(before=dict(node_type="cache.r7g.large"), after=dict(node_type="cache.r7g.xlarge"))
    assert result["replication_group"]["cache_node_type"] == "cache.r7g.xlarge"


def test_settings_change_in_one_modify_call(stubs, run_module):
    expect_describe(stubs, group())
    expect_member(stubs, member_cluster())
    expect_engine_versions(stubs)
    expect_modify(
        stubs,
        "modify_replication_group",
        dict(
            ApplyImmediately=False,
            ReplicationGroupDescription="sessions of the shop",
            EngineVersion="8.1",
            CacheParameterGroupName="shop-valkey8",
            SecurityGroupIds=["sg-1", "sg-3"],
            PreferredMaintenanceWindow="mon:03:00-mon:04:00",
            SnapshotRetentionLimit=14,
            AutoMinorVersionUpgrade=False,
            NotificationTopicArn="arn:aws:sns:us-east-1:123456789012:ops",
            LogDeliveryConfigurations=[
                dict(
                    LogType="engine-log",
                    DestinationType="cloudwatch-logs",
                    DestinationDetails=dict(CloudWatchLogsDetails=dict(LogGroup="/ec/engine")),
                    LogFormat="json",
                    Enabled=True,
                ),
                dict(LogType="slow-log", Enabled=False),
            ],
        ),
    )
    args = dict(
        name=NAME,
        description="sessions of the shop",
        engine_version="8.1",
        parameter_group="shop-valkey8",
        security_group_ids=["sg-3", "sg-1"],
        maintenance_window="mon:03:00-mon:04:00",
        snapshot_retention_limit=14,
        auto_minor_version_upgrade=False,
        notification_topic_arn="arn:aws:sns:us-east-1:123456789012:ops",
        log_delivery=[dict(type="engine-log", log_group="/ec/engine")],
        apply_immediately=False,
        wait=False,
    )
    result = run_module(elasticache_replication_group, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["engine_version"] == "8.0.1"
    assert result["diff"]["after"]["security_group_ids"] == ["sg-1", "sg-3"]
    assert result["diff"]["before"]["log_delivery"] == {"slow-log": dict(log_group="/elasticache/sessions/slow-log", format="json")}
    assert set(result["diff"]["after"]) == set(
        [
            "description",
            "engine_version",
            "parameter_group",
            "security_group_ids",
            "maintenance_window",
            "snapshot_retention_limit",
            "auto_minor_version_upgrade",
            "notification_topic_arn",
            "log_delivery",
        ]
    )


def test_redis_to_valkey_upgrade_sends_engine_and_version(stubs, run_module):
    expect_describe(stubs, group(Engine="redis"))
    expect_member(stubs, member_cluster(EngineVersion="7.1.0"))
    expect_engine_versions(stubs)
    expect_modify(stubs, "modify_replication_group", dict(ApplyImmediately=True, Engine="valkey", EngineVersion="8.0"))
    result = run_module(elasticache_replication_group, dict(name=NAME, engine="valkey", engine_version="8.0", wait=False))
    assert result["changed"] is True


def test_enabling_transit_encryption_goes_through_preferred(stubs, run_module):
    expect_describe(stubs, group(TransitEncryptionEnabled=False, TransitEncryptionMode=None, AuthTokenEnabled=False))
    expect_modify(
        stubs, "modify_replication_group", dict(ApplyImmediately=True, TransitEncryptionEnabled=True, TransitEncryptionMode="preferred")
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, transit_encryption=True, wait=False))
    assert result["changed"] is True


def test_check_mode_modify_makes_no_write(stubs, run_module):
    expect_describe(stubs, group())
    stubs["elasticache"].add_response("list_tags_for_resource", dict(TagList=[]), dict(ResourceName=ARN))
    args = dict(name=NAME, node_type="cache.r7g.xlarge", replicas=3, snapshot_retention_limit=1, tags=dict(a="b"))
    result = run_module(elasticache_replication_group, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == dict(
        node_type="cache.r7g.xlarge", replicas=3, snapshot_retention_limit=1, tags=dict(a="b")
    )


# ---------------------------------------------------------------------------------------------
# Scaling
# ---------------------------------------------------------------------------------------------


def test_adding_replicas_then_multi_az_in_that_order(stubs, run_module):
    current = group(replicas=0)
    expect_describe(stubs, current)
    expect_modify(stubs, "increase_replica_count", dict(NewReplicaCount=2, ApplyImmediately=True))
    expect_describe(stubs, group(replicas=2, MultiAZ="disabled", AutomaticFailover="disabled"))
    expect_modify(stubs, "modify_replication_group", dict(ApplyImmediately=True, AutomaticFailoverEnabled=True, MultiAZEnabled=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, replicas=2, multi_az=True, automatic_failover=True, wait=False))
    assert result["changed"] is True


def test_removing_all_replicas_turns_multi_az_off_first(stubs, run_module):
    expect_describe(stubs, group(replicas=2))
    expect_modify(stubs, "modify_replication_group", dict(ApplyImmediately=True, AutomaticFailoverEnabled=False, MultiAZEnabled=False))
    expect_describe(stubs, group(replicas=2, MultiAZ="disabled", AutomaticFailover="disabled"))
    expect_modify(stubs, "decrease_replica_count", dict(NewReplicaCount=0, ApplyImmediately=True))
    expect_describe(stubs, group(replicas=0, MultiAZ="disabled", AutomaticFailover="disabled"))
    result = run_module(elasticache_replication_group, dict(name=NAME, replicas=0, multi_az=False, automatic_failover=False))
    assert result["changed"] is True
    assert result["replication_group"]["member_clusters"] == [NAME + "-001"]


def test_adding_shards_and_replicas_per_shard(stubs, run_module):
    expect_describe(stubs, group(cluster=True, shards=2))
    expect_modify(stubs, "increase_replica_count", dict(NewReplicaCount=2, ApplyImmediately=True), group(cluster=True, status="modifying"))
    expect_describe(stubs, group(cluster=True, shards=2, replicas=2))
    expect_modify(
        stubs, "modify_replication_group_shard_configuration", dict(NodeGroupCount=4, ApplyImmediately=True), group(cluster=True, status="modifying")
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, shards=4, replicas_per_shard=2, wait=False), diff=True)
    assert result["diff"]["after"] == dict(shards=4, replicas_per_shard=2)


def test_removing_shards_removes_the_highest_ids(stubs, run_module):
    expect_describe(stubs, group(cluster=True, shards=4))
    expect_modify(
        stubs,
        "modify_replication_group_shard_configuration",
        dict(NodeGroupCount=2, ApplyImmediately=True, NodeGroupsToRemove=["0003", "0004"]),
        group(cluster=True, status="modifying"),
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, shards=2, wait=False))
    assert result["changed"] is True


def test_sequential_writes_wait_in_between_even_without_wait(stubs, run_module):
    expect_describe(stubs, group(cluster=True, shards=2))
    expect_modify(
        stubs, "modify_replication_group_shard_configuration", dict(NodeGroupCount=3, ApplyImmediately=True), group(cluster=True, status="modifying")
    )
    expect_describe(stubs, group(cluster=True, shards=3, status="modifying"))
    expect_describe(stubs, group(cluster=True, shards=3))
    expect_modify(stubs, "modify_replication_group", dict(CacheNodeType="cache.r7g.xlarge", ApplyImmediately=True), group(cluster=True, status="modifying"))
    result = run_module(elasticache_replication_group, dict(name=NAME, shards=3, node_type="cache.r7g.xlarge", wait=False))
    assert result["replication_group"]["status"] == "modifying"


def test_wait_timeout_fails_with_a_clear_message(stubs, run_module):
    expect_describe(stubs, group())
    expect_modify(stubs, "modify_replication_group", dict(CacheNodeType="cache.r7g.xlarge", ApplyImmediately=True))
    expect_describe(stubs, group(status="modifying"))
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.r7g.xlarge", wait_timeout=0), expect_failure=True)
    assert "Timed out" in result["msg"]


def test_a_failed_creation_stops_the_wait(stubs, run_module):
    expect_describe(stubs, group(status="create-failed"))
    expect_describe(stubs, group(status="create-failed"))
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.r7g.xlarge"), expect_failure=True)
    assert "is create-failed" in result["msg"]


# ---------------------------------------------------------------------------------------------
# AUTH token rotation
# ---------------------------------------------------------------------------------------------


def test_a_secret_newer_than_the_group_token_is_rotated_in(stubs, run_module):
    expect_describe(stubs, group())
    expect_secret(stubs, LATER)
    expect_modify(stubs, "modify_replication_group", dict(AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True))
    expect_describe(stubs, group(AuthTokenLastModifiedDate=LATER))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_secret=SECRET_NAME), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["auth_token"] == dict(enabled=True, token="<hidden>")
    assert result["diff"]["after"]["auth_token"] == dict(enabled=True, token="<hidden>", update_strategy="rotate")
    assert_no_token(result)


def test_a_secret_older_than_the_group_token_changes_nothing(stubs, run_module):
    expect_describe(stubs, group(AuthTokenLastModifiedDate=LATER))
    expect_secret(stubs, CREATED)
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_secret=SECRET_NAME))
    assert result["changed"] is False


def test_set_strategy_with_a_secret(stubs, run_module):
    expect_describe(stubs, group())
    expect_secret(stubs, LATER)
    expect_modify(stubs, "modify_replication_group", dict(AuthToken=TOKEN, AuthTokenUpdateStrategy="SET", ApplyImmediately=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_secret=SECRET_NAME, auth_token_update_strategy="set", wait=False))
    assert result["changed"] is True
    assert_no_token(result)


def test_explicit_token_is_applied_only_when_a_strategy_asks(stubs, run_module):
    expect_describe(stubs, group())
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token=TOKEN))
    assert result["changed"] is False
    expect_describe(stubs, group())
    expect_modify(stubs, "modify_replication_group", dict(AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token=TOKEN, auth_token_update_strategy="rotate", wait=False))
    assert result["changed"] is True
    assert_no_token(result)


def test_token_is_added_to_a_group_without_one(stubs, run_module):
    expect_describe(stubs, group(AuthTokenEnabled=False, AuthTokenLastModifiedDate=None))
    expect_modify(stubs, "modify_replication_group", dict(AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token=TOKEN, wait=False))
    assert result["changed"] is True
    assert_no_token(result)


def test_delete_strategy_only_changes_a_group_with_a_token(stubs, run_module):
    expect_describe(stubs, group())
    expect_modify(stubs, "modify_replication_group", dict(AuthTokenUpdateStrategy="DELETE", ApplyImmediately=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_update_strategy="delete", wait=False))
    assert result["changed"] is True
    expect_describe(stubs, group(AuthTokenEnabled=False))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_update_strategy="delete"))
    assert result["changed"] is False


def test_a_missing_secret_for_an_existing_group_is_created_and_rotated_in(stubs, run_module):
    expect_describe(stubs, group())
    expect_secret(stubs, None)
    expect_secret_created(stubs)
    expect_modify(stubs, "modify_replication_group", dict(AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True))
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_secret=SECRET_NAME, wait=False), diff=True)
    assert set(result["diff"]["after"]) == set(["auth_token_secret", "auth_token"])
    assert result["auth_token_secret_arn"] == SECRET_ARN
    assert_no_token(result)


def test_a_bad_token_in_the_secret_fails_without_showing_it(stubs, run_module):
    expect_describe(stubs, group())
    stubs["secretsmanager"].add_response(
        "get_secret_value",
        dict(ARN=SECRET_ARN, Name=SECRET_NAME, SecretString="short/token", CreatedDate=LATER),
        dict(SecretId=SECRET_NAME),
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, auth_token_secret=SECRET_NAME), expect_failure=True)
    assert "16 to 128" in result["msg"]
    assert "short/token" not in json.dumps(result)


# ---------------------------------------------------------------------------------------------
# Validation before any write
# ---------------------------------------------------------------------------------------------


def test_options_are_validated_before_any_call(stubs, run_module):
    for args, message in (
        (dict(auth_token="has spaces in the token"), "printable"),
        (dict(auth_token="with/slash/0123456789"), "punctuation"),
        (dict(auth_token_secret=SECRET_NAME, auth_token_length=16), "auth_token_length"),
        (dict(cluster_mode="enabled", replicas=1), "replicas_per_shard"),
        (dict(cluster_mode="disabled", shards=2), "cluster_mode=enabled"),
        (dict(replicas=6), "replicas must be from 0 to 5"),
        (dict(at_rest_encryption=False, kms_key_id="alias/x"), "kms_key_id needs"),
        (dict(auth_token_update_strategy="rotate"), "needs auth_token"),
        (dict(auth_token=TOKEN, auth_token_update_strategy="delete"), "cannot be combined"),
        (dict(state="absent", final_snapshot=False, final_snapshot_identifier="x"), "final_snapshot_identifier"),
    ):
        result = run_module(elasticache_replication_group, dict(name=NAME, **args), expect_failure=True)
        assert message in result["msg"], (args, result["msg"])
        assert_no_token(result)


def test_aws_rules_are_checked_after_one_read_and_before_any_write(stubs, run_module):
    for raw, args, message in (
        (None, dict(node_type="cache.t4g.micro", replicas=0, multi_az=True), "multi_az needs at least one replica"),
        (None, dict(node_type="cache.t4g.micro", replicas=1, multi_az=True, automatic_failover=False), "multi_az needs automatic_failover"),
        (None, dict(node_type="cache.t4g.micro", replicas=0, automatic_failover=True), "automatic_failover needs at least one replica"),
        (None, dict(node_type="cache.t4g.micro", cluster_mode="enabled", automatic_failover=False, multi_az=False), "cluster_mode=enabled needs"),
        (None, dict(node_type="cache.t4g.micro", auth_token=TOKEN, transit_encryption=False), "needs transit_encryption"),
        (group(replicas=2), dict(replicas=0), "multi_az needs at least one replica"),
        (group(), dict(cluster_mode="enabled"), "cluster mode"),
        (group(), dict(at_rest_encryption=False), "at_rest_encryption"),
        (group(), dict(port=6380), "port"),
        (group(), dict(kms_key_id="0b7f3c9e-0000-4000-8000-000000000999"), "kms_key_id"),
        (group(), dict(engine="redis"), "cannot go back to redis"),
        (group(Engine="redis"), dict(engine="valkey"), "needs engine_version"),
        (group(cluster=True), dict(replicas=2), "use shards"),
        (group(TransitEncryptionEnabled=False, TransitEncryptionMode=None, AuthTokenEnabled=False),
         dict(transit_encryption=True, transit_encryption_mode="required"), "preferred first"),
        (group(), dict(transit_encryption=False), "only from transit_encryption_mode=preferred"),
    ):
        expect_describe(stubs, raw)
        result = run_module(elasticache_replication_group, dict(name=NAME, **args), expect_failure=True)
        assert message in result["msg"], (args, result["msg"])


def test_create_with_an_engine_version_elasticache_does_not_offer_is_refused_before_any_write(stubs, run_module):
    expect_describe(stubs, None)
    expect_engine_versions(stubs)
    args = dict(name=NAME, node_type="cache.t4g.micro", engine_version="9.9")
    result = run_module(elasticache_replication_group, args, expect_failure=True)
    assert result["msg"] == "engine_version 9.9 is not a version of valkey that ElastiCache offers (DescribeCacheEngineVersions)."


def test_an_upgrade_to_an_unknown_engine_version_is_refused_before_modify(stubs, run_module):
    expect_describe(stubs, group())
    expect_member(stubs, member_cluster())
    expect_engine_versions(stubs)
    result = run_module(elasticache_replication_group, dict(name=NAME, engine_version="8.9"), expect_failure=True)
    assert "engine_version 8.9 is not a version of valkey" in result["msg"]


@pytest.mark.parametrize("option", ["kms_key_id", "auth_token_secret_kms_key_id"])
def test_create_with_a_key_that_cannot_be_used_is_refused_before_the_secret_and_the_group(stubs, run_module, option):
    expect_describe(stubs, None)
    expect_key(stubs, "alias/nope", None)
    args = dict(name=NAME, node_type="cache.t4g.micro", auth_token_secret=SECRET_NAME, **{option: "alias/nope"})
    result = run_module(elasticache_replication_group, args, expect_failure=True)
    assert result["msg"] == "{0}: KMS key alias/nope was not found; the key must exist and be Enabled.".format(option)


@pytest.mark.parametrize("node_type", ["t4g.micro", "cache.t4g", "Cache.T4G.Micro", "cache..micro"])
def test_a_node_type_of_the_wrong_form_is_refused_before_any_call(stubs, run_module, node_type):
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type=node_type), expect_failure=True)
    assert result["msg"].startswith("Invalid options: node_type must look like cache.<family>.<size>")
    assert not stubs.clients


def test_subnet_group_change_is_refused_after_reading_the_member_cluster(stubs, run_module):
    expect_describe(stubs, group())
    expect_member(stubs, member_cluster())
    result = run_module(elasticache_replication_group, dict(name=NAME, subnet_group="other"), expect_failure=True)
    assert "subnet_group" in result["msg"]


def test_a_group_being_deleted_is_not_modified(stubs, run_module):
    expect_describe(stubs, group(status="deleting"))
    result = run_module(elasticache_replication_group, dict(name=NAME, node_type="cache.r7g.xlarge"), expect_failure=True)
    assert "being deleted" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------------------------


def test_tags_are_added_and_purged(stubs, run_module):
    expect_describe(stubs, group())
    stubs["elasticache"].add_response(
        "list_tags_for_resource",
        dict(TagList=[dict(Key="old", Value="1"), dict(Key="team", Value="x")]),
        dict(ResourceName=ARN),
    )
    stubs["elasticache"].add_response("remove_tags_from_resource", dict(TagList=[]), dict(ResourceName=ARN, TagKeys=["old"]))
    stubs["elasticache"].add_response(
        "add_tags_to_resource", dict(TagList=[]), dict(ResourceName=ARN, Tags=[dict(Key="team", Value="platform")])
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, tags=dict(team="platform")), diff=True)
    assert result["changed"] is True
    assert result["replication_group"]["tags"] == dict(team="platform")
    assert result["diff"]["before"]["tags"] == dict(old="1", team="x")


def test_tags_without_purge_keep_the_others(stubs, run_module):
    expect_describe(stubs, group())
    stubs["elasticache"].add_response("list_tags_for_resource", dict(TagList=[dict(Key="old", Value="1")]), dict(ResourceName=ARN))
    stubs["elasticache"].add_response(
        "add_tags_to_resource", dict(TagList=[]), dict(ResourceName=ARN, Tags=[dict(Key="team", Value="platform")])
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, tags=dict(team="platform"), purge_tags=False))
    assert result["replication_group"]["tags"] == dict(old="1", team="platform")


# ---------------------------------------------------------------------------------------------
# Delete
# ---------------------------------------------------------------------------------------------


def test_delete_takes_a_timestamped_final_snapshot_and_waits(stubs, run_module):
    expect_describe(stubs, group())
    expect_targets(stubs, [])
    stubs["elasticache"].add_response(
        "delete_replication_group",
        dict(ReplicationGroup=group(status="deleting")),
        dict(ReplicationGroupId=NAME, FinalSnapshotIdentifier=ANY),
    )
    expect_describe(stubs, group(status="deleting"))
    expect_describe(stubs, None)
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent"), diff=True)
    assert result["changed"] is True
    assert result["replication_group"] == {}
    snapshot = result["diff"]["after"]["replication_group"]["final_snapshot_identifier"]
    assert snapshot.startswith(NAME + "-final-") and len(snapshot) == len(NAME) + len("-final-") + 14
    assert result["diff"]["before"]["replication_group"]["node_type"] == "cache.r7g.large"


def test_delete_with_a_named_snapshot_waits_for_a_busy_group_first(stubs, run_module):
    expect_describe(stubs, group(status="modifying"))
    expect_targets(stubs, [])
    expect_describe(stubs, group())
    stubs["elasticache"].add_response(
        "delete_replication_group",
        dict(ReplicationGroup=group(status="deleting")),
        dict(ReplicationGroupId=NAME, FinalSnapshotIdentifier="keep-me"),
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent", final_snapshot_identifier="keep-me", wait=False))
    assert result["changed"] is True


def test_delete_without_final_snapshot_when_opted_out(stubs, run_module):
    expect_describe(stubs, group())
    expect_targets(stubs, [])
    stubs["elasticache"].add_response(
        "delete_replication_group", dict(ReplicationGroup=group(status="deleting")), dict(ReplicationGroupId=NAME)
    )
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent", final_snapshot=False, wait=False))
    assert result["changed"] is True


def test_delete_check_mode_and_missing_group(stubs, run_module):
    expect_describe(stubs, group())
    expect_targets(stubs, [])
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent"), check_mode=True)
    assert result["changed"] is True
    expect_describe(stubs, None)
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent"))
    assert result["changed"] is False
    expect_describe(stubs, group(status="deleting"))
    result = run_module(elasticache_replication_group, dict(name=NAME, state="absent", wait=False))
    assert result["changed"] is False
