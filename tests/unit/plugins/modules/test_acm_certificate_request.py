"""acm_certificate_request: the exact ACM calls of request, reuse, drift, check mode and delete runs."""

import datetime

from botocore.stub import ANY

from ansible_collections.storagekit.aws.plugins.modules import acm_certificate_request

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c4f52-6a67-4a38-9f2c-3d2b1c0e4a11"
OTHER_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/99999999-6a67-4a38-9f2c-3d2b1c0e4a11"
ARGS = dict(domain_name="example.com", subject_alternative_names=["*.example.com"], wait=False)
LIST_PRESENT = dict(CertificateStatuses=["PENDING_VALIDATION", "ISSUED"], Includes=dict(keyTypes=["RSA_2048"]))
# The IdempotencyToken of ARGS's certificate: the same in every run, so concurrent runs get one certificate.
TOKEN = "4e9262b6343302693cc5739c7736d01b"
RECORD = dict(Name="_a1b2.example.com.", Type="CNAME", Value="_c3d4.acm-validations.aws.")


def certificate(arn=ARN, status="PENDING_VALIDATION", records=True, sans=("example.com", "*.example.com"), **extra):
    options = []
    for name in sans:
        option = dict(DomainName=name, ValidationDomain=name, ValidationMethod="DNS", ValidationStatus="PENDING_VALIDATION")
        if records:
            # A wildcard and its apex are validated by the same record.
            option["ResourceRecord"] = RECORD
        options.append(option)
    raw = dict(
        CertificateArn=arn,
        DomainName=sans[0],
        SubjectAlternativeNames=list(sans),
        DomainValidationOptions=options,
        Status=status,
        Type="AMAZON_ISSUED",
        KeyAlgorithm="RSA-2048",
        InUseBy=[],
        CreatedAt=datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc),
        Options=dict(CertificateTransparencyLoggingPreference="ENABLED"),
    )
    if status == "ISSUED":
        raw["NotAfter"] = datetime.datetime(2027, 12, 1, tzinfo=datetime.timezone.utc)
    raw.update(extra)
    return raw


def summary(arn=ARN, domain="example.com", sans=None, status="ISSUED"):
    raw = dict(CertificateArn=arn, DomainName=domain, Status=status, Type="AMAZON_ISSUED", KeyAlgorithm="RSA_2048")
    if sans is not None:
        raw.update(SubjectAlternativeNameSummaries=sans, HasAdditionalSubjectAlternativeNames=False)
    return raw


def expect_list(stubs, summaries, params=None):
    stubs["acm"].add_response("list_certificates", dict(CertificateSummaryList=summaries), params or LIST_PRESENT)


def expect_describe(stubs, raw, arn=ARN):
    stubs["acm"].add_response("describe_certificate", dict(Certificate=raw), dict(CertificateArn=arn))


def expect_request(stubs, arn=ARN, **extra):
    params = dict(
        DomainName="example.com",
        ValidationMethod="DNS",
        SubjectAlternativeNames=["*.example.com"],
        KeyAlgorithm="RSA_2048",
        Options=dict(CertificateTransparencyLoggingPreference="ENABLED"),
        IdempotencyToken=TOKEN,
    )
    params.update(extra)
    stubs["acm"].add_response("request_certificate", dict(CertificateArn=arn), params)


def test_first_run_requests_once_and_polls_until_every_domain_has_its_record(stubs, run_module):
    expect_list(stubs, [])
    expect_request(stubs, Tags=[dict(Key="site", Value="example")])
    expect_describe(stubs, certificate(records=False))
    expect_describe(stubs, certificate(records=False))
    expect_describe(stubs, certificate())
    result = run_module(acm_certificate_request, dict(ARGS, tags=dict(site="example")), diff=True)
    assert result["changed"] is True
    cert = result["certificate"]
    assert cert["arn"] == ARN
    assert cert["status"] == "PENDING_VALIDATION"
    assert cert["key_algorithm"] == "RSA_2048"
    assert cert["tags"] == dict(site="example")
    assert cert["validation_records"] == [
        dict(domain_name="example.com", name=RECORD["Name"], type="CNAME", value=RECORD["Value"])
    ]
    assert result["diff"]["before"] == dict(certificate=None)
    assert result["diff"]["after"]["certificate"]["subject_alternative_names"] == ["example.com", "*.example.com"]


def test_wait_polls_until_issued(stubs, run_module):
    expect_list(stubs, [])
    expect_request(stubs)
    expect_describe(stubs, certificate())
    expect_describe(stubs, certificate())
    expect_describe(stubs, certificate())
    expect_describe(stubs, certificate(status="ISSUED"))
    result = run_module(acm_certificate_request, dict(ARGS, wait=True))
    assert result["certificate"]["status"] == "ISSUED"
    assert result["certificate"]["not_after"] == "2027-12-01T00:00:00+00:00"


