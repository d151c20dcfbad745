"""dynamodb_table replicas (global tables version 2019.11.21): the exact UpdateTable calls and the checks
made before any write."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import dynamodb_table

from dynamodb_stubs import KEY_ARN, expect_describe, table

WEST_KEY = "arn:aws:kms:us-west-2:123456789012:key/99999999-2222-3333-4444-555555555555"
ARGS = dict(
    name="orders",
    stream_enabled=True,
    encryption="customer_managed",
    kms_key_id=KEY_ARN,
    replicas=[dict(region="us-west-2", kms_key_id=WEST_KEY)],
)


def replica(status="ACTIVE", **extra):
    return dict(dict(RegionName="us-west-2", ReplicaStatus=status, KMSMasterKeyId=WEST_KEY), **extra)


def expect_update(stubs, update, answer_replicas, status="UPDATING"):
    stubs["dynamodb"].add_response(
        "update_table",
        dict(TableDescription=table(status=status, Replicas=answer_replicas)),
        dict(TableName="orders", ReplicaUpdates=[update]),
    )


def test_replica_is_added_and_waited_for_until_active(stubs, run_module):
    expect_describe(stubs, table())
    expect_update(stubs, dict(Create=dict(RegionName="us-west-2", KMSMasterKeyId=WEST_KEY)), [replica("CREATING")])
    expect_describe(stubs, table(Replicas=[replica("CREATING")]))
    expect_describe(stubs, table(Replicas=[replica()]))
    result = run_module(dynamodb_table, ARGS, diff=True)
    assert result["changed"] is True
    assert result["table"]["replicas"] == [
        dict(region="us-west-2", status="ACTIVE", kms_key_id=WEST_KEY, table_class="STANDARD", read_capacity=None, indexes=[])
    ]
    assert result["diff"]["before"]["replicas/us-west-2"] is None
    assert result["diff"]["after"]["replicas/us-west-2"] == dict(region="us-west-2", kms_key_id=WEST_KEY)


def test_no_change_run_reads_the_table_once_and_writes_nothing(stubs, run_module):
    expect_describe(stubs, table(Replicas=[replica()]))
    result = run_module(dynamodb_table, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_check_mode_predicts_the_replica_without_writing(stubs, run_module):
    expect_describe(stubs, table())
    result = run_module(dynamodb_table, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["table"]["replicas"] == [dict(region="us-west-2", status="CREATING", kms_key_id=WEST_KEY)]


def test_unlisted_replica_is_removed_and_other_changes_go_one_per_call(stubs, run_module):
    eu = dict(RegionName="eu-west-1", ReplicaStatus="ACTIVE", KMSMasterKeyId=WEST_KEY)
    expect_describe(stubs, table(Replicas=[replica(), eu]))
    args = dict(ARGS, replicas=[dict(region="us-west-2", kms_key_id=WEST_KEY, table_class="STANDARD_INFREQUENT_ACCESS")])
    expect_update(
        stubs, dict(Update=dict(RegionName="us-west-2", TableClassOverride="STANDARD_INFREQUENT_ACCESS")),
        [replica("UPDATING"), eu],
    )
    expect_describe(stubs, table(Replicas=[replica(), eu]))
    expect_update(stubs, dict(Delete=dict(RegionName="eu-west-1")), [replica()])
    result = run_module(dynamodb_table, dict(args, wait=False))
    assert result["changed"] is True


def test_empty_list_removes_every_replica(stubs, run_module):
    expect_describe(stubs, table(Replicas=[replica()]))
    expect_update(stubs, dict(Delete=dict(RegionName="us-west-2")), [replica("DELETING")])
    expect_describe(stubs, table())  # wait=true: until the replica is gone
    result = run_module(dynamodb_table, dict(name="orders", replicas=[]))
    assert "replicas" not in result["table"]
    assert result["changed"] is True


def test_alias_of_a_replica_key_is_read_in_the_replica_region(stubs, run_module):
    stubs["kms"].add_response(
        "describe_key",
        dict(KeyMetadata=dict(KeyId="99999999-2222-3333-4444-555555555555", Arn=WEST_KEY, KeyState="Enabled")),
        dict(KeyId="alias/orders"),
    )
    expect_describe(stubs, table(Replicas=[replica()]))
    args = dict(ARGS, replicas=[dict(region="us-west-2", kms_key_id="alias/orders")])
    assert run_module(dynamodb_table, args)["changed"] is False


def test_provisioned_replica_read_capacity_needs_write_auto_scaling_on_an_existing_table(stubs, run_module):
    provisioned = table(BillingModeSummary=dict(BillingMode="PROVISIONED"),
                        ProvisionedThroughput=dict(ReadCapacityUnits=5, WriteCapacityUnits=5))
    expect_describe(stubs, provisioned)
    args = dict(ARGS, replicas=[dict(region="us-west-2", kms_key_id=WEST_KEY, read_capacity=10)])
    result = run_module(dynamodb_table, args, expect_failure=True)
    assert result["msg"].startswith("DynamoDB table orders: replicas of a provisioned table need write auto scaling")


@pytest.mark.parametrize("args, rule", [
    (dict(stream_enabled=None), "need stream_enabled=true with stream_view_type=NEW_AND_OLD_IMAGES"),
    (dict(stream_view_type="NEW_IMAGE"), "need stream_enabled=true with stream_view_type=NEW_AND_OLD_IMAGES"),
    (dict(replicas=[dict(region="us-east-1", kms_key_id=WEST_KEY)]), "cannot be in the table's own region us-east-1"),
    (dict(replicas=[dict(region="us-west-2", kms_key_id=WEST_KEY)] * 2), "may appear once (us-west-2)"),
    (dict(replicas=[dict(region="us-west-2")]), "replica us-west-2 needs kms_key_id"),
    (dict(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5), "need write auto scaling"),
    (dict(billing_mode="PAY_PER_REQUEST", replicas=[dict(region="us-west-2", kms_key_id=WEST_KEY, read_capacity=5)]),
     "read_capacity is only for billing_mode=PROVISIONED"),
])
def test_replica_rules_are_refused_before_any_call(run_module, args, rule):
    result = run_module(dynamodb_table, dict(ARGS, **args), expect_failure=True)
    assert result["msg"].startswith("DynamoDB table orders: ") and rule in result["msg"]


def test_absent_deletes_the_replicas_first_then_the_table(stubs, run_module):
    expect_describe(stubs, table(DeletionProtectionEnabled=False, Replicas=[replica()]))
    stubs["application-autoscaling"].add_response(
        "describe_scalable_targets", dict(ScalableTargets=[]),
        dict(ServiceNamespace="dynamodb", ResourceIds=["table/orders"]),
    )
    expect_update(stubs, dict(Delete=dict(RegionName="us-west-2")), [replica("DELETING")])
    expect_describe(stubs, table(DeletionProtectionEnabled=False))
    stubs["dynamodb"].add_response("delete_table", dict(TableDescription=table(status="DELETING")), dict(TableName="orders"))
    expect_describe(stubs, None)
    result = run_module(dynamodb_table, dict(name="orders", state="absent"), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["replicas/us-west-2"] == dict(region="us-west-2")
