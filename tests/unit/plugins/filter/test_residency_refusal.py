"""residency_refusal: one message naming every planned resource outside storagekit_allowed_regions."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.residency_refusal import FilterModule, residency_refusal
from ansible_collections.storagekit.aws.plugins.module_utils.residency import offenders, region_of

PLAN = [
    {"resource": "DynamoDB table orders", "region": "eu-west-1"},
    {"resource": "replica of DynamoDB table orders", "region": "us-east-1"},
    {"resource": "backup DR vault", "region": "arn:aws:backup:ap-southeast-2:123456789012:backup-vault:dr"},
    {"resource": "uploads bucket ARN", "region": "arn:aws:s3:::uploads"},
]


def test_no_restriction_when_unset_or_empty():
    assert residency_refusal(PLAN) == ""
    assert residency_refusal(PLAN, []) == ""
    assert residency_refusal(PLAN, [""]) == ""


def test_allowed_regions_pass():
    assert residency_refusal(PLAN, ["eu-west-1", "us-east-1", "ap-southeast-2"]) == ""


def test_every_offender_is_named_once_in_one_message():
    message = residency_refusal(PLAN + [PLAN[1]], ["eu-west-1"])
    assert message == (
        "storagekit_allowed_regions allows only eu-west-1; refused before any change, 2 outside them: "
        "replica of DynamoDB table orders in us-east-1; backup DR vault in ap-southeast-2")


def test_region_of_names_and_arns():
    assert region_of("eu-central-1") == "eu-central-1"
    assert region_of("arn:aws:kms:us-west-2:123456789012:key/abc") == "us-west-2"
    assert region_of("arn:aws:s3:::bucket") == ""
    assert region_of(None) == ""
    assert region_of("us-gov-west-1") == "us-gov-west-1"
    assert region_of("alias/orders") == ""
    assert region_of("web-app-db") == ""


def test_entries_without_a_region_never_offend():
    assert offenders([{"resource": "CloudFront distribution", "region": ""}], ["eu-west-1"]) == []


@pytest.mark.parametrize("plan, allowed", [("eu-west-1", ["eu-west-1"]), ([{"resource": "x"}], "eu-west-1")])
def test_bad_input_is_an_error(plan, allowed):
    with pytest.raises(AnsibleFilterError):
        residency_refusal(plan, allowed)


def test_registered():
    assert FilterModule().filters()["residency_refusal"] is residency_refusal
