"""Macie additions: session updates, Security Hub publication, custom data identifiers, classification jobs, tags."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code

JOB = dict(name="scan", jobType="ONE_TIME", s3JobDefinition={"bucketDefinitions": [
    {"accountId": "123456789012", "buckets": ["data"]}]})


@pytest.fixture
def macie(aws, boto3_client):
    assert_local(aws)
    return boto3_client("macie2", attempts=1)


def test_a_new_account_has_no_macie_and_nothing_else_works(macie):
    with pytest.raises(ClientError) as error:
        macie.get_macie_session()
    assert error_code(error) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        macie.list_classification_jobs()
    assert error_code(error) == "AccessDeniedException"


def test_session_update_and_publication(macie):
    macie.enable_macie(findingPublishingFrequency="ONE_HOUR")
    macie.update_macie_session(status="PAUSED", findingPublishingFrequency="SIX_HOURS")
    session = macie.get_macie_session()
    assert (session["status"], session["findingPublishingFrequency"]) == ("PAUSED", "SIX_HOURS")
    assert macie.get_findings_publication_configuration()["securityHubConfiguration"] == {
        "publishClassificationFindings": False, "publishPolicyFindings": True}
    wanted = {"publishClassificationFindings": True, "publishPolicyFindings": False}
    macie.put_findings_publication_configuration(securityHubConfiguration=wanted)
    assert macie.get_findings_publication_configuration()["securityHubConfiguration"] == wanted


def test_custom_data_identifiers(macie):
    macie.enable_macie()
    made = macie.create_custom_data_identifier(name="cust", regex="CUST-[0-9]{8}", keywords=["customer"], tags={"a": "b"})
    identifier = macie.get_custom_data_identifier(id=made["customDataIdentifierId"])
    assert identifier["maximumMatchDistance"] == 50 and identifier["tags"] == {"a": "b"} and not identifier["deleted"]
    assert identifier["severityLevels"] == [{"occurrencesThreshold": 1, "severity": "MEDIUM"}]
    for bad in (dict(name="cust", regex="x"), dict(name="k", regex="x", keywords=["ab"]),
                dict(name="d", regex="x", maximumMatchDistance=301), dict(name="r", regex="x" * 513)):
        with pytest.raises(ClientError) as error:
            macie.create_custom_data_identifier(**bad)
        assert error_code(error) == "ValidationException", bad
    macie.delete_custom_data_identifier(id=made["customDataIdentifierId"])
    assert macie.get_custom_data_identifier(id=made["customDataIdentifierId"])["deleted"] is True
    assert macie.list_custom_data_identifiers()["items"] == []
    with pytest.raises(ClientError) as error:
        macie.create_classification_job(customDataIdentifierIds=[made["customDataIdentifierId"]], **JOB)
    assert error_code(error) == "ResourceNotFoundException"


def test_classification_jobs(macie):
    macie.enable_macie()
    made = macie.create_classification_job(clientToken="t1", tags={"a": "b"}, **JOB)
    assert macie.create_classification_job(clientToken="t1", **JOB)["jobId"] == made["jobId"]
    scheduled = dict(JOB, name="weekly", jobType="SCHEDULED", scheduleFrequency={"weeklySchedule": {"dayOfWeek": "SUNDAY"}})
    weekly = macie.create_classification_job(**scheduled)
    job = macie.describe_classification_job(jobId=made["jobId"])
    assert job["jobStatus"] == "RUNNING" and job["tags"] == {"a": "b"} and job["samplingPercentage"] == 100
    assert macie.describe_classification_job(jobId=weekly["jobId"])["jobStatus"] == "IDLE"
    for bad in (dict(JOB, scheduleFrequency={"dailySchedule": {}}), dict(JOB, jobType="SCHEDULED"),
                dict(JOB, samplingPercentage=0),
                dict(JOB, s3JobDefinition=dict(JOB["s3JobDefinition"], bucketCriteria={"includes": {"and": []}}))):
        with pytest.raises(ClientError) as error:
            macie.create_classification_job(**bad)
        assert error_code(error) == "ValidationException", bad
    by_name = macie.list_classification_jobs(filterCriteria={"includes": [
        {"comparator": "EQ", "key": "name", "values": ["scan"]}]})["items"]
    assert [j["jobId"] for j in by_name] == [made["jobId"]]
    assert by_name[0]["bucketDefinitions"] == JOB["s3JobDefinition"]["bucketDefinitions"]
    macie.update_classification_job(jobId=made["jobId"], jobStatus="CANCELLED")
    with pytest.raises(ClientError) as error:
        macie.update_classification_job(jobId=made["jobId"], jobStatus="RUNNING")
    assert error_code(error) == "ValidationException"
    running = macie.list_classification_jobs(filterCriteria={"excludes": [
        {"comparator": "EQ", "key": "jobStatus", "values": ["CANCELLED"]}]})["items"]
    assert [j["name"] for j in running] == ["weekly"]


def test_tags(macie):
    macie.enable_macie()
    arn = macie.create_classification_job(**JOB)["jobArn"]
    macie.tag_resource(resourceArn=arn, tags={"a": "1", "b": "2"})
    macie.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert macie.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
