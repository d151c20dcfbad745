"""macie_classification_job: buckets and identifiers checked before any write, found by name, never changed in place."""

from ansible_collections.storagekit.aws.plugins.modules import macie_classification_job

ACCOUNT = "123456789012"
JOB_ID = "0123456789abcdef0123456789abcdef"
JOB_ARN = "arn:aws:macie2:us-east-1:123456789012:classification-job/" + JOB_ID
ARGS = dict(name="shop-sensitive-data", buckets=["shop-invoices"], account_id=ACCOUNT, schedule="weekly",
            day_of_week="SUNDAY", custom_data_identifiers=["shop-customer-number"], tags={"application": "shop"})
CRITERIA = dict(includes=[dict(comparator="EQ", key="name", values=["shop-sensitive-data"])],
                excludes=[dict(comparator="EQ", key="jobStatus", values=["CANCELLED", "COMPLETE"])])
DEFINITION = dict(name="shop-sensitive-data", description="", jobType="SCHEDULED",
                  s3JobDefinition=dict(bucketDefinitions=[dict(accountId=ACCOUNT, buckets=["shop-invoices"])]),
                  samplingPercentage=100, customDataIdentifierIds=["cdi1"], managedDataIdentifierSelector="RECOMMENDED",
                  scheduleFrequency=dict(weeklySchedule=dict(dayOfWeek="SUNDAY")), initialRun=True)


def expect_reads(stubs, jobs, head_error=None):
    if head_error:
        stubs["s3"].add_client_error("head_bucket", head_error, http_status_code=404, expected_params={"Bucket": "shop-invoices"})
        return
    stubs["s3"].add_response("head_bucket", {}, {"Bucket": "shop-invoices"})
    stubs["macie2"].add_response("list_custom_data_identifiers", {"items": [dict(id="cdi1", name="shop-customer-number")]}, {})
    stubs["macie2"].add_response("list_classification_jobs", {"items": jobs}, {"filterCriteria": CRITERIA})


def test_create(stubs, run_module):
    expect_reads(stubs, [])
    stubs["macie2"].add_response("create_classification_job", {"jobId": JOB_ID, "jobArn": JOB_ARN},
                                 dict(DEFINITION, tags={"application": "shop"}))
    result = run_module(macie_classification_job, ARGS)
    assert result["changed"] is True
    assert result["job"]["id"] == JOB_ID


def test_no_change(stubs, run_module):
    expect_reads(stubs, [dict(jobId=JOB_ID, name="shop-sensitive-data", jobStatus="IDLE")])
    stubs["macie2"].add_response("describe_classification_job", dict(DEFINITION, jobId=JOB_ID, jobArn=JOB_ARN, jobStatus="IDLE"),
                                 {"jobId": JOB_ID})
    stubs["macie2"].add_response("list_tags_for_resource", {"tags": {"application": "shop"}}, {"resourceArn": JOB_ARN})
    result = run_module(macie_classification_job, ARGS)
    assert result["changed"] is False
    assert result["job"]["status"] == "IDLE"


def test_other_definition_refused(stubs, run_module):
    expect_reads(stubs, [dict(jobId=JOB_ID, name="shop-sensitive-data", jobStatus="IDLE")])
    stubs["macie2"].add_response("describe_classification_job", dict(DEFINITION, jobId=JOB_ID, jobArn=JOB_ARN, samplingPercentage=50),
                                 {"jobId": JOB_ID})
    assert "cannot change a job" in run_module(macie_classification_job, ARGS, expect_failure=True)["msg"]


def test_missing_bucket_refused_before_any_write(stubs, run_module):
    expect_reads(stubs, [], head_error="404")
    result = run_module(macie_classification_job, ARGS, expect_failure=True)
    assert result["missing_buckets"] == ["shop-invoices"]


def test_missing_identifier_refused_outside_check_mode(stubs, run_module):
    stubs["s3"].add_response("head_bucket", {}, {"Bucket": "shop-invoices"})
    stubs["macie2"].add_response("list_custom_data_identifiers", {"items": []}, {})
    assert "not found: shop-customer-number" in run_module(macie_classification_job, ARGS, expect_failure=True)["msg"]


def test_bad_input_and_cancel(stubs, run_module):
    result = run_module(macie_classification_job, dict(ARGS, buckets=["Bad_Bucket"], sampling_percentage=0), expect_failure=True)
    assert "bucket name 'Bad_Bucket'" in result["msg"] and "sampling_percentage" in result["msg"]
    running = dict(jobId=JOB_ID, name="shop-sensitive-data", jobStatus="RUNNING")
    stubs["macie2"].add_response("list_classification_jobs", {"items": [running]}, {"filterCriteria": CRITERIA})
    stubs["macie2"].add_response("update_classification_job", {}, {"jobId": JOB_ID, "jobStatus": "CANCELLED"})
    assert run_module(macie_classification_job, dict(name="shop-sensitive-data", state="absent"))["changed"] is True


def test_check_mode_before_macie_is_enabled_predicts_the_job(stubs, run_module):
    stubs["s3"].add_response("head_bucket", {}, {"Bucket": "shop-invoices"})
    stubs["macie2"].add_client_error("list_custom_data_identifiers", "AccessDeniedException", "Macie is not enabled.", 403)
    stubs["macie2"].add_client_error("list_classification_jobs", "AccessDeniedException", "Macie is not enabled.", 403)
    assert run_module(macie_classification_job, ARGS, check_mode=True)["changed"] is True
