"""s3_bucket with a list of buckets: one result, diff and error per bucket."""

from ansible_collections.storagekit.aws.plugins.modules import s3_bucket


def head(stubs, name, exists=True):
    if exists:
        stubs["s3"].add_response("head_bucket", {}, dict(Bucket=name))
    else:
        stubs["s3"].add_client_error(
            "head_bucket", service_error_code="404", service_message="Not Found", http_status_code=404,
            expected_params=dict(Bucket=name),
        )


def versioning(stubs, name, status):
    stubs["s3"].add_response("get_bucket_versioning", dict(Status=status), dict(Bucket=name))


BUCKETS = [dict(name="acme-logs", versioning="enabled"), dict(name="acme-uploads", versioning="enabled")]


def test_check_mode_predicts_each_bucket_with_its_own_diff(stubs, run_module):
    head(stubs, "acme-logs")
    versioning(stubs, "acme-logs", "Enabled")
    head(stubs, "acme-uploads", exists=False)
    result = run_module(s3_bucket, dict(buckets=BUCKETS, parallelism=1), check_mode=True, diff=True)
    logs, uploads = result["buckets"]
    assert logs["changed"] is False and logs["diff"] == dict(before={}, after={})
    assert uploads["changed"] is True
    assert uploads["diff"] == dict(
        before=dict(bucket=None, versioning="disabled"),
        after=dict(bucket=dict(name="acme-uploads", state="present"), versioning="enabled"),
    )
    assert result["changed"] is True
    assert [d["after_header"] for d in result["diff"]] == ["S3 bucket acme-logs", "S3 bucket acme-uploads"]


def test_one_failed_bucket_leaves_the_others_done_and_fails_the_task_naming_it(stubs, run_module):
    stubs["s3"].add_client_error("head_bucket", "403", "Forbidden", 403, expected_params=dict(Bucket="acme-logs"))
    head(stubs, "acme-uploads")
    versioning(stubs, "acme-uploads", "Suspended")
    stubs["s3"].add_response(
        "put_bucket_versioning", {}, dict(Bucket="acme-uploads", VersioningConfiguration=dict(Status="Enabled"))
    )
    result = run_module(s3_bucket, dict(buckets=BUCKETS, parallelism=1), expect_failure=True)
    assert result["msg"].startswith("Failed to manage 1 of 2 S3 buckets: acme-logs (Failed to manage S3 bucket acme-logs")
    assert result["buckets"][1]["changed"] is True
    assert result["buckets"][1]["bucket"]["versioning"] == "enabled"


def test_a_single_bucket_still_returns_bucket(stubs, run_module):
    head(stubs, "acme-logs")
    versioning(stubs, "acme-logs", "Enabled")
    result = run_module(s3_bucket, dict(name="acme-logs", versioning="enabled"))
    assert result["changed"] is False and result["bucket"]["versioning"] == "enabled"
    assert "buckets" not in result
