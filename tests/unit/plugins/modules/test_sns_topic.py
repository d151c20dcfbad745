"""sns_topic: ListTopics + GetTopicAttributes (+ subscriptions, tags) a no-change run; each differing attribute set
alone; unconfirmed subscriptions left alone."""

import json

from ansible_collections.storagekit.aws.plugins.modules import sns_topic

NAME = "storagekit-backup-events"
ARN = "arn:aws:sns:us-east-1:123456789012:" + NAME
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "BackupPublishes", "Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"},
     "Action": "SNS:Publish", "Resource": ARN},
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "SNS:Publish", "Resource": ARN,
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
TAGS = {"managed-by": "storagekit.aws"}
ARGS = dict(name=NAME, kms_master_key_id=KEY, policy=json.dumps(POLICY), email_subscriptions=["ops@example.com"],
            tags=TAGS)
SUB = ARN + ":0b6f7c1e-1111-2222-3333-444455556666"


def expect_list(stubs, found=True):
    topics = [dict(TopicArn=ARN + "-other")] + ([dict(TopicArn=ARN)] if found else [])
    stubs["sns"].add_response("list_topics", dict(Topics=topics), {})


def expect_attributes(stubs, **changed):
    attributes = dict(TopicArn=ARN, KmsMasterKeyId=KEY, Policy=json.dumps(POLICY))
    attributes.update(changed)
    stubs["sns"].add_response("get_topic_attributes", dict(Attributes=attributes), dict(TopicArn=ARN))


def expect_subscriptions(stubs, subscriptions):
    listed = [dict(SubscriptionArn=sub, Protocol="email", Endpoint=address, TopicArn=ARN, Owner="123456789012")
              for address, sub in subscriptions]
    stubs["sns"].add_response("list_subscriptions_by_topic", dict(Subscriptions=listed), dict(TopicArn=ARN))


def expect_tags(stubs, tags=None):
    stubs["sns"].add_response("list_tags_for_resource",
                              dict(Tags=[dict(Key=k, Value=v) for k, v in (TAGS if tags is None else tags).items()]),
                              dict(ResourceArn=ARN))


def test_create_sets_key_policy_and_tags_then_subscribes(stubs, run_module):
    expect_list(stubs, found=False)
    stubs["sns"].add_response("create_topic", dict(TopicArn=ARN), dict(
        Name=NAME, Attributes=dict(KmsMasterKeyId=KEY, Policy=json.dumps(POLICY, sort_keys=True)),
        Tags=[dict(Key="managed-by", Value="storagekit.aws")]))
    stubs["sns"].add_response("subscribe", dict(SubscriptionArn=PENDING_ARN),
                              dict(TopicArn=ARN, Protocol="email", Endpoint="ops@example.com"))
    result = run_module(sns_topic, ARGS)
    assert result["changed"] is True
    assert result["topic"]["arn"] == ARN
    assert result["topic"]["email_subscriptions"] == ["ops@example.com"]


PENDING_ARN = "pending confirmation"


def test_no_change_run_reads_only(stubs, run_module):
    expect_list(stubs)
    # The same policy in another order and spelling is no change.
    expect_attributes(stubs, Policy=json.dumps(dict(POLICY, Statement=POLICY["Statement"][::-1])))
    expect_tags(stubs)
    expect_subscriptions(stubs, [("ops@example.com", SUB)])
    result = run_module(sns_topic, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_check_mode_predicts_a_new_topic_without_writing(stubs, run_module):
    expect_list(stubs, found=False)
    result = run_module(sns_topic, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["topic"]["arn"] == ""


def test_a_changed_key_is_set_alone_and_a_pending_subscription_stays(stubs, run_module):
    expect_list(stubs)
    expect_attributes(stubs, KmsMasterKeyId="alias/aws/sns")
    stubs["sns"].add_response("set_topic_attributes", {},
                              dict(TopicArn=ARN, AttributeName="KmsMasterKeyId", AttributeValue=KEY))
    expect_tags(stubs)
    expect_subscriptions(stubs, [("ops@example.com", SUB), ("old@example.com", "PendingConfirmation"),
                                 ("gone@example.com", SUB + "x")])
    stubs["sns"].add_response("unsubscribe", {}, dict(SubscriptionArn=SUB + "x"))
    result = run_module(sns_topic, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["KmsMasterKeyId"] == "alias/aws/sns"
    assert result["topic"]["email_subscriptions"] == ["old@example.com", "ops@example.com"]


def test_absent_deletes_a_found_topic_only(stubs, run_module):
    expect_list(stubs)
    stubs["sns"].add_response("delete_topic", {}, dict(TopicArn=ARN))
    assert run_module(sns_topic, dict(name=NAME, state="absent"))["changed"] is True
    expect_list(stubs, found=False)
    assert run_module(sns_topic, dict(name=NAME, state="absent"))["changed"] is False


def test_a_fifo_or_bad_name_is_refused_before_any_call(run_module):
    assert "Invalid topic name" in run_module(sns_topic, dict(name="events.fifo"), expect_failure=True)["msg"]


def test_https_subscriptions_share_the_listing_with_email(stubs, run_module):
    expect_list(stubs)
    expect_attributes(stubs)
    expect_tags(stubs)
    listed = [dict(SubscriptionArn=SUB, Protocol="email", Endpoint="ops@example.com", TopicArn=ARN, Owner="1"),
              dict(SubscriptionArn=SUB + "h", Protocol="https", Endpoint="https://old.example.com/hook", TopicArn=ARN,
                   Owner="1")]
    stubs["sns"].add_response("list_subscriptions_by_topic", dict(Subscriptions=listed), dict(TopicArn=ARN))
    stubs["sns"].add_response("subscribe", dict(SubscriptionArn=PENDING_ARN),
                              dict(TopicArn=ARN, Protocol="https", Endpoint="https://hooks.example.com/alarms"))
    stubs["sns"].add_response("unsubscribe", {}, dict(SubscriptionArn=SUB + "h"))
    result = run_module(sns_topic, dict(ARGS, https_subscriptions=["https://hooks.example.com/alarms"]), diff=True)
    assert result["topic"]["https_subscriptions"] == ["https://hooks.example.com/alarms"]
    assert result["topic"]["email_subscriptions"] == ["ops@example.com"]
    assert list(result["diff"]["after"]) == ["https_subscriptions"]


def test_a_plain_http_subscription_is_refused_before_any_call(run_module):
    result = run_module(sns_topic, dict(ARGS, https_subscriptions=["http://hooks.example.com"]), expect_failure=True)
    assert "https:// URLs only" in result["msg"]
