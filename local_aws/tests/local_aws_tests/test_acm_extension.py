"""What the project adds to moto's ACM: DNS validation timed by the latency model, the
requested name order, one validation record per domain, and certificates in use."""

import time

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code


@pytest.fixture
def acm(aws, boto3_client):
    assert_local(aws)
    return boto3_client("acm", attempts=1)


def request(acm, **kwargs):
    return acm.request_certificate(DomainName="example.com", ValidationMethod="DNS",
                                   SubjectAlternativeNames=["www.example.com", "*.example.com"], **kwargs)["CertificateArn"]


def test_issued_at_once_by_default_with_validation_records(acm):
    arn = request(acm)
    certificate = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert certificate["Status"] == "ISSUED"
    assert certificate["SubjectAlternativeNames"] == ["example.com", "www.example.com", "*.example.com"]
    options = certificate["DomainValidationOptions"]
    assert [o["DomainName"] for o in options] == ["example.com", "www.example.com", "*.example.com"]
    records = [o["ResourceRecord"] for o in options]
    assert all(r["Type"] == "CNAME" and r["Value"].endswith(".acm-validations.aws.") for r in records)
    assert records[0]["Name"].endswith(".example.com.") and records[1]["Name"].endswith(".www.example.com.")
    assert records[0] == records[2]  # a wildcard is validated by its base domain's record
    assert records[0] != records[1]
    assert {o["ValidationStatus"] for o in options} == {"SUCCESS"}
    assert certificate["IssuedAt"] >= certificate["CreatedAt"]


def test_pending_for_the_latency_then_issued(aws, acm):
    aws.configure(latency_seconds={"acm:certificate": 0.6})
    arn = request(acm)
    pending = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert pending["Status"] == "PENDING_VALIDATION"
    assert {o["ValidationStatus"] for o in pending["DomainValidationOptions"]} == {"PENDING_VALIDATION"}
    assert all(o["ResourceRecord"]["Type"] == "CNAME" for o in pending["DomainValidationOptions"])
    assert not {"IssuedAt", "NotBefore", "NotAfter", "Serial"} & set(pending)
    listed = acm.list_certificates(CertificateStatuses=["PENDING_VALIDATION"])["CertificateSummaryList"]
    assert [c["CertificateArn"] for c in listed] == [arn]
    assert acm.list_certificates(CertificateStatuses=["ISSUED"])["CertificateSummaryList"] == []
    time.sleep(0.7)
    acm.get_waiter("certificate_validated").wait(CertificateArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    listed = acm.list_certificates(CertificateStatuses=["ISSUED"])["CertificateSummaryList"]
    assert [c["CertificateArn"] for c in listed] == [arn]


def test_tags_and_delete(acm):
    arn = request(acm, Tags=[{"Key": "site", "Value": "www"}])
    acm.add_tags_to_certificate(CertificateArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    tags = acm.list_tags_for_certificate(CertificateArn=arn)["Tags"]
    assert sorted(tags, key=lambda t: t["Key"]) == [{"Key": "env", "Value": "dev"}, {"Key": "site", "Value": "www"}]
    acm.delete_certificate(CertificateArn=arn)
    with pytest.raises(ClientError) as excinfo:
        acm.describe_certificate(CertificateArn=arn)
    assert error_code(excinfo) == "ResourceNotFoundException"


def test_a_certificate_a_distribution_uses_is_not_deleted(acm, boto3_client):
    from .test_cloudfront_extension import site_config

    cf = boto3_client("cloudfront", attempts=1)
    arn = acm.request_certificate(DomainName="www.example.com", ValidationMethod="DNS")["CertificateArn"]
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED"
    created = cf.create_distribution(DistributionConfig=site_config(certificate_arn=arn, Enabled=False))
    distribution = created["Distribution"]
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [distribution["ARN"]]
    with pytest.raises(ClientError) as excinfo:
        acm.delete_certificate(CertificateArn=arn)
    assert error_code(excinfo) == "ResourceInUseException"
    cf.delete_distribution(Id=distribution["Id"], IfMatch=created["ETag"])
    acm.delete_certificate(CertificateArn=arn)
