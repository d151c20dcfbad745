"""s3_bucket_intelligent_tiering: one paginated read, and Put/Delete only for what differs."""

from ansible_collections.storagekit.aws.plugins.modules import s3_bucket_intelligent_tiering

BUCKET = "acme-loki-chunks"
ARCHIVE = dict(id="archive-chunks", prefix="fake/", archive_access_days=90, deep_archive_access_days=180)
TAGGED = dict(id="cold", tags=dict(temperature="cold", team="obs"), deep_archive_access_days=365, status="disabled")

RAW_ARCHIVE = dict(
    Id="archive-chunks",
    Filter=dict(Prefix="fake/"),
    Status="Enabled",
    Tierings=[dict(Days=90, AccessTier="ARCHIVE_ACCESS"), dict(Days=180, AccessTier="DEEP_ARCHIVE_ACCESS")],
)
RAW_TAGGED = dict(
    Id="cold",
    Filter=dict(And=dict(Tags=[dict(Key="team", Value="obs"), dict(Key="temperature", Value="cold")])),
    Status="Disabled",
    Tierings=[dict(Days=365, AccessTier="DEEP_ARCHIVE_ACCESS")],
)
RAW_OTHER = dict(Id="other", Status="Enabled", Tierings=[dict(Days=200, AccessTier="ARCHIVE_ACCESS")])


def expect_list(stubs, *pages):
    """One response per page; every page but the last is truncated."""
    token = None
    for number, page in enumerate(pages):
        params = dict(Bucket=BUCKET)
        if token:
            params["ContinuationToken"] = token
        response = dict(IntelligentTieringConfigurationList=page, IsTruncated=number < len(pages) - 1)
        if response["IsTruncated"]:
            token = "page-{0}".format(number + 1)
            response["NextContinuationToken"] = token
        stubs["s3"].add_response("list_bucket_intelligent_tiering_configurations", response, params)


def expect_put(stubs, raw):
    stubs["s3"].add_response(
        "put_bucket_intelligent_tiering_configuration",
        {},
        dict(Bucket=BUCKET, Id=raw["Id"], IntelligentTieringConfiguration=raw),
    )


def expect_delete(stubs, config_id):
    stubs["s3"].add_response("delete_bucket_intelligent_tiering_configuration", {}, dict(Bucket=BUCKET, Id=config_id))


def test_create_puts_each_configuration_with_the_right_filter(stubs, run_module):
    expect_list(stubs, [])
    expect_put(stubs, RAW_ARCHIVE)
    expect_put(stubs, RAW_TAGGED)
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE, TAGGED]))
    assert result["changed"] is True
    assert [c["id"] for c in result["configurations"]] == ["archive-chunks", "cold"]
    assert result["configurations"][1] == dict(
        id="cold", status="disabled", tags=dict(temperature="cold", team="obs"), deep_archive_access_days=365
    )


def test_single_tag_and_prefix_with_tag_filters(stubs, run_module):
    expect_list(stubs, [])
    expect_put(
        stubs,
        dict(Id="a", Status="Enabled", Filter=dict(Tag=dict(Key="k", Value="v")), Tierings=[dict(Days=90, AccessTier="ARCHIVE_ACCESS")]),
    )
    expect_put(
        stubs,
        dict(
            Id="b",
            Status="Enabled",
            Filter=dict(And=dict(Prefix="logs/", Tags=[dict(Key="k", Value="v")])),
            Tierings=[dict(Days=90, AccessTier="ARCHIVE_ACCESS")],
        ),
    )
    configurations = [
        dict(id="a", tags=dict(k="v"), archive_access_days=90),
        dict(id="b", prefix="logs/", tags=dict(k="v"), archive_access_days=90),
    ]
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=configurations))
    assert result["changed"] is True


def test_no_change_run_reads_every_page_once_and_writes_nothing(stubs, run_module):
    expect_list(stubs, [RAW_TAGGED], [RAW_ARCHIVE])
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE, TAGGED]), diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert len(result["configurations"]) == 2


