"""macie_session: enable, update only what differs, Security Hub publishing, nothing written on a no-change run."""

from ansible_collections.storagekit.aws.plugins.modules import macie_session

SESSION = {"status": "ENABLED", "findingPublishingFrequency": "ONE_HOUR", "createdAt": "2026-12-01T00:00:00Z",
           "updatedAt": "2026-12-01T00:00:00Z", "serviceRole": "arn:aws:iam::123456789012:role/macie"}


def test_enable_with_security_hub(stubs, run_module):
    stubs["macie2"].add_client_error("get_macie_session", "AccessDeniedException", "Macie is not enabled.", 403)
    stubs["macie2"].add_response("enable_macie", {}, {"status": "ENABLED", "findingPublishingFrequency": "ONE_HOUR"})
    stubs["macie2"].add_response("put_findings_publication_configuration", {}, {"securityHubConfiguration": {
        "publishClassificationFindings": True, "publishPolicyFindings": True}})
    result = run_module(macie_session, dict(finding_publishing_frequency="ONE_HOUR", publish_classification_findings=True))
    assert result["changed"] is True
    assert result["session"]["security_hub"] == {"publish_classification_findings": True, "publish_policy_findings": True}


def test_no_change(stubs, run_module):
    stubs["macie2"].add_response("get_macie_session", SESSION, {})
    stubs["macie2"].add_response("get_findings_publication_configuration", {"securityHubConfiguration": {
        "publishClassificationFindings": True, "publishPolicyFindings": True}}, {})
    result = run_module(macie_session, dict(finding_publishing_frequency="ONE_HOUR", publish_classification_findings=True,
                                            publish_policy_findings=True))
    assert result["changed"] is False


def test_unset_options_are_not_read(stubs, run_module):
    stubs["macie2"].add_response("get_macie_session", SESSION, {})
    assert run_module(macie_session, {})["changed"] is False


def test_pause_and_frequency_in_one_update_check_mode_writes_nothing(stubs, run_module):
    args = dict(status="paused", finding_publishing_frequency="SIX_HOURS")
    stubs["macie2"].add_response("get_macie_session", SESSION, {})
    assert run_module(macie_session, args, check_mode=True, diff=True)["diff"]["after"]["session"]["status"] == "PAUSED"
    stubs["macie2"].add_response("get_macie_session", SESSION, {})
    stubs["macie2"].add_response("update_macie_session", {}, {"status": "PAUSED", "findingPublishingFrequency": "SIX_HOURS"})
    assert run_module(macie_session, args)["changed"] is True


def test_disable(stubs, run_module):
    stubs["macie2"].add_response("get_macie_session", SESSION, {})
    stubs["macie2"].add_response("disable_macie", {}, {})
    assert run_module(macie_session, dict(state="absent"))["changed"] is True
    stubs["macie2"].add_client_error("get_macie_session", "ResourceNotFoundException", http_status_code=404)
    assert run_module(macie_session, dict(state="absent"))["changed"] is False
