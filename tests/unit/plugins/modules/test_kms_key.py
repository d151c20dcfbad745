"""kms_key: the exact API calls of a no-change run, a create, an adoption, a lost race, drift and deletion."""

import datetime
import json

from ansible_collections.storagekit.aws.plugins.modules import kms_key

ALIAS = "alias/orders"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_ID = "5678abcd-12ab-34cd-56ef-1234567890ab"
ORPHAN_ID = "9999abcd-12ab-34cd-56ef-1234567890ab"
ARGS = dict(alias=ALIAS, description="Orders", enable_key_rotation=True, tags={"team": "payments"}, pending_window=7)
TAGS = [dict(TagKey="storagekit:alias", TagValue=ALIAS), dict(TagKey="team", TagValue="payments")]


def arn(key_id):
    return "arn:aws:kms:us-east-1:123456789012:key/" + key_id


def metadata(key_id=KEY_ID, **changes):
    meta = dict(
        KeyId=key_id,
        Arn=arn(key_id),
        Description="Orders",
        KeyState="Enabled",
        Enabled=True,
        KeyManager="CUSTOMER",
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
        CreationDate=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    )
    meta.update(changes)
    return meta


def expect_describe(stubs, key_id=ALIAS, meta=None):
    if meta is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=key_id))
    else:
        stubs["kms"].add_response("describe_key", dict(KeyMetadata=meta), dict(KeyId=key_id))


def expect_rotation(stubs, enabled, key_id=KEY_ID):
    stubs["kms"].add_response("get_key_rotation_status", dict(KeyRotationEnabled=enabled), dict(KeyId=key_id))


def expect_tags(stubs, tags, key_id=KEY_ID):
    stubs["kms"].add_response("list_resource_tags", dict(Tags=tags, Truncated=False), dict(KeyId=key_id))


def expect_orphan_search(stubs, aliases, keys, tags_by_key):
    """ListAliases, ListKeys, then the tags of every key without an alias."""
    stubs["kms"].add_response(
        "list_aliases", dict(Aliases=[dict(AliasName=a, TargetKeyId=k) for a, k in aliases], Truncated=False), {}
    )
    stubs["kms"].add_response("list_keys", dict(Keys=[dict(KeyId=k, KeyArn=arn(k)) for k in keys], Truncated=False), {})
    aliased = set(key_id for _alias, key_id in aliases)
    for key_id in keys:
        if key_id not in aliased:
            expect_tags(stubs, tags_by_key.get(key_id, []), key_id)


def expect_create(stubs, key_id=KEY_ID):
    stubs["kms"].add_response(
        "create_key",
        dict(KeyMetadata=metadata(key_id)),
        dict(Description="Orders", KeyUsage="ENCRYPT_DECRYPT", KeySpec="SYMMETRIC_DEFAULT", Tags=TAGS),
    )