def test_failed_validation_fails_the_wait(stubs, run_module):
    expect_list(stubs, [summary(status="PENDING_VALIDATION")])
    expect_describe(stubs, certificate())
    expect_describe(stubs, certificate(status="VALIDATION_TIMED_OUT"))
    result = run_module(acm_certificate_request, dict(ARGS, wait=True), expect_failure=True)
    assert "VALIDATION_TIMED_OUT" in result["msg"]


def test_no_change_run_describes_only_the_candidate_with_the_same_names(stubs, run_module):
    expect_list(
        stubs,
        [
            summary(arn=OTHER_ARN, domain="other.example.org"),
            summary(arn=OTHER_ARN, sans=["example.com", "www.example.com"]),
            summary(),
        ],
    )
    expect_describe(stubs, certificate(status="ISSUED"))
    stubs["acm"].add_response("list_tags_for_certificate", dict(Tags=[dict(Key="site", Value="example")]), dict(CertificateArn=ARN))
    result = run_module(acm_certificate_request, dict(ARGS, tags=dict(site="example"), wait=True), diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["certificate"]["status"] == "ISSUED"
    assert result["certificate"]["tags"] == dict(site="example")


def test_a_certificate_with_other_names_is_not_reused(stubs, run_module):
    expect_list(stubs, [summary()])
    expect_describe(stubs, certificate(status="ISSUED", sans=("example.com",)))
    expect_request(stubs)
    expect_describe(stubs, certificate())
    expect_describe(stubs, certificate())
    result = run_module(acm_certificate_request, ARGS)
    assert result["changed"] is True


def test_a_concurrent_request_of_the_same_certificate_gets_its_arn(stubs, run_module):
    """Another job requested it between our ListCertificates and our request: ACM answers the same token with its ARN."""
    expect_list(stubs, [])
    expect_request(stubs, arn=OTHER_ARN)
    expect_describe(stubs, certificate(arn=OTHER_ARN), arn=OTHER_ARN)
    expect_describe(stubs, certificate(arn=OTHER_ARN), arn=OTHER_ARN)
    result = run_module(acm_certificate_request, ARGS)
    assert result["changed"] is True
    assert result["certificate"]["arn"] == OTHER_ARN


def test_the_token_of_a_deleted_certificate_is_replaced_by_a_fresh_one(stubs, run_module):
    """Within the hour ACM still answers the token with the ARN of a certificate deleted meanwhile."""
    expect_list(stubs, [])
    expect_request(stubs, arn=OTHER_ARN)
    stubs["acm"].add_client_error(
        "describe_certificate", "ResourceNotFoundException", expected_params=dict(CertificateArn=OTHER_ARN)
    )
    expect_request(stubs, IdempotencyToken=ANY)
    expect_describe(stubs, certificate())
    result = run_module(acm_certificate_request, ARGS)
    assert result["certificate"]["arn"] == ARN


def test_an_existing_pending_certificate_is_polled_for_its_records(stubs, run_module):
    expect_list(stubs, [summary(status="PENDING_VALIDATION")])
    expect_describe(stubs, certificate(records=False))
    expect_describe(stubs, certificate())
    result = run_module(acm_certificate_request, ARGS)
    assert result["changed"] is False
    assert len(result["certificate"]["validation_records"]) == 1


def test_records_that_never_come_fail_after_wait_timeout(stubs, run_module):
    expect_list(stubs, [])
    expect_request(stubs)
    expect_describe(stubs, certificate(records=False))
    expect_describe(stubs, certificate(records=False))
    result = run_module(acm_certificate_request, dict(ARGS, wait_timeout=0), expect_failure=True)
    assert "Timed out" in result["msg"] and "validation records" in result["msg"]


def test_key_algorithm_is_part_of_the_identity(stubs, run_module):
    expect_list(stubs, [], dict(LIST_PRESENT, Includes=dict(keyTypes=["EC_prime256v1"])))
    # Another key algorithm is another certificate, so another token.
    expect_request(stubs, KeyAlgorithm="EC_prime256v1", IdempotencyToken="501f02a2bb15839dd082b0b8d6d6dd8d")
    expect_describe(stubs, certificate(KeyAlgorithm="EC-prime256v1"))
    expect_describe(stubs, certificate(KeyAlgorithm="EC-prime256v1"))
    result = run_module(acm_certificate_request, dict(ARGS, key_algorithm="EC_prime256v1"))
    assert result["certificate"]["key_algorithm"] == "EC_prime256v1"


def test_drift_of_tags_and_transparency_logging_is_put_back(stubs, run_module):
    expect_list(stubs, [summary()])
    expect_describe(stubs, certificate(status="ISSUED"))
    acm = stubs["acm"]
    acm.add_response(
        "update_certificate_options",
        {},
        dict(CertificateArn=ARN, Options=dict(CertificateTransparencyLoggingPreference="DISABLED")),
    )
    acm.add_response(
        "list_tags_for_certificate",
        dict(Tags=[dict(Key="site", Value="old"), dict(Key="extra", Value="x")]),
        dict(CertificateArn=ARN),
    )
    acm.add_response("remove_tags_from_certificate", {}, dict(CertificateArn=ARN, Tags=[dict(Key="extra", Value="x")]))
    acm.add_response("add_tags_to_certificate", {}, dict(CertificateArn=ARN, Tags=[dict(Key="site", Value="example")]))
    args = dict(ARGS, tags=dict(site="example"), certificate_transparency_logging=False)
    result = run_module(acm_certificate_request, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(certificate_transparency_logging=True, tags=dict(site="old", extra="x"))
    assert result["diff"]["after"] == dict(certificate_transparency_logging=False, tags=dict(site="example"))
    assert result["certificate"]["certificate_transparency_logging"] is False


def test_check_mode_predicts_the_request_without_making_it(stubs, run_module):
    expect_list(stubs, [])
    result = run_module(acm_certificate_request, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["certificate"]["arn"] is None
    assert result["certificate"]["validation_records"] == []
    assert result["diff"]["after"]["certificate"]["domain_name"] == "example.com"


def test_check_mode_drift_reads_only(stubs, run_module):
    expect_list(stubs, [summary()])
    expect_describe(stubs, certificate(status="ISSUED"))
    stubs["acm"].add_response("list_tags_for_certificate", {}, dict(CertificateArn=ARN))
    result = run_module(acm_certificate_request, dict(ARGS, tags=dict(site="example")), check_mode=True)
    assert result["changed"] is True
    assert result["certificate"]["tags"] == dict(site="example")


LIST_ABSENT = dict(
    CertificateStatuses=[
        "PENDING_VALIDATION",
        "ISSUED",
        "VALIDATION_TIMED_OUT",
        "FAILED",
        "EXPIRED",
        "INACTIVE",
        "REVOKED",
    ],
    Includes=dict(keyTypes=["RSA_2048", "EC_prime256v1", "EC_secp384r1"]),
)


def test_absent_deletes_every_certificate_with_these_names(stubs, run_module):
    expect_list(stubs, [summary(), summary(arn=OTHER_ARN, status="VALIDATION_TIMED_OUT")], LIST_ABSENT)
    expect_describe(stubs, certificate(status="ISSUED"))
    expect_describe(stubs, certificate(arn=OTHER_ARN, status="VALIDATION_TIMED_OUT"), arn=OTHER_ARN)
    stubs["acm"].add_response("delete_certificate", {}, dict(CertificateArn=ARN))
    stubs["acm"].add_response("delete_certificate", {}, dict(CertificateArn=OTHER_ARN))
    result = run_module(acm_certificate_request, dict(ARGS, state="absent"), diff=True)
    assert result["changed"] is True
    assert result["deleted"] == [ARN, OTHER_ARN]
    assert result["diff"]["after"] == dict(certificate=None)


def test_absent_when_gone_changes_nothing(stubs, run_module):
    expect_list(stubs, [], LIST_ABSENT)
    result = run_module(acm_certificate_request, dict(ARGS, state="absent"))
    # ansible-core 2.21 no longer adds `invocation` to every result; compare what the module returned.
    result.pop("invocation", None)
    assert result == dict(changed=False, certificate={}, deleted=[])


def test_absent_in_check_mode_deletes_nothing(stubs, run_module):
    expect_list(stubs, [summary()], LIST_ABSENT)
    expect_describe(stubs, certificate(status="ISSUED"))
    result = run_module(acm_certificate_request, dict(ARGS, state="absent"), check_mode=True)
    assert result["changed"] is True
    assert result["deleted"] == [ARN]


def test_absent_refuses_a_certificate_in_use_before_any_delete(stubs, run_module):
    distribution = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
    expect_list(stubs, [summary()], LIST_ABSENT)
    expect_describe(stubs, certificate(status="ISSUED", InUseBy=[distribution]))
    result = run_module(acm_certificate_request, dict(ARGS, state="absent"), expect_failure=True)
    assert "in use by " + distribution in result["msg"]


def test_absent_reports_resource_in_use_clearly(stubs, run_module):
    expect_list(stubs, [summary()], LIST_ABSENT)
    expect_describe(stubs, certificate(status="ISSUED"))
    stubs["acm"].add_client_error("delete_certificate", "ResourceInUseException", expected_params=dict(CertificateArn=ARN))
    result = run_module(acm_certificate_request, dict(ARGS, state="absent"), expect_failure=True)
    assert "in use" in result["msg"] and "CloudFront" in result["msg"]


def test_bad_names_fail_before_any_call(stubs, run_module):
    result = run_module(acm_certificate_request, dict(ARGS, subject_alternative_names=["www.*.example.com"]), expect_failure=True)
    assert "wildcard" in result["msg"]
    result = run_module(acm_certificate_request, dict(ARGS, domain_name="localhost"), expect_failure=True)
    assert "fully qualified" in result["msg"]
    assert stubs.clients == {}
