"""dynamodb_table with a list of tables: creations first, one wait for all, then the settings of ACTIVE tables."""

from ansible_collections.storagekit.aws.plugins.modules import dynamodb_table

from dynamodb_stubs import table

NAMES = ("orders", "invoices")


def raw(name, status="ACTIVE"):
    return table(
        status=status,
        TableName=name,
        TableArn="arn:aws:dynamodb:us-east-1:123456789012:table/" + name,
        KeySchema=[dict(AttributeName="pk", KeyType="HASH")],
        AttributeDefinitions=[dict(AttributeName="pk", AttributeType="S")],
        StreamSpecification=dict(StreamEnabled=False),
        SSEDescription=None,
    )


def describe(stubs, name, status="ACTIVE"):
    table_raw = dict((k, v) for k, v in raw(name, status).items() if v is not None)
    table_raw.pop("LatestStreamArn")
    if status is None:
        stubs["dynamodb"].add_client_error("describe_table", "ResourceNotFoundException", expected_params=dict(TableName=name))
    else:
        stubs["dynamodb"].add_response("describe_table", dict(Table=table_raw), dict(TableName=name))


def create(stubs, name):
    request = dict(
        TableName=name,
        KeySchema=[dict(AttributeName="pk", KeyType="HASH")],
        AttributeDefinitions=[dict(AttributeName="pk", AttributeType="S")],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=True,
    )
    answer = dict((k, v) for k, v in raw(name, "CREATING").items() if v is not None)
    answer.pop("LatestStreamArn")
    stubs["dynamodb"].add_response("create_table", dict(TableDescription=answer), request)


def enable_pitr(stubs, name):
    stubs["dynamodb"].add_response(
        "update_continuous_backups",
        dict(ContinuousBackupsDescription=dict(ContinuousBackupsStatus="ENABLED")),
        dict(TableName=name, PointInTimeRecoverySpecification=dict(PointInTimeRecoveryEnabled=True)),
    )


def pitr_read(stubs, name, enabled=True):
    stubs["dynamodb"].add_response(
        "describe_continuous_backups",
        dict(
            ContinuousBackupsDescription=dict(
                ContinuousBackupsStatus="ENABLED",
                PointInTimeRecoveryDescription=dict(PointInTimeRecoveryStatus="ENABLED" if enabled else "DISABLED"),
            )
        ),
        dict(TableName=name),
    )


def args(**extra):
    tables = [dict(name=name, hash_key_name="pk", point_in_time_recovery=True) for name in NAMES]
    return dict(tables=tables, parallelism=1, **extra)


def test_all_tables_are_created_before_one_wait_for_all_then_their_settings(stubs, run_module):
    for name in NAMES:
        describe(stubs, name, None)
        create(stubs, name)
    # One wait for both: a round reads every table not ACTIVE yet.
    describe(stubs, "orders", "CREATING")
    describe(stubs, "invoices", "ACTIVE")
    describe(stubs, "orders", "ACTIVE")
    for name in NAMES:
        enable_pitr(stubs, name)
    result = run_module(dynamodb_table, args())
    assert result["changed"] is True
    assert [t["name"] for t in result["tables"]] == list(NAMES)
    assert [t["changed"] for t in result["tables"]] == [True, True]
    assert result["tables"][0]["table"]["point_in_time_recovery"] == dict(enabled=True)
    assert "table" not in result


def test_check_mode_predicts_each_table_with_its_own_diff_and_writes_nothing(stubs, run_module):
    describe(stubs, "orders", None)
    describe(stubs, "invoices")
    pitr_read(stubs, "invoices")
    result = run_module(dynamodb_table, args(), check_mode=True, diff=True)
    orders, invoices = result["tables"]
    assert orders["changed"] is True and invoices["changed"] is False
    assert orders["diff"]["after"]["table"] == dict(name="orders", state="present")
    assert invoices["diff"] == dict(before={}, after={})
    assert [d["before_header"] for d in result["diff"]] == ["DynamoDB table orders", "DynamoDB table invoices"]


def test_a_failed_table_does_not_hide_the_others_and_is_named(stubs, run_module):
    stubs["dynamodb"].add_client_error(
        "describe_table", "AccessDeniedException", "not allowed", expected_params=dict(TableName="orders")
    )
    describe(stubs, "invoices")
    pitr_read(stubs, "invoices", enabled=False)
    enable_pitr(stubs, "invoices")
    result = run_module(dynamodb_table, args(), expect_failure=True)
    assert result["msg"].startswith("Failed to manage 1 of 2 DynamoDB tables: orders (Failed to manage DynamoDB table orders")
    assert "not allowed" in result["msg"]
    orders, invoices = result["tables"]
    assert orders["failed"] is True
    assert invoices["changed"] is True and invoices["table"]["point_in_time_recovery"] == dict(enabled=True)
    assert result["changed"] is True


def test_invalid_tables_fail_before_any_call(stubs, run_module):
    tables = [dict(name="orders"), dict(name="invoices", billing_mode="FREE")]
    result = run_module(dynamodb_table, dict(tables=tables), expect_failure=True)
    assert result["msg"].startswith("Invalid items: item 1 (invoices): value of billing_mode must be one of")


def test_tables_that_fail_the_option_checks_stop_every_table_before_any_call(stubs, run_module):
    tables = [
        dict(name="orders", encryption="customer_managed"),
        dict(name="invoices", stream_view_type="KEYS_ONLY"),
        dict(name="customers"),
    ]
    result = run_module(dynamodb_table, dict(tables=tables), expect_failure=True)
    assert result["msg"] == (
        "Failed to manage 2 of 3 DynamoDB tables: orders (encryption=customer_managed needs kms_key_id.); "
        "invoices (stream_view_type needs stream_enabled=true.)"
    )
    assert result["tables"][2] == dict(name="customers", changed=False)


def test_tables_and_table_options_together_are_refused(stubs, run_module):
    result = run_module(dynamodb_table, dict(args(), hash_key_name="pk"), expect_failure=True)
    assert "mutually exclusive" in result["msg"]


def test_a_table_without_wait_or_active_only_settings_is_not_waited_for(stubs, run_module):
    describe(stubs, "orders", None)
    create(stubs, "orders")
    result = run_module(dynamodb_table, dict(tables=[dict(name="orders", hash_key_name="pk", wait=False)]))
    assert result["tables"][0]["table"]["status"] == "CREATING"


def test_a_key_alias_shared_by_the_tables_is_read_once(stubs, run_module):
    key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    describe(stubs, "orders")
    stubs["kms"].add_response(
        "describe_key", dict(KeyMetadata=dict(KeyId="11111111-2222-3333-4444-555555555555", Arn=key_arn, KeyState="Enabled")),
        dict(KeyId="alias/tables"),
    )
    describe(stubs, "invoices")
    tables = [dict(name=name, encryption="customer_managed", kms_key_id="alias/tables") for name in NAMES]
    result = run_module(dynamodb_table, dict(tables=tables, parallelism=1), check_mode=True)
    assert [t["changed"] for t in result["tables"]] == [True, True]
