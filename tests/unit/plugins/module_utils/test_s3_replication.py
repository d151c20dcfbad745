"""s3_replication: one shape for every way S3 spells a rule, and the destination reads (Stubber)."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import aws_rule
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import destination_problems
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import replication_differs
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import wanted_replication

ROLE = "arn:aws:iam::123456789012:role/replication"
OPTION_RULE = dict(id="r", priority=0, status="enabled", prefix=None, tags=None, destination_bucket="dr-bucket",
                   destination_kms_key_id=None, storage_class=None, delete_marker_replication=False,
                   replication_time_control=False, metrics=None, cross_region=True)


class Retrying:
    """A client whose calls accept aws_retry=True, as the clients made with retry_decorator do."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        call = getattr(self._client, name)
        return lambda aws_retry=False, **kwargs: call(**kwargs)


@pytest.fixture
def s3():
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(client) as stubber:
        yield Retrying(client), stubber
        stubber.assert_no_pending_responses()


def option(*rules, purge=True):
    return dict(state="present", role=ROLE, purge_rules=purge, rules=list(rules))


def test_filters_spelt_otherwise_by_s3_compare_equal():
    want = wanted_replication(option(OPTION_RULE), None)
    v1 = dict(ID="r", Status="Enabled", Prefix="", Destination=dict(Bucket="arn:aws:s3:::dr-bucket"))
    assert not replication_differs(want, dict(role=ROLE, rules=[v1]))
    empty_filter = dict(v1, Filter={}, Priority=0, DeleteMarkerReplication=dict(Status="Disabled"))
    del empty_filter["Prefix"]
    assert not replication_differs(want, dict(role=ROLE, rules=[empty_filter]))
    assert replication_differs(want, dict(role="arn:aws:iam::123456789012:role/other", rules=[v1]))


def test_one_tag_is_a_tag_filter_and_tags_with_a_prefix_an_and_filter():
    one = aws_rule(dict(OPTION_RULE, tags=dict(a="1")))
    assert one["Filter"] == dict(Tag=dict(Key="a", Value="1"))
    both = aws_rule(dict(OPTION_RULE, tags=dict(a="1"), prefix="p/"))
    assert both["Filter"] == dict(And=dict(Prefix="p/", Tags=[dict(Key="a", Value="1")]))
    assert not replication_differs(dict(role=ROLE, rules=[one]), dict(role=ROLE, rules=[
        dict(one, Filter=dict(And=dict(Tags=[dict(Key="a", Value="1")])))]))


def test_purge_rules_false_keeps_rules_the_option_does_not_name():
    other = dict(ID="other", Priority=5, Status="Enabled", Filter=dict(Prefix="x/"),
                 DeleteMarkerReplication=dict(Status="Disabled"), Destination=dict(Bucket="arn:aws:s3:::b"))
    current = dict(role=ROLE, rules=[other, dict(aws_rule(OPTION_RULE), Priority=9)])
    want = wanted_replication(option(OPTION_RULE, purge=False), current)
    assert [r["ID"] for r in want["rules"]] == ["other", "r"]
    assert want["rules"][1]["Priority"] == 0


def test_destinations_are_read_once_each(s3):
    client, stubber = s3
    stubber.add_response("head_bucket", dict(BucketRegion="eu-west-1"), dict(Bucket="dr-bucket"))
    stubber.add_response("get_bucket_versioning", dict(Status="Enabled"), dict(Bucket="dr-bucket"))
    rules = [OPTION_RULE, dict(OPTION_RULE, id="s", destination_bucket="arn:aws:s3:::dr-bucket",
                               destination_kms_key_id="arn:aws:kms:eu-west-1:123456789012:key/k")]
    assert destination_problems(client, rules, "us-east-1", check_mode=False) == []


def test_head_bucket_without_a_region_falls_back_to_the_location(s3):
    client, stubber = s3
    stubber.add_response("head_bucket", {}, dict(Bucket="dr-bucket"))
    stubber.add_response("get_bucket_location", dict(LocationConstraint="EU"), dict(Bucket="dr-bucket"))
    stubber.add_response("get_bucket_versioning", {}, dict(Bucket="dr-bucket"))
    problems = destination_problems(client, [dict(OPTION_RULE, cross_region=False)], "eu-west-1", check_mode=False)
    assert problems == ["replication rule r: destination bucket dr-bucket needs versioning enabled."]
