"""What the project adds to moto's DynamoDB: TableId and contributor insights."""

import uuid

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .helpers import assert_local, create_table, error_code, gsi_create


@pytest.fixture
def dynamodb(aws, boto3_client):
    assert_local(aws)
    return boto3_client("dynamodb", attempts=1)


def test_table_id_is_stable_and_in_every_table_answer(dynamodb):
    created = create_table(dynamodb)["TableId"]
    uuid.UUID(created)
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableId"] == created
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableId"] == created
    updated = dynamodb.update_table(TableName="orders", **gsi_create())["TableDescription"]
    assert updated["TableId"] == created
    deleted = dynamodb.delete_table(TableName="orders")["TableDescription"]
    assert deleted["TableId"] == created
    assert deleted["TableStatus"] == "DELETING"
    assert create_table(dynamodb)["TableId"] != created  # a new table with the same name


def test_table_ids_differ_per_table(dynamodb):
    assert create_table(dynamodb, "orders")["TableId"] != create_table(dynamodb, "customers")["TableId"]


def test_contributor_insights_enable_describe_disable(dynamodb):
    create_table(dynamodb)
    never = dynamodb.describe_contributor_insights(TableName="orders")
    assert never["ContributorInsightsStatus"] == "DISABLED"

    enabled = dynamodb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    assert (enabled["TableName"], enabled["ContributorInsightsStatus"]) == ("orders", "ENABLED")
    described = dynamodb.describe_contributor_insights(TableName="orders")
    assert described["ContributorInsightsStatus"] == "ENABLED"
    assert described["LastUpdateDateTime"]
    rules = described["ContributorInsightsRuleList"]
    assert rules and all(r.startswith("DynamoDBContributorInsights-PK") and "-orders-" in r for r in rules)

    disabled = dynamodb.update_contributor_insights(TableName="orders", ContributorInsightsAction="DISABLE")
    assert disabled["ContributorInsightsStatus"] == "DISABLED"
    assert dynamodb.describe_contributor_insights(TableName="orders")["ContributorInsightsStatus"] == "DISABLED"


