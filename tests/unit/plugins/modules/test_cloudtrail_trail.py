"""cloudtrail_trail: GetTrail (+ selectors, status, tags) a no-change run; only what differs is written; selectors
checked before any call; absent stops and deletes."""

from ansible_collections.storagekit.aws.plugins.modules import cloudtrail_trail

NAME = "shop-audit"
ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/" + NAME
BUCKET = "shop-audit-logs-123456789012"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
SELECTORS = [
    dict(name="management events", field_selectors=[dict(field="eventCategory", equals=["Management"])]),
    dict(name="items of the stack tables", field_selectors=[
        dict(field="eventCategory", equals=["Data"]),
        dict(field="resources.type", equals=["AWS::DynamoDB::Table"]),
        dict(field="resources.ARN", equals=[TABLE])]),
]
API_SELECTORS = [
    dict(Name="management events", FieldSelectors=[dict(Field="eventCategory", Equals=["Management"])]),
    dict(Name="items of the stack tables", FieldSelectors=[
        dict(Field="eventCategory", Equals=["Data"]),
        dict(Field="resources.type", Equals=["AWS::DynamoDB::Table"]),
        dict(Field="resources.ARN", Equals=[TABLE])]),
]
TAGS = {"managed-by": "storagekit.aws"}
ARGS = dict(name=NAME, s3_bucket_name=BUCKET, is_multi_region_trail=True, include_global_service_events=True,
            enable_log_file_validation=True, kms_key_id=KEY, advanced_event_selectors=SELECTORS,
            enable_logging=True, tags=TAGS)


def trail(**changed):
    found = dict(Name=NAME, S3BucketName=BUCKET, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
                 LogFileValidationEnabled=True, KmsKeyId=KEY, TrailARN=ARN, HomeRegion="us-east-1",
                 HasCustomEventSelectors=True)
    found.update(changed)
    return found


def expect_trail(stubs, found=True, **changed):
    if found:
        stubs["cloudtrail"].add_response("get_trail", dict(Trail=trail(**changed)), dict(Name=NAME))
    else:
        stubs["cloudtrail"].add_client_error("get_trail", "TrailNotFoundException", expected_params=dict(Name=NAME))


def expect_reads(stubs, selectors=None, logging=True, tags=None):
    stubs["cloudtrail"].add_response("list_tags", dict(ResourceTagList=[dict(
        ResourceId=ARN, TagsList=[dict(Key=k, Value=v) for k, v in (TAGS if tags is None else tags).items()])]),
        dict(ResourceIdList=[ARN]))
    stubs["cloudtrail"].add_response("get_event_selectors", dict(
        TrailARN=ARN, AdvancedEventSelectors=API_SELECTORS if selectors is None else selectors), dict(TrailName=NAME))
    stubs["cloudtrail"].add_response("get_trail_status", dict(IsLogging=logging), dict(Name=NAME))


def test_create_then_selectors_then_logging(stubs, run_module):
    expect_trail(stubs, found=False)
    stubs["cloudtrail"].add_response("create_trail", dict(Name=NAME, TrailARN=ARN, S3BucketName=BUCKET, KmsKeyId=KEY,
                                                          LogFileValidationEnabled=True, IsMultiRegionTrail=True), dict(
        Name=NAME, S3BucketName=BUCKET, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True, KmsKeyId=KEY, TagsList=[dict(Key="managed-by", Value="storagekit.aws")]))
    stubs["cloudtrail"].add_response("put_event_selectors", dict(TrailARN=ARN),
                                     dict(TrailName=NAME, AdvancedEventSelectors=API_SELECTORS))
    stubs["cloudtrail"].add_response("start_logging", {}, dict(Name=NAME))
    result = run_module(cloudtrail_trail, ARGS)
    assert result["changed"] is True
    assert result["trail"]["arn"] == ARN
    assert result["trail"]["is_logging"] is True
    assert result["trail"]["log_file_validation_enabled"] is True


def test_no_change_run_reads_only_even_with_selectors_in_another_order(stubs, run_module):
    expect_trail(stubs)
    reordered = [dict(API_SELECTORS[1], FieldSelectors=API_SELECTORS[1]["FieldSelectors"][::-1]), API_SELECTORS[0]]
    expect_reads(stubs, selectors=reordered)
    result = run_module(cloudtrail_trail, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_an_alias_is_compared_as_its_key_arn(stubs, run_module):
    expect_trail(stubs)
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=dict(KeyId=KEY.rsplit("/", maxsplit=1)[-1], Arn=KEY)),
                              dict(KeyId="alias/shop-audit"))
    expect_reads(stubs)
    assert run_module(cloudtrail_trail, dict(ARGS, kms_key_id="alias/shop-audit"))["changed"] is False


