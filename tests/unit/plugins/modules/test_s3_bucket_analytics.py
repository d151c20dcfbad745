"""s3_bucket_analytics: one list call per managed kind, Put/Delete only for what differs, refusals before any call."""

from ansible_collections.storagekit.aws.plugins.modules import s3_bucket_analytics

BUCKET = "shop-uploads"
EXPORT = {"OutputSchemaVersion": "V_1", "Destination": {"S3BucketDestination": {
    "Format": "CSV", "Bucket": "arn:aws:s3:::shop-reports", "Prefix": "sca/shop-uploads/"}}}
RAW_ANALYTICS = {"Id": "whole-bucket", "StorageClassAnalysis": {"DataExport": EXPORT}}
ANALYTICS = [dict(id="whole-bucket", export_bucket="shop-reports", export_prefix="sca/shop-uploads/")]
METRICS = [dict(id="EntireBucket"), dict(id="invoices", prefix="invoices/", tags={"team": "billing"})]
RAW_METRICS = [{"Id": "EntireBucket"},
               {"Id": "invoices", "Filter": {"And": {"Prefix": "invoices/", "Tags": [{"Key": "team", "Value": "billing"}]}}}]


def expect_analytics(stubs, *configs):
    stubs["s3"].add_response("list_bucket_analytics_configurations",
                             {"AnalyticsConfigurationList": list(configs), "IsTruncated": False}, {"Bucket": BUCKET})


def expect_metrics(stubs, *configs):
    stubs["s3"].add_response("list_bucket_metrics_configurations",
                             {"MetricsConfigurationList": list(configs), "IsTruncated": False}, {"Bucket": BUCKET})


def test_create_both_kinds(stubs, run_module):
    expect_analytics(stubs)
    stubs["s3"].add_response("put_bucket_analytics_configuration", {}, {
        "Bucket": BUCKET, "Id": "whole-bucket", "AnalyticsConfiguration": RAW_ANALYTICS})
    expect_metrics(stubs)
    for raw in RAW_METRICS:
        stubs["s3"].add_response("put_bucket_metrics_configuration", {}, {
            "Bucket": BUCKET, "Id": raw["Id"], "MetricsConfiguration": raw})
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, analytics=ANALYTICS, metrics=METRICS), diff=True)
    assert result["changed"] is True
    assert result["analytics"][0]["export_bucket"] == "shop-reports"
    assert [m["id"] for m in result["metrics"]] == ["EntireBucket", "invoices"]
    assert result["diff"]["before"]["metrics:invoices"] is None


def test_no_change_is_two_reads(stubs, run_module):
    expect_analytics(stubs, RAW_ANALYTICS)
    expect_metrics(stubs, *RAW_METRICS)
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, analytics=ANALYTICS, metrics=METRICS))
    assert result["changed"] is False


def test_unset_kind_is_not_read(stubs, run_module):
    expect_metrics(stubs, *RAW_METRICS)
    assert run_module(s3_bucket_analytics, dict(bucket=BUCKET, metrics=METRICS))["changed"] is False


def test_drift_repaired_and_extra_purged_check_mode_writes_nothing(stubs, run_module):
    drifted = dict(RAW_ANALYTICS, StorageClassAnalysis={})
    extra = {"Id": "old", "Filter": {"Prefix": "tmp/"}}
    args = dict(bucket=BUCKET, analytics=ANALYTICS, metrics=METRICS)
    expect_analytics(stubs, drifted)
    expect_metrics(stubs, *(RAW_METRICS + [extra]))
    assert run_module(s3_bucket_analytics, args, check_mode=True)["changed"] is True
    expect_analytics(stubs, drifted)
    stubs["s3"].add_response("put_bucket_analytics_configuration", {}, {
        "Bucket": BUCKET, "Id": "whole-bucket", "AnalyticsConfiguration": RAW_ANALYTICS})
    expect_metrics(stubs, *(RAW_METRICS + [extra]))
    stubs["s3"].add_response("delete_bucket_metrics_configuration", {}, {"Bucket": BUCKET, "Id": "old"})
    assert run_module(s3_bucket_analytics, args)["changed"] is True


def test_no_purge_keeps_others(stubs, run_module):
    expect_metrics(stubs, *(RAW_METRICS + [{"Id": "old"}]))
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, metrics=METRICS, purge_metrics=False))
    assert result["changed"] is False
    assert len(result["metrics"]) == 3


def test_absent_removes_listed_ids(stubs, run_module):
    expect_metrics(stubs, *RAW_METRICS)
    stubs["s3"].add_response("delete_bucket_metrics_configuration", {}, {"Bucket": BUCKET, "Id": "invoices"})
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, metrics=[dict(id="invoices")], state="absent"))
    assert result["changed"] is True
    assert [m["id"] for m in result["metrics"]] == ["EntireBucket"]


def test_missing_bucket_in_check_mode_predicts_creation(stubs, run_module):
    stubs["s3"].add_client_error("list_bucket_metrics_configurations", "NoSuchBucket", http_status_code=404)
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, metrics=METRICS), check_mode=True)
    assert result["changed"] is True


def test_bad_input_refused_before_any_call(stubs, run_module):
    args = dict(bucket=BUCKET, analytics=[dict(id="a", export_prefix="x/")],
                metrics=[dict(id="m"), dict(id="m"), dict(id="x" * 65)])
    result = run_module(s3_bucket_analytics, args, expect_failure=True)
    assert "export_prefix and export_account_id need export_bucket" in result["msg"]
    assert "metrics id m is listed more than once" in result["msg"]
    assert "must have 1 to 64 characters" in result["msg"]
    result = run_module(s3_bucket_analytics, dict(bucket=BUCKET, analytics=[dict(id="a", export_bucket="Bad_Name")]),
                        expect_failure=True)
    assert "export_bucket" in result["msg"]
