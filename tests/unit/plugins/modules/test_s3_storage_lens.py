"""s3_storage_lens: one read (two with tags) a no-change run, compared in the option shape, refusals before any call."""

from ansible_collections.storagekit.aws.plugins.modules import s3_storage_lens

ACCOUNT = "123456789012"
ARGS = dict(id="shop-lens", account_id=ACCOUNT, include_buckets=["shop-uploads"], activity_metrics=True,
            prefix_metrics=dict(max_depth=3), export=dict(bucket="shop-reports", prefix="lens", format="Parquet"),
            tags={"application": "shop"})
CONFIG = {
    "Id": "shop-lens", "IsEnabled": True,
    "AccountLevel": {"ActivityMetrics": {"IsEnabled": True}, "AdvancedCostOptimizationMetrics": {"IsEnabled": False},
                     "BucketLevel": {"ActivityMetrics": {"IsEnabled": True}, "AdvancedCostOptimizationMetrics": {"IsEnabled": False},
                                     "PrefixLevel": {"StorageMetrics": {"IsEnabled": True, "SelectionCriteria": {
                                         "Delimiter": "/", "MaxDepth": 3, "MinStorageBytesPercentage": 1.0}}}}},
    "Include": {"Buckets": ["arn:aws:s3:::shop-uploads"]},
    "DataExport": {"S3BucketDestination": {"Format": "Parquet", "OutputSchemaVersion": "V_1", "AccountId": ACCOUNT,
                                           "Arn": "arn:aws:s3:::shop-reports", "Prefix": "lens", "Encryption": {"SSES3": {}}}},
}
KEY = dict(ConfigId="shop-lens", AccountId=ACCOUNT)


def expect_get(stubs, config):
    if config is None:
        stubs["s3control"].add_client_error("get_storage_lens_configuration", "NoSuchConfiguration", http_status_code=404,
                                            expected_params=KEY)
    else:
        stubs["s3control"].add_response("get_storage_lens_configuration", {"StorageLensConfiguration": config}, KEY)


def expect_tags(stubs, tags):
    stubs["s3control"].add_response("get_storage_lens_configuration_tagging",
                                    {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}, KEY)


def test_create_with_tags(stubs, run_module):
    expect_get(stubs, None)
    stubs["s3control"].add_response("put_storage_lens_configuration", {}, dict(
        KEY, StorageLensConfiguration=CONFIG, Tags=[{"Key": "application", "Value": "shop"}]))
    result = run_module(s3_storage_lens, ARGS, diff=True)
    assert result["changed"] is True
    assert result["storage_lens"]["export"]["format"] == "Parquet"
    assert result["diff"]["before"] == {"configuration": None}


def test_no_change_reads_configuration_and_tags(stubs, run_module):
    expect_get(stubs, CONFIG)
    expect_tags(stubs, {"application": "shop"})
    assert run_module(s3_storage_lens, ARGS)["changed"] is False


def test_missing_metric_is_the_same_as_disabled(stubs, run_module):
    config = dict(CONFIG, AccountLevel=dict(CONFIG["AccountLevel"]))
    del config["AccountLevel"]["AdvancedCostOptimizationMetrics"]
    expect_get(stubs, config)
    assert run_module(s3_storage_lens, dict(ARGS, tags=None))["changed"] is False


def test_drift_repaired_check_mode_writes_nothing(stubs, run_module):
    drifted = dict(CONFIG, AccountLevel=dict(CONFIG["AccountLevel"], ActivityMetrics={"IsEnabled": False}))
    expect_get(stubs, drifted)
    expect_tags(stubs, {"application": "shop", "extra": "x"})
    assert run_module(s3_storage_lens, ARGS, check_mode=True)["changed"] is True
    expect_get(stubs, drifted)
    stubs["s3control"].add_response("put_storage_lens_configuration", {}, dict(KEY, StorageLensConfiguration=CONFIG))
    expect_tags(stubs, {"application": "shop", "extra": "x"})
    stubs["s3control"].add_response("put_storage_lens_configuration_tagging", {}, dict(
        KEY, Tags=[{"Key": "application", "Value": "shop"}]))
    assert run_module(s3_storage_lens, ARGS)["changed"] is True


def test_account_from_sts_and_delete(stubs, run_module):
    stubs["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": "arn:aws:iam::123456789012:user/x",
                                                      "UserId": "x"}, {})
    expect_get(stubs, CONFIG)
    stubs["s3control"].add_response("delete_storage_lens_configuration", {}, KEY)
    assert run_module(s3_storage_lens, dict(id="shop-lens", state="absent"))["changed"] is True


def test_bad_input_refused_before_any_call(stubs, run_module):
    args = dict(ARGS, id="bad id", exclude_regions=["eu-west-1"], prefix_metrics=dict(max_depth=11),
                export=dict(bucket="shop-reports", encryption="sse_kms"))
    result = run_module(s3_storage_lens, args, expect_failure=True)
    for text in ("id must have", "cannot both be set", "max_depth must be from 1 to 10", "kms_key_arn must be the ARN"):
        assert text in result["msg"]