def test_a_change_puts_only_that_configuration_and_purges_unlisted_ones(stubs, run_module):
    expect_list(stubs, [RAW_ARCHIVE, RAW_TAGGED, RAW_OTHER])
    changed = dict(RAW_ARCHIVE, Tierings=[dict(Days=120, AccessTier="ARCHIVE_ACCESS"), dict(Days=180, AccessTier="DEEP_ARCHIVE_ACCESS")])
    expect_put(stubs, changed)
    expect_delete(stubs, "other")
    args = dict(bucket=BUCKET, configurations=[dict(ARCHIVE, archive_access_days=120), TAGGED])
    result = run_module(s3_bucket_intelligent_tiering, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["archive-chunks"]["archive_access_days"] == 90
    assert result["diff"]["after"]["archive-chunks"]["archive_access_days"] == 120
    assert result["diff"]["before"]["other"]["id"] == "other"
    assert result["diff"]["after"]["other"] is None
    assert [c["id"] for c in result["configurations"]] == ["archive-chunks", "cold"]


def test_purge_false_keeps_unlisted_configurations(stubs, run_module):
    expect_list(stubs, [RAW_ARCHIVE, RAW_OTHER])
    args = dict(bucket=BUCKET, configurations=[ARCHIVE], purge_configurations=False)
    result = run_module(s3_bucket_intelligent_tiering, args)
    assert result["changed"] is False
    assert [c["id"] for c in result["configurations"]] == ["archive-chunks", "other"]


def test_check_mode_reads_only_and_predicts(stubs, run_module):
    expect_list(stubs, [RAW_OTHER])
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE]), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["configurations"] == [dict(ARCHIVE, status="enabled")]
    assert result["diff"]["after"] == {"archive-chunks": dict(ARCHIVE, status="enabled"), "other": None}


def test_absent_deletes_the_listed_ones_that_exist(stubs, run_module):
    expect_list(stubs, [RAW_ARCHIVE, RAW_OTHER])
    expect_delete(stubs, "archive-chunks")
    args = dict(bucket=BUCKET, state="absent", configurations=[dict(id="archive-chunks"), dict(id="missing")])
    result = run_module(s3_bucket_intelligent_tiering, args)
    assert result["changed"] is True
    assert [c["id"] for c in result["configurations"]] == ["other"]


def test_absent_without_configurations_deletes_all(stubs, run_module):
    expect_list(stubs, [RAW_ARCHIVE, RAW_OTHER])
    expect_delete(stubs, "archive-chunks")
    expect_delete(stubs, "other")
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, state="absent"))
    assert result["changed"] is True
    assert result["configurations"] == []


def test_absent_when_none_exist_changes_nothing(stubs, run_module):
    expect_list(stubs, [])
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, state="absent"))
    assert result["changed"] is False


def test_invalid_configurations_fail_before_any_call(stubs, run_module):
    bad = [
        dict(id="a", archive_access_days=30),
        dict(id="b"),
        dict(id="c", archive_access_days=200, deep_archive_access_days=190),
        dict(id="a", deep_archive_access_days=800),
    ]
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=bad), expect_failure=True)
    msg = result["msg"]
    assert "archive_access_days of configuration a must be from 90 to 730" in msg
    assert "configuration b needs archive_access_days or deep_archive_access_days" in msg
    assert "must be more than archive_access_days" in msg
    assert "id a is listed more than once" in msg
    assert "deep_archive_access_days of configuration a must be from 180 to 730" in msg
    assert stubs.clients == {}


def test_missing_bucket_fails_with_the_aws_error(stubs, run_module):
    stubs["s3"].add_client_error(
        "list_bucket_intelligent_tiering_configurations", "NoSuchBucket", expected_params=dict(Bucket=BUCKET)
    )
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE]), expect_failure=True)
    assert BUCKET in result["msg"] and "NoSuchBucket" in result["msg"]


def expect_no_such_bucket(stubs):
    stubs["s3"].add_client_error(
        "list_bucket_intelligent_tiering_configurations", "NoSuchBucket", http_status_code=404,
        expected_params=dict(Bucket=BUCKET),
    )


def test_check_mode_predicts_the_configurations_of_a_bucket_the_run_is_about_to_create(stubs, run_module):
    expect_no_such_bucket(stubs)
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE]), check_mode=True)
    assert result["changed"] is True
    assert [c["id"] for c in result["configurations"]] == ["archive-chunks"]


def test_a_missing_bucket_is_an_error_outside_check_mode(stubs, run_module):
    expect_no_such_bucket(stubs)
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, configurations=[ARCHIVE]), expect_failure=True)
    assert "NoSuchBucket" in str(result)


def test_absent_on_a_missing_bucket_changes_nothing(stubs, run_module):
    expect_no_such_bucket(stubs)
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket=BUCKET, state="absent"))
    assert result["changed"] is False


def test_an_invalid_bucket_name_is_refused_before_any_call(stubs, run_module):
    result = run_module(s3_bucket_intelligent_tiering, dict(bucket="xn--data", configurations=[ARCHIVE]), expect_failure=True)
    assert result["msg"] == "bucket: bucket name 'xn--data' is not valid: a bucket name must not start with the reserved prefix xn--."
    assert not stubs.clients
