"""dynamodb_table: the exact API calls of create, no-change, update, check mode and delete runs."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import dynamodb_table

from dynamodb_stubs import ARN, BASE_ARGS, KEY_ARN, expect_describe, expect_facets, expect_key, table


def test_create_table_sets_everything_createtable_accepts_then_the_facets(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    ddb = stubs["dynamodb"]
    ddb.add_response(
        "create_table",
        dict(TableDescription=table(status="CREATING")),
        dict(
            TableName="orders",
            KeySchema=[dict(AttributeName="pk", KeyType="HASH"), dict(AttributeName="sk", KeyType="RANGE")],
            AttributeDefinitions=[dict(AttributeName="pk", AttributeType="S"), dict(AttributeName="sk", AttributeType="N")],
            BillingMode="PAY_PER_REQUEST",
            DeletionProtectionEnabled=True,
            StreamSpecification=dict(StreamEnabled=True, StreamViewType="NEW_AND_OLD_IMAGES"),
            SSESpecification=dict(Enabled=True, SSEType="KMS", KMSMasterKeyId=KEY_ARN),
            Tags=[dict(Key="team", Value="payments")],
        ),
    )
    # PITR is only accepted on an ACTIVE table: the module waits first.
    expect_describe(stubs, table(status="CREATING"))
    expect_describe(stubs, table())
    ddb.add_response(
        "update_continuous_backups",
        dict(ContinuousBackupsDescription=dict(ContinuousBackupsStatus="ENABLED")),
        dict(TableName="orders", PointInTimeRecoverySpecification=dict(PointInTimeRecoveryEnabled=True)),
    )
    ddb.add_response(
        "update_time_to_live",
        dict(TimeToLiveSpecification=dict(Enabled=True, AttributeName="expires_at")),
        dict(TableName="orders", TimeToLiveSpecification=dict(Enabled=True, AttributeName="expires_at")),
    )
    result = run_module(dynamodb_table, BASE_ARGS)
    assert result["changed"] is True
    assert result["table"]["id"] == "6f1c2f7e-0000-4000-8000-000000000001"
    assert result["table"]["deletion_protection"] is True
    assert result["table"]["point_in_time_recovery"] == dict(enabled=True)
    assert result["table"]["stream_arn"].startswith(ARN + "/stream/")


def test_the_table_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs found no table; DynamoDB refuses the second CreateTable of the name (ResourceInUseException)."""
    expect_describe(stubs, None)
    expect_key(stubs)
    stubs["dynamodb"].add_client_error("create_table", "ResourceInUseException", "Table already exists: orders")
    expect_describe(stubs, table())
    expect_facets(stubs)
    result = run_module(dynamodb_table, BASE_ARGS)
    assert result["changed"] is True
    assert result["table"]["id"] == "6f1c2f7e-0000-4000-8000-000000000001"


@pytest.mark.parametrize("state, message", [
    (None, "kms_key_id: KMS key {0} was not found; the key must exist and be Enabled.".format(KEY_ARN)),
    ("Disabled", "kms_key_id: KMS key {0} is Disabled; the key must be Enabled.".format(KEY_ARN)),
    ("PendingDeletion", "kms_key_id: KMS key {0} is PendingDeletion; the key must be Enabled.".format(KEY_ARN)),
])
def test_create_with_a_key_that_cannot_be_used_is_refused_before_createtable(stubs, run_module, state, message):
    expect_describe(stubs, None)
    expect_key(stubs, state)
    result = run_module(dynamodb_table, BASE_ARGS, expect_failure=True)
    assert result["msg"] == message


def test_an_encryption_change_checks_the_new_key_before_updatetable(stubs, run_module):
    raw = table()
    del raw["SSEDescription"]
    expect_describe(stubs, raw)
    expect_key(stubs, "Disabled")
    args = dict(name="orders", encryption="customer_managed", kms_key_id=KEY_ARN)
    result = run_module(dynamodb_table, args, expect_failure=True)
    assert "is Disabled" in result["msg"]