def test_check_mode_predicts_a_new_trail_without_writing(stubs, run_module):
    expect_trail(stubs, found=False)
    result = run_module(cloudtrail_trail, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["trail"]["arn"] == ""


def test_drift_is_put_back_with_one_call_per_facet(stubs, run_module):
    expect_trail(stubs, LogFileValidationEnabled=False)
    stubs["cloudtrail"].add_response("update_trail", dict(Name=NAME), dict(Name=NAME, EnableLogFileValidation=True))
    stubs["cloudtrail"].add_response("list_tags", dict(ResourceTagList=[dict(ResourceId=ARN, TagsList=[
        dict(Key="managed-by", Value="storagekit.aws"), dict(Key="owner", Value="someone")])]),
        dict(ResourceIdList=[ARN]))
    stubs["cloudtrail"].add_response("remove_tags", {}, dict(ResourceId=ARN, TagsList=[dict(Key="owner")]))
    # Account-wide S3 data events put there by hand: replaced by the stack's selectors.
    wide = [dict(Name="all s3", FieldSelectors=[dict(Field="eventCategory", Equals=["Data"]),
                                                dict(Field="resources.type", Equals=["AWS::S3::Object"])])]
    stubs["cloudtrail"].add_response("get_event_selectors", dict(TrailARN=ARN, AdvancedEventSelectors=wide),
                                     dict(TrailName=NAME))
    stubs["cloudtrail"].add_response("put_event_selectors", dict(TrailARN=ARN),
                                     dict(TrailName=NAME, AdvancedEventSelectors=API_SELECTORS))
    stubs["cloudtrail"].add_response("get_trail_status", dict(IsLogging=False), dict(Name=NAME))
    stubs["cloudtrail"].add_response("start_logging", {}, dict(Name=NAME))
    result = run_module(cloudtrail_trail, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["settings"] == dict(enable_log_file_validation=False)
    assert result["diff"]["before"]["advanced_event_selectors"] == wide
    assert result["trail"]["log_file_validation_enabled"] is True


def test_basic_selectors_count_as_no_advanced_ones(stubs, run_module):
    expect_trail(stubs)
    stubs["cloudtrail"].add_response("get_event_selectors", dict(TrailARN=ARN, EventSelectors=[
        dict(ReadWriteType="All", IncludeManagementEvents=True, DataResources=[])]), dict(TrailName=NAME))
    stubs["cloudtrail"].add_response("put_event_selectors", dict(TrailARN=ARN),
                                     dict(TrailName=NAME, AdvancedEventSelectors=API_SELECTORS))
    args = dict(name=NAME, advanced_event_selectors=SELECTORS)
    assert run_module(cloudtrail_trail, args)["changed"] is True


def test_unset_options_are_neither_read_nor_written(stubs, run_module):
    expect_trail(stubs, KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/other")
    assert run_module(cloudtrail_trail, dict(name=NAME, s3_bucket_name=BUCKET))["changed"] is False


def test_invalid_selectors_are_refused_before_any_call(run_module):
    bad = [dict(name="everything", field_selectors=[dict(field="eventCategory", equals=["Data"])]),
           dict(field_selectors=[dict(field="eventCategory", equals=["Management"]),
                                 dict(field="resources.ARN", starts_with=["arn:aws:s3:::b/"])])]
    result = run_module(cloudtrail_trail, dict(name=NAME, advanced_event_selectors=bad), expect_failure=True)
    assert result["problems"] == ["everything: data events need resources.type equal to one resource type",
                                  "selector 2: resources.ARN not supported for Management events"]


def test_a_new_trail_needs_a_bucket(stubs, run_module):
    expect_trail(stubs, found=False)
    assert "s3_bucket_name is required" in run_module(cloudtrail_trail, dict(name=NAME), expect_failure=True)["msg"]


def test_absent_stops_and_deletes_a_found_trail_only(stubs, run_module):
    expect_trail(stubs)
    stubs["cloudtrail"].add_response("stop_logging", {}, dict(Name=ARN))
    stubs["cloudtrail"].add_response("delete_trail", {}, dict(Name=ARN))
    assert run_module(cloudtrail_trail, dict(name=NAME, state="absent"))["changed"] is True
    expect_trail(stubs, found=False)
    assert run_module(cloudtrail_trail, dict(name=NAME, state="absent"))["changed"] is False


def test_a_bad_name_is_refused_before_any_call(run_module):
    assert "Invalid trail name" in run_module(cloudtrail_trail, dict(name="-audit"), expect_failure=True)["msg"]
