"""Stubbed DynamoDB answers shared by the dynamodb_table and dynamodb_table_info tests."""

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


def table(status="ACTIVE", **extra):
    raw = dict(
        TableName="orders",
        TableArn=ARN,
        TableId="6f1c2f7e-0000-4000-8000-000000000001",
        TableStatus=status,
        KeySchema=[dict(AttributeName="pk", KeyType="HASH"), dict(AttributeName="sk", KeyType="RANGE")],
        AttributeDefinitions=[dict(AttributeName="pk", AttributeType="S"), dict(AttributeName="sk", AttributeType="N")],
        BillingModeSummary=dict(BillingMode="PAY_PER_REQUEST"),
        ProvisionedThroughput=dict(ReadCapacityUnits=0, WriteCapacityUnits=0),
        StreamSpecification=dict(StreamEnabled=True, StreamViewType="NEW_AND_OLD_IMAGES"),
        LatestStreamArn=ARN + "/stream/2026-01-01T00:00:00.000",
        SSEDescription=dict(Status="ENABLED", SSEType="KMS", KMSMasterKeyArn=KEY_ARN),
        DeletionProtectionEnabled=True,
        ItemCount=0,
        TableSizeBytes=0,
    )
    raw.update(extra)
    return raw


BASE_ARGS = dict(
    name="orders",
    hash_key_name="pk",
    range_key_name="sk",
    range_key_type="NUMBER",
    billing_mode="PAY_PER_REQUEST",
    stream_enabled=True,
    encryption="customer_managed",
    kms_key_id=KEY_ARN,
    point_in_time_recovery=True,
    ttl=dict(enabled=True, attribute_name="expires_at"),
    tags=dict(team="payments"),
)


def expect_describe(stubs, raw):
    if raw is None:
        stubs["dynamodb"].add_client_error(
            "describe_table", "ResourceNotFoundException", expected_params=dict(TableName="orders")
        )
    else:
        stubs["dynamodb"].add_response("describe_table", dict(Table=raw), dict(TableName="orders"))


def expect_facets(stubs, pitr=True, ttl=True, tags=None):
    ddb = stubs["dynamodb"]
    ddb.add_response(
        "describe_continuous_backups",
        dict(
            ContinuousBackupsDescription=dict(
                ContinuousBackupsStatus="ENABLED",
                PointInTimeRecoveryDescription=dict(
                    PointInTimeRecoveryStatus="ENABLED" if pitr else "DISABLED", RecoveryPeriodInDays=35
                ),
            )
        ),
        dict(TableName="orders"),
    )
    ttl_description = dict(TimeToLiveStatus="ENABLED", AttributeName="expires_at") if ttl else dict(TimeToLiveStatus="DISABLED")
    ddb.add_response("describe_time_to_live", dict(TimeToLiveDescription=ttl_description), dict(TableName="orders"))
    tags = dict(team="payments") if tags is None else tags
    ddb.add_response(
        "list_tags_of_resource",
        dict(Tags=[dict(Key=k, Value=v) for k, v in tags.items()]),
        dict(ResourceArn=ARN),
    )


def expect_key(stubs, state="Enabled", key_id=KEY_ARN):
    """One KMS DescribeKey of the table's key; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=key_id))
        return
    metadata = dict(KeyId=KEY_ARN.rsplit("/", 1)[1], Arn=KEY_ARN, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId=key_id))