def test_no_change_run_only_reads_each_managed_facet_once(stubs, run_module):
    expect_describe(stubs, table())
    expect_facets(stubs)
    result = run_module(dynamodb_table, BASE_ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["table"]["ttl"] == dict(enabled=True, attribute_name="expires_at")


def test_unset_options_are_neither_read_nor_written(stubs, run_module):
    expect_describe(stubs, table())
    result = run_module(dynamodb_table, dict(name="orders"))
    assert result["changed"] is False
    assert result["table"]["billing_mode"] == "PAY_PER_REQUEST"


def test_check_mode_create_makes_no_write_and_predicts_the_table(stubs, run_module):
    expect_describe(stubs, None)
    expect_key(stubs)
    result = run_module(dynamodb_table, BASE_ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["table"]["name"] == "orders"
    assert result["table"]["point_in_time_recovery"] == dict(enabled=True)
    assert result["diff"]["after"]["table"] == dict(name="orders", state="present")


def test_drift_is_put_back_and_shown_in_the_diff(stubs, run_module):
    expect_describe(stubs, table())
    expect_facets(stubs, pitr=False, tags=dict(team="someone-else", extra="x"))
    ddb = stubs["dynamodb"]
    ddb.add_response(
        "untag_resource", {}, dict(ResourceArn=ARN, TagKeys=["extra"])
    )
    ddb.add_response(
        "tag_resource", {}, dict(ResourceArn=ARN, Tags=[dict(Key="team", Value="payments")])
    )
    ddb.add_response(
        "update_continuous_backups",
        dict(ContinuousBackupsDescription=dict(ContinuousBackupsStatus="ENABLED")),
        dict(TableName="orders", PointInTimeRecoverySpecification=dict(PointInTimeRecoveryEnabled=True)),
    )
    result = run_module(dynamodb_table, BASE_ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["tags"] == dict(team="someone-else", extra="x")
    assert result["diff"]["after"]["tags"] == dict(team="payments")
    assert result["diff"]["before"]["point_in_time_recovery"]["enabled"] is False
    assert result["diff"]["after"]["point_in_time_recovery"] == dict(enabled=True)


def test_check_mode_drift_predicts_change_without_writing(stubs, run_module):
    expect_describe(stubs, table())
    expect_facets(stubs, pitr=False)
    result = run_module(dynamodb_table, BASE_ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["table"]["point_in_time_recovery"] == dict(enabled=True)


def test_key_schema_change_is_refused_before_any_write(stubs, run_module):
    expect_describe(stubs, table())
    args = dict(BASE_ARGS, range_key_type="STRING")
    result = run_module(dynamodb_table, args, expect_failure=True)
    assert "key schema" in result["msg"] and "range_key_type" in result["msg"]


def test_global_index_projection_change_is_refused_before_any_write(stubs, run_module):
    gsi = dict(
        IndexName="by-user",
        KeySchema=[dict(AttributeName="user", KeyType="HASH")],
        Projection=dict(ProjectionType="ALL"),
        IndexStatus="ACTIVE",
    )
    raw = table(
        GlobalSecondaryIndexes=[gsi],
        AttributeDefinitions=table()["AttributeDefinitions"] + [dict(AttributeName="user", AttributeType="S")],
    )
    expect_describe(stubs, raw)
    args = dict(name="orders", indexes=[dict(name="by-user", hash_key_name="user", projection="keys_only")])
    result = run_module(dynamodb_table, args, expect_failure=True)
    assert "cannot change its keys or projection" in result["msg"]


def test_new_global_index_is_created_alone_and_waited_for(stubs, run_module):
    expect_describe(stubs, table())
    ddb = stubs["dynamodb"]
    creating = dict(
        IndexName="by-user",
        KeySchema=[dict(AttributeName="user", KeyType="HASH")],
        Projection=dict(ProjectionType="KEYS_ONLY"),
        IndexStatus="CREATING",
    )
    ddb.add_response(
        "update_table",
        dict(TableDescription=table(status="UPDATING", GlobalSecondaryIndexes=[creating])),
        dict(
            TableName="orders",
            AttributeDefinitions=[
                dict(AttributeName="pk", AttributeType="S"),
                dict(AttributeName="sk", AttributeType="N"),
                dict(AttributeName="user", AttributeType="S"),
            ],
            GlobalSecondaryIndexUpdates=[
                dict(
                    Create=dict(
                        IndexName="by-user",
                        KeySchema=[dict(AttributeName="user", KeyType="HASH")],
                        Projection=dict(ProjectionType="KEYS_ONLY"),
                    )
                )
            ],
        ),
    )
    # The table turns ACTIVE while the index still backfills; the module waits for both.
    expect_describe(stubs, table(GlobalSecondaryIndexes=[creating]))
    expect_describe(stubs, table(GlobalSecondaryIndexes=[dict(creating, IndexStatus="ACTIVE")]))
    args = dict(name="orders", indexes=[dict(name="by-user", hash_key_name="user", projection="keys_only")])
    result = run_module(dynamodb_table, args)
    assert result["changed"] is True
    assert [i["status"] for i in result["table"]["indexes"]] == ["ACTIVE"]


def test_stream_view_type_change_disables_then_enables(stubs, run_module):
    expect_describe(stubs, table())
    ddb = stubs["dynamodb"]
    ddb.add_response(
        "update_table",
        dict(TableDescription=table(status="UPDATING")),
        dict(TableName="orders", StreamSpecification=dict(StreamEnabled=False)),
    )
    expect_describe(stubs, table(StreamSpecification=dict(StreamEnabled=False)))
    ddb.add_response(
        "update_table",
        dict(TableDescription=table(status="UPDATING")),
        dict(TableName="orders", StreamSpecification=dict(StreamEnabled=True, StreamViewType="KEYS_ONLY")),
    )
    args = dict(name="orders", stream_enabled=True, stream_view_type="KEYS_ONLY", wait=False)
    result = run_module(dynamodb_table, args)
    assert result["changed"] is True


SCALING_ARGS = dict(
    name="orders",
    billing_mode="PROVISIONED",
    read_capacity=5,
    write_capacity=5,
    auto_scaling=dict(read=dict(min_capacity=5, max_capacity=100)),
)


def provisioned(read=5, write=5):
    return table(
        BillingModeSummary=dict(BillingMode="PROVISIONED"),
        ProvisionedThroughput=dict(ReadCapacityUnits=read, WriteCapacityUnits=write),
    )


def read_target(min_capacity=5, max_capacity=100):
    return dict(
        ServiceNamespace="dynamodb",
        ResourceId="table/orders",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=min_capacity,
        MaxCapacity=max_capacity,
        RoleARN="arn:aws:iam::123456789012:role/aws-service-role/x",
        CreationTime="2026-01-01T00:00:00Z",
    )


def read_policy(target=70.0):
    return dict(
        PolicyARN="arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x",
        PolicyName="storagekit-read-capacity-utilization",
        ServiceNamespace="dynamodb",
        ResourceId="table/orders",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=dict(
            TargetValue=target,
            PredefinedMetricSpecification=dict(PredefinedMetricType="DynamoDBReadCapacityUtilization"),
            ScaleInCooldown=60,
            ScaleOutCooldown=60,
        ),
        CreationTime="2026-01-01T00:00:00Z",
    )


def expect_scaling_reads(stubs, targets, policies=None):
    """The auto scaling reads of a run: the table's targets, then its policies when it has targets."""
    scaling = stubs["application-autoscaling"]
    scaling.add_response(
        "describe_scalable_targets",
        dict(ScalableTargets=targets),
        dict(ServiceNamespace="dynamodb", ResourceIds=["table/orders"]),
    )
    if policies is not None:
        scaling.add_response(
            "describe_scaling_policies",
            dict(ScalingPolicies=policies),
            dict(ServiceNamespace="dynamodb", ResourceId="table/orders"),
        )
    return scaling


def test_auto_scaling_is_registered_and_its_policy_put(stubs, run_module):
    expect_describe(stubs, provisioned())
    scaling = expect_scaling_reads(stubs, [])
    target = dict(ServiceNamespace="dynamodb", ResourceId="table/orders", ScalableDimension="dynamodb:table:ReadCapacityUnits")
    scaling.add_response("register_scalable_target", {}, dict(target, MinCapacity=5, MaxCapacity=100))
    scaling.add_response(
        "put_scaling_policy",
        dict(PolicyARN="arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"),
        dict(
            target,
            PolicyName="storagekit-read-capacity-utilization",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=read_policy()["TargetTrackingScalingPolicyConfiguration"],
        ),
    )
    result = run_module(dynamodb_table, SCALING_ARGS)
    assert result["changed"] is True


def test_auto_scaled_capacity_is_left_to_auto_scaling(stubs, run_module):
    # Auto scaling raised read capacity to 40: that is not drift.
    expect_describe(stubs, provisioned(read=40))
    scaling = expect_scaling_reads(stubs, [read_target()], [read_policy()])
    result = run_module(dynamodb_table, SCALING_ARGS)
    assert result["changed"] is False


def test_policy_drift_only_rewrites_the_policy(stubs, run_module):
    expect_describe(stubs, provisioned())
    scaling = expect_scaling_reads(stubs, [read_target()], [read_policy(target=50.0)])
    scaling.add_response("put_scaling_policy", dict(PolicyARN="arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"))
    result = run_module(dynamodb_table, SCALING_ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["auto_scaling/read"]["target_utilization"] == 50.0
    assert result["diff"]["after"]["auto_scaling/read"]["target_utilization"] == 70.0


def test_write_capacity_change_carries_the_auto_scaled_read_capacity_over(stubs, run_module):
    expect_describe(stubs, provisioned(read=40))
    stubs["dynamodb"].add_response(
        "update_table",
        dict(TableDescription=provisioned(read=40, write=9)),
        dict(
            TableName="orders",
            BillingMode="PROVISIONED",
            ProvisionedThroughput=dict(ReadCapacityUnits=40, WriteCapacityUnits=9),
        ),
    )
    args = dict(SCALING_ARGS, write_capacity=9, auto_scaling=None, wait=False)
    args["auto_scaling"] = dict(read=dict(min_capacity=5, max_capacity=100))
    scaling = expect_scaling_reads(stubs, [read_target()], [read_policy()])
    result = run_module(dynamodb_table, args)
    assert result["changed"] is True


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(billing_mode="PAY_PER_REQUEST", auto_scaling=dict(read=dict(min_capacity=1, max_capacity=2))), "PROVISIONED"),
        (dict(encryption="customer_managed"), "needs kms_key_id"),
        (dict(stream_view_type="KEYS_ONLY"), "needs stream_enabled=true"),
        (dict(billing_mode="PROVISIONED", auto_scaling=dict(read=dict(min_capacity=9, max_capacity=2))), "min_capacity > max_capacity"),
        (dict(indexes=[dict(name="lsi1", type="local")]), "needs range_key_name"),
    ],
)
def test_inconsistent_options_fail_before_any_call(run_module, args, message):
    result = run_module(dynamodb_table, dict(name="orders", **args), expect_failure=True)
    assert message in result["msg"]


def test_absent_refuses_while_deletion_protection_is_on(stubs, run_module):
    expect_describe(stubs, table())
    result = run_module(dynamodb_table, dict(name="orders", state="absent"), expect_failure=True)
    assert "deletion protection" in result["msg"]


def test_absent_removes_scaling_targets_deletes_and_waits(stubs, run_module):
    expect_describe(stubs, provisioned() | dict(DeletionProtectionEnabled=False))
    scaling = expect_scaling_reads(stubs, [read_target()])
    scaling.add_response(
        "deregister_scalable_target",
        {},
        dict(ServiceNamespace="dynamodb", ResourceId="table/orders", ScalableDimension="dynamodb:table:ReadCapacityUnits"),
    )
    stubs["dynamodb"].add_response("delete_table", dict(TableDescription=table(status="DELETING")), dict(TableName="orders"))
    expect_describe(stubs, table(status="DELETING"))
    expect_describe(stubs, None)
    result = run_module(dynamodb_table, dict(name="orders", state="absent"))
    assert result["changed"] is True


def test_absent_in_check_mode_only_reads(stubs, run_module):
    expect_describe(stubs, table(DeletionProtectionEnabled=False))
    expect_scaling_reads(stubs, [])
    result = run_module(dynamodb_table, dict(name="orders", state="absent"), check_mode=True)
    assert result["changed"] is True


def test_absent_table_that_does_not_exist_is_unchanged(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(dynamodb_table, dict(name="orders", state="absent"))
    assert result["changed"] is False


def test_wait_times_out_with_a_clear_message(stubs, run_module, monkeypatch):
    clock = iter(range(0, 10000, 100))
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    expect_describe(stubs, table())
    stubs["dynamodb"].add_response(
        "update_table",
        dict(TableDescription=table(status="UPDATING")),
        dict(TableName="orders", TableClass="STANDARD_INFREQUENT_ACCESS"),
    )
    for dummy in range(3):
        expect_describe(stubs, table(status="UPDATING"))
    result = run_module(
        dynamodb_table, dict(name="orders", table_class="STANDARD_INFREQUENT_ACCESS", wait_timeout=250), expect_failure=True
    )
    assert "Timed out after 250 seconds" in result["msg"]


def test_an_unlisted_local_index_is_refused_unless_purge_is_off(stubs, run_module):
    lsi = dict(
        IndexName="by-date",
        KeySchema=[dict(AttributeName="pk", KeyType="HASH"), dict(AttributeName="created", KeyType="RANGE")],
        Projection=dict(ProjectionType="KEYS_ONLY"),
    )
    raw = table(
        LocalSecondaryIndexes=[lsi],
        AttributeDefinitions=table()["AttributeDefinitions"] + [dict(AttributeName="created", AttributeType="N")],
    )
    expect_describe(stubs, raw)
    result = run_module(dynamodb_table, dict(name="orders", indexes=[]), expect_failure=True)
    assert "cannot be removed" in result["msg"]
    expect_describe(stubs, raw)
    assert run_module(dynamodb_table, dict(name="orders", indexes=[], purge_indexes=False))["changed"] is False
