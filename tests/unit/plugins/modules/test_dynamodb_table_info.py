"""dynamodb_table_info: one describe per table, one call per requested facet, nothing else."""

from ansible_collections.storagekit.aws.plugins.modules import dynamodb_table_info

from dynamodb_stubs import ARN, KEY_ARN, expect_facets, table


def test_one_table_with_the_requested_facets(stubs, run_module):
    stubs["dynamodb"].add_response("describe_table", dict(Table=table()), dict(TableName="orders"))
    # The table uses KMS: the aws/dynamodb key is read once to tell AWS managed from customer managed.
    stubs["kms"].add_response(
        "describe_key",
        dict(KeyMetadata=dict(KeyId="aws-managed", Arn="arn:aws:kms:us-east-1:123456789012:key/aws-managed")),
        dict(KeyId="alias/aws/dynamodb"),
    )
    expect_facets(stubs)
    result = run_module(
        dynamodb_table_info, dict(name="orders", facets=["point_in_time_recovery", "ttl", "tags"])
    )
    (found,) = result["tables"]
    assert found["arn"] == ARN
    assert found["encryption"] == "customer_managed" and found["kms_key_id"] == KEY_ARN
    assert found["point_in_time_recovery"] == dict(enabled=True, recovery_period_days=35)
    assert found["tags"] == dict(team="payments")
    assert result["changed"] is False


def test_all_tables_without_facets_and_a_missing_one_is_skipped(stubs, run_module):
    ddb = stubs["dynamodb"]
    ddb.add_response("list_tables", dict(TableNames=["orders", "gone"]), {})
    ddb.add_response("describe_table", dict(Table=dict((k, v) for k, v in table().items() if k != "SSEDescription")), dict(TableName="orders"))
    ddb.add_client_error("describe_table", "ResourceNotFoundException", expected_params=dict(TableName="gone"))
    result = run_module(dynamodb_table_info, dict(facets=[]))
    assert [t["name"] for t in result["tables"]] == ["orders"]
    assert result["tables"][0]["encryption"] == "aws_owned"