def test_no_change_run_reads_the_key_its_rotation_and_tags_once(stubs, run_module):
    expect_describe(stubs, meta=metadata())
    expect_rotation(stubs, True)
    expect_tags(stubs, TAGS)
    result = run_module(kms_key, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["key"] == dict(
        key_id=KEY_ID, key_arn=arn(KEY_ID), alias=ALIAS, description="Orders", key_state="Enabled",
        enable_key_rotation=True, tags={"team": "payments", "storagekit:alias": ALIAS},
    )
    assert result["scheduled_for_deletion"] == []


def test_unmanaged_facets_are_not_read(stubs, run_module):
    expect_describe(stubs, meta=metadata())
    result = run_module(kms_key, dict(alias="orders"))
    assert result["changed"] is False
    assert result["key"]["key_arn"] == arn(KEY_ID)
    assert result["key"]["enable_key_rotation"] is None and result["key"]["tags"] is None


def test_create_tags_the_key_with_its_alias_then_aliases_and_rotates_it(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(stubs, [("alias/aws/s3", OTHER_ID)], [OTHER_ID], {})
    expect_create(stubs)
    stubs["kms"].add_response("create_alias", {}, dict(AliasName=ALIAS, TargetKeyId=KEY_ID))
    stubs["kms"].add_response("enable_key_rotation", {}, dict(KeyId=KEY_ID))
    result = run_module(kms_key, ARGS, diff=True)
    assert result["changed"] is True
    assert result["key"]["key_arn"] == arn(KEY_ID)
    assert result["key"]["enable_key_rotation"] is True
    assert result["diff"]["before"] == dict(key=None)
    assert result["diff"]["after"]["key"]["tags"] == {"team": "payments", "storagekit:alias": ALIAS}


def test_check_mode_create_only_reads(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(stubs, [], [], {})
    result = run_module(kms_key, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["key"]["key_arn"] is None
    assert result["key"]["alias"] == ALIAS


def test_a_key_left_without_its_alias_is_adopted_not_duplicated(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(
        stubs, [("alias/other", OTHER_ID)], [OTHER_ID, KEY_ID, ORPHAN_ID],
        {ORPHAN_ID: TAGS, KEY_ID: [dict(TagKey="storagekit:alias", TagValue="alias/elsewhere")]},
    )
    expect_describe(stubs, ORPHAN_ID, metadata(ORPHAN_ID))
    stubs["kms"].add_response("create_alias", {}, dict(AliasName=ALIAS, TargetKeyId=ORPHAN_ID))
    expect_rotation(stubs, True, ORPHAN_ID)
    expect_tags(stubs, TAGS, ORPHAN_ID)
    result = run_module(kms_key, ARGS, diff=True)
    assert result["changed"] is True
    assert result["key"]["key_arn"] == arn(ORPHAN_ID)
    assert result["diff"] == dict(before=dict(alias=None), after=dict(alias=dict(alias=ALIAS, adopted_key_id=ORPHAN_ID)))


def test_a_disabled_orphan_is_not_adopted(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(stubs, [], [ORPHAN_ID], {ORPHAN_ID: TAGS})
    expect_describe(stubs, ORPHAN_ID, metadata(ORPHAN_ID, KeyState="Disabled", Enabled=False))
    result = run_module(kms_key, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["key"]["key_id"] is None


def test_check_mode_predicts_the_adoption(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(stubs, [], [ORPHAN_ID], {ORPHAN_ID: TAGS})
    expect_describe(stubs, ORPHAN_ID, metadata(ORPHAN_ID))
    expect_rotation(stubs, True, ORPHAN_ID)
    expect_tags(stubs, TAGS, ORPHAN_ID)
    result = run_module(kms_key, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["key"]["key_arn"] == arn(ORPHAN_ID)


def test_a_run_that_loses_the_alias_race_deletes_its_key_and_uses_the_winners(stubs, run_module):
    expect_describe(stubs)
    expect_orphan_search(stubs, [], [], {})
    expect_create(stubs)
    stubs["kms"].add_client_error(
        "create_alias", "AlreadyExistsException", expected_params=dict(AliasName=ALIAS, TargetKeyId=KEY_ID)
    )
    expect_describe(stubs, meta=metadata(OTHER_ID))
    stubs["kms"].add_response(
        "schedule_key_deletion", dict(KeyId=arn(KEY_ID), KeyState="PendingDeletion", PendingWindowInDays=7),
        dict(KeyId=KEY_ID, PendingWindowInDays=7),
    )
    expect_rotation(stubs, True, OTHER_ID)
    expect_tags(stubs, TAGS, OTHER_ID)
    result = run_module(kms_key, ARGS)
    assert result["changed"] is True
    assert result["key"]["key_arn"] == arn(OTHER_ID)
    assert result["scheduled_for_deletion"] == [KEY_ID]
    assert "at the same time" in json.dumps(result["warnings"])


def test_a_key_a_concurrent_run_adopted_meanwhile_is_kept(stubs, run_module):
    # The other run found the new key before its alias existed, took it as an orphan and gave it the alias.
    expect_describe(stubs)
    expect_orphan_search(stubs, [], [], {})
    expect_create(stubs)
    stubs["kms"].add_client_error(
        "create_alias", "AlreadyExistsException", expected_params=dict(AliasName=ALIAS, TargetKeyId=KEY_ID)
    )
    expect_describe(stubs, meta=metadata(KEY_ID))
    stubs["kms"].add_response("enable_key_rotation", {}, dict(KeyId=KEY_ID))
    result = run_module(kms_key, ARGS)
    assert result["changed"] is True
    assert result["key"]["key_arn"] == arn(KEY_ID)
    assert result["scheduled_for_deletion"] == []


def test_drift_is_put_back(stubs, run_module):
    expect_describe(stubs, meta=metadata(Description="changed"))
    stubs["kms"].add_response("update_key_description", {}, dict(KeyId=KEY_ID, Description="Orders"))
    expect_rotation(stubs, False)
    stubs["kms"].add_response("enable_key_rotation", {}, dict(KeyId=KEY_ID))
    expect_tags(stubs, [TAGS[1], dict(TagKey="extra", TagValue="x")])
    stubs["kms"].add_response("untag_resource", {}, dict(KeyId=KEY_ID, TagKeys=["extra"]))
    stubs["kms"].add_response("tag_resource", {}, dict(KeyId=KEY_ID, Tags=[TAGS[0]]))
    result = run_module(kms_key, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["enable_key_rotation"] is False
    assert result["diff"]["after"]["description"] == "Orders"
    assert result["key"]["tags"] == {"team": "payments", "storagekit:alias": ALIAS}


def test_a_key_pending_deletion_is_restored(stubs, run_module):
    expect_describe(stubs, meta=metadata(KeyState="PendingDeletion", Enabled=False))
    stubs["kms"].add_response("cancel_key_deletion", dict(KeyId=arn(KEY_ID)), dict(KeyId=KEY_ID))
    stubs["kms"].add_response("enable_key", {}, dict(KeyId=KEY_ID))
    expect_rotation(stubs, True)
    expect_tags(stubs, TAGS)
    result = run_module(kms_key, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(before=dict(key_state="PendingDeletion"), after=dict(key_state="Enabled"))
    assert result["key"]["key_state"] == "Enabled"


def test_policy_is_read_and_compared_only_when_set(stubs, run_module):
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                      "Action": "kms:*", "Resource": "*"}]}
    expect_describe(stubs, meta=metadata())
    stubs["kms"].add_response("get_key_policy", dict(Policy=json.dumps(policy), PolicyName="default"),
                              dict(KeyId=KEY_ID, PolicyName="default"))
    result = run_module(kms_key, dict(alias=ALIAS, policy=json.dumps(policy, indent=2)))
    assert result["changed"] is False


def test_absent_schedules_the_deletion_of_the_key_and_its_orphans(stubs, run_module):
    expect_describe(stubs, meta=metadata())
    expect_orphan_search(stubs, [(ALIAS, KEY_ID)], [KEY_ID, ORPHAN_ID], {ORPHAN_ID: TAGS})
    expect_describe(stubs, ORPHAN_ID, metadata(ORPHAN_ID))
    for key_id in (KEY_ID, ORPHAN_ID):
        stubs["kms"].add_response(
            "schedule_key_deletion", dict(KeyId=arn(key_id), KeyState="PendingDeletion", PendingWindowInDays=7),
            dict(KeyId=key_id, PendingWindowInDays=7),
        )
    result = run_module(kms_key, dict(alias=ALIAS, pending_window=7, state="absent"))
    assert result["changed"] is True
    assert result["scheduled_for_deletion"] == [KEY_ID, ORPHAN_ID]
    assert result["key"] == {}


def test_absent_leaves_a_key_pending_deletion_alone(stubs, run_module):
    expect_describe(stubs, meta=metadata(KeyState="PendingDeletion", Enabled=False))
    expect_orphan_search(stubs, [(ALIAS, KEY_ID)], [KEY_ID], {})
    result = run_module(kms_key, dict(alias=ALIAS, state="absent"))
    assert result["changed"] is False


def test_bad_input_is_refused_before_any_call(run_module):
    assert "alias/aws/" in run_module(kms_key, dict(alias="alias/aws/s3"), expect_failure=True)["msg"]
    assert "7 to 30" in run_module(kms_key, dict(alias=ALIAS, pending_window=3), expect_failure=True)["msg"]


def test_an_aws_managed_key_is_refused(stubs, run_module):
    expect_describe(stubs, meta=metadata(KeyManager="AWS"))
    assert "managed by AWS" in run_module(kms_key, ARGS, expect_failure=True)["msg"]