def test_contributor_insights_on_an_index_and_sort_key_rules(dynamodb):
    dynamodb.create_table(
        TableName="events",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_table(TableName="events", **gsi_create())
    dynamodb.update_contributor_insights(TableName="events", ContributorInsightsAction="ENABLE")
    answer = dynamodb.update_contributor_insights(
        TableName="events", IndexName="by-status", ContributorInsightsAction="ENABLE")
    assert answer["IndexName"] == "by-status"
    table_rules = dynamodb.describe_contributor_insights(TableName="events")["ContributorInsightsRuleList"]
    assert any("-SKC-" in rule for rule in table_rules)
    index = dynamodb.describe_contributor_insights(TableName="events", IndexName="by-status")
    assert index["IndexName"] == "by-status" and index["ContributorInsightsStatus"] == "ENABLED"
    assert not any("-SKC-" in rule for rule in index["ContributorInsightsRuleList"])


def test_list_contributor_insights(dynamodb):
    create_table(dynamodb, "orders")
    create_table(dynamodb, "customers")
    dynamodb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    summaries = dynamodb.list_contributor_insights()["ContributorInsightsSummaries"]
    assert {(s["TableName"], s["ContributorInsightsStatus"]) for s in summaries} == {
        ("orders", "ENABLED"), ("customers", "DISABLED")}
    only = dynamodb.list_contributor_insights(TableName="orders")["ContributorInsightsSummaries"]
    assert [s["TableName"] for s in only] == ["orders"]
    page = dynamodb.list_contributor_insights(MaxResults=1)
    assert len(page["ContributorInsightsSummaries"]) == 1
    rest = dynamodb.list_contributor_insights(MaxResults=1, NextToken=page["NextToken"])
    assert len(rest["ContributorInsightsSummaries"]) == 1 and "NextToken" not in rest


def test_unknown_table_or_index_is_not_found(dynamodb):
    for call in (
        lambda: dynamodb.describe_contributor_insights(TableName="missing"),
        lambda: dynamodb.update_contributor_insights(TableName="missing", ContributorInsightsAction="ENABLE"),
        lambda: dynamodb.list_contributor_insights(TableName="missing"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_code(excinfo) == "ResourceNotFoundException"
    create_table(dynamodb)
    with pytest.raises(ClientError) as excinfo:
        dynamodb.describe_contributor_insights(TableName="orders", IndexName="no-such-index")
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_bad_input_is_a_validation_exception(aws, boto3_client):
    assert_local(aws)
    # botocore checks input on the client side too; switch that off to send what a
    # careless client could send.
    client = boto3_client("dynamodb", config=Config(parameter_validation=False,
                                                    retries={"total_max_attempts": 1}))
    create_table(client)
    for method, kwargs in (
        ("update_contributor_insights", {"TableName": "orders", "ContributorInsightsAction": "SWITCH_ON"}),
        ("update_contributor_insights", {"TableName": "orders"}),
        ("update_contributor_insights", {"TableName": "", "ContributorInsightsAction": "ENABLE"}),
        ("list_contributor_insights", {"MaxResults": 1000}),
    ):
        with pytest.raises(ClientError) as excinfo:
            getattr(client, method)(**kwargs)
        assert error_code(excinfo) == "ValidationException", kwargs
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_state_goes_with_the_table(dynamodb):
    create_table(dynamodb)
    dynamodb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    dynamodb.delete_table(TableName="orders")
    create_table(dynamodb)
    assert dynamodb.describe_contributor_insights(TableName="orders")["ContributorInsightsStatus"] == "DISABLED"


def test_table_arn_is_accepted(dynamodb):
    arn = create_table(dynamodb)["TableArn"]
    dynamodb.update_contributor_insights(TableName=arn, ContributorInsightsAction="ENABLE")
    assert dynamodb.describe_contributor_insights(TableName="orders")["ContributorInsightsStatus"] == "ENABLED"


def test_table_class_is_kept_and_reported(dynamodb):
    created = create_table(dynamodb, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert created["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    described = dynamodb.describe_table(TableName="orders")["Table"]
    assert described["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    dynamodb.update_table(TableName="orders", TableClass="STANDARD")
    assert dynamodb.describe_table(TableName="orders")["Table"]["TableClassSummary"]["TableClass"] == "STANDARD"


def test_a_table_created_without_class_reports_none(dynamodb):
    create_table(dynamodb)
    assert "TableClassSummary" not in dynamodb.describe_table(TableName="orders")["Table"]


def test_sse_moves_between_owned_managed_and_customer_keys(dynamodb, boto3_client):
    kms = boto3_client("kms", attempts=1)
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=key["KeyId"])
    create_table(dynamodb)
    assert "SSEDescription" not in dynamodb.describe_table(TableName="orders")["Table"]

    dynamodb.update_table(TableName="orders", SSESpecification={"Enabled": True, "SSEType": "KMS"})
    managed = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]
    sse = dynamodb.describe_table(TableName="orders")["Table"]["SSEDescription"]
    assert sse == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": managed}

    updated = dynamodb.update_table(
        TableName="orders", SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders"}
    )["TableDescription"]
    assert updated["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]
    assert dynamodb.describe_table(TableName="orders")["Table"]["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]

    dynamodb.update_table(TableName="orders", SSESpecification={"Enabled": False})
    assert "SSEDescription" not in dynamodb.describe_table(TableName="orders")["Table"]


def test_a_key_alias_at_creation_is_reported_by_key_arn(dynamodb, boto3_client):
    kms = boto3_client("kms", attempts=1)
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=key["KeyId"])
    created = create_table(
        dynamodb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders"}
    )
    assert created["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]


def test_a_disabled_stream_can_be_enabled_again_with_a_new_view_type(dynamodb):
    create_table(dynamodb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    first = dynamodb.describe_table(TableName="orders")["Table"]["LatestStreamArn"]
    dynamodb.update_table(TableName="orders", StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in dynamodb.describe_table(TableName="orders")["Table"]
    dynamodb.update_table(
        TableName="orders", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    table = dynamodb.describe_table(TableName="orders")["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert table["LatestStreamArn"] != first


def test_enabling_an_enabled_stream_is_still_refused(dynamodb):
    create_table(dynamodb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    with pytest.raises(ClientError):
        dynamodb.update_table(
            TableName="orders", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        )


def test_a_table_deleted_with_point_in_time_recovery_leaves_a_system_backup(dynamodb, boto3_client):
    """AWS keeps <table>$DeletedTableBackup for 35 days, encrypted as the table was."""
    key = boto3_client("kms").create_key()["KeyMetadata"]["Arn"]
    for name in ("kept", "plain"):
        dynamodb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST",
                              SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key})
    dynamodb.update_continuous_backups(TableName="kept",
                                       PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    dynamodb.delete_table(TableName="kept")
    dynamodb.delete_table(TableName="plain")
    (summary,) = dynamodb.list_backups(TableName="kept", BackupType="ALL")["BackupSummaries"]
    assert summary["BackupName"] == "kept$DeletedTableBackup" and summary["BackupType"] == "SYSTEM"
    assert dynamodb.list_backups(TableName="plain", BackupType="ALL")["BackupSummaries"] == []
    backup = dynamodb.describe_backup(BackupArn=summary["BackupArn"])["BackupDescription"]
    assert backup["SourceTableFeatureDetails"]["SSEDescription"]["KMSMasterKeyArn"] == key

