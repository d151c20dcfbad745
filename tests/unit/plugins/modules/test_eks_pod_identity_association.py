"""eks_pod_identity_association: one filtered list per run, a describe only for role and tags, exact writes."""

import pytest

from ansible_collections.storagekit.aws.plugins.modules import eks_pod_identity_association

CLUSTER = "prod"
ROLE = "arn:aws:iam::123456789012:role/prod-loki"
OTHER_ROLE = "arn:aws:iam::123456789012:role/prod-loki-v2"
ASSOCIATION_ID = "a-0123456789abcdef0"
ASSOCIATION_ARN = "arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/" + ASSOCIATION_ID
ADDON_ARN = "arn:aws:eks:us-east-1:123456789012:addon/prod/aws-ebs-csi-driver/1ac1b2c3-0000-4000-8000-000000000001"
BASE_ARGS = dict(cluster_name=CLUSTER, namespace="observability", service_account="loki")
LIST_FILTER = dict(clusterName=CLUSTER, namespace="observability", serviceAccount="loki")
ID_KEY = dict(clusterName=CLUSTER, associationId=ASSOCIATION_ID)


def summary(**extra):
    raw = dict(
        clusterName=CLUSTER,
        namespace="observability",
        serviceAccount="loki",
        associationArn=ASSOCIATION_ARN,
        associationId=ASSOCIATION_ID,
    )
    raw.update(extra)
    return raw


def association(role=ROLE, tags=None, **extra):
    return dict(summary(**extra), roleArn=role, tags=dict(team="observability") if tags is None else tags)


def expect_list(stubs, *summaries):
    stubs["eks"].add_response("list_pod_identity_associations", dict(associations=list(summaries)), LIST_FILTER)


def expect_describe(stubs, raw):
    stubs["eks"].add_response("describe_pod_identity_association", dict(association=raw), ID_KEY)


def test_create_sends_role_and_tags(stubs, run_module):
    expect_list(stubs)
    stubs["eks"].add_response(
        "create_pod_identity_association",
        dict(association=association()),
        dict(
            clusterName=CLUSTER,
            namespace="observability",
            serviceAccount="loki",
            roleArn=ROLE,
            tags=dict(team="observability"),
        ),
    )
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=ROLE, tags=dict(team="observability")))
    assert result["changed"] is True
    assert result["association"]["association_id"] == ASSOCIATION_ID
    assert result["association"]["role_arn"] == ROLE


def test_check_mode_create_makes_no_write_and_shows_the_diff(stubs, run_module):
    expect_list(stubs)
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=ROLE), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(
        before=dict(association=None),
        after=dict(association=dict(namespace="observability", service_account="loki", role_arn=ROLE)),
    )
    assert result["association"]["role_arn"] == ROLE


def test_create_needs_a_role_before_any_write(stubs, run_module):
    expect_list(stubs)
    result = run_module(eks_pod_identity_association, BASE_ARGS, expect_failure=True)
    assert "role_arn is required to create" in result["msg"]


def test_no_change_run_lists_and_describes_once(stubs, run_module):
    expect_list(stubs, summary())
    expect_describe(stubs, association())
    args = dict(BASE_ARGS, role_arn=ROLE, tags=dict(team="observability"))
    result = run_module(eks_pod_identity_association, args, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["association"]["tags"] == dict(team="observability")


def test_without_role_or_tags_the_summary_is_enough(stubs, run_module):
    expect_list(stubs, summary())
    result = run_module(eks_pod_identity_association, BASE_ARGS)
    assert result["changed"] is False
    assert result["association"]["association_arn"] == ASSOCIATION_ARN
    assert "role_arn" not in result["association"]


def test_role_change_updates_the_association(stubs, run_module):
    expect_list(stubs, summary())
    expect_describe(stubs, association())
    stubs["eks"].add_response(
        "update_pod_identity_association",
        dict(association=association(role=OTHER_ROLE)),
        dict(ID_KEY, roleArn=OTHER_ROLE),
    )
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=OTHER_ROLE), diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(before=dict(role_arn=ROLE), after=dict(role_arn=OTHER_ROLE))
    assert result["association"]["role_arn"] == OTHER_ROLE


def test_check_mode_role_change_makes_no_write(stubs, run_module):
    expect_list(stubs, summary())
    expect_describe(stubs, association())
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=OTHER_ROLE), check_mode=True)
    assert result["changed"] is True
    assert result["association"]["role_arn"] == OTHER_ROLE


def test_tags_are_added_and_purged(stubs, run_module):
    expect_list(stubs, summary())
    expect_describe(stubs, association(tags=dict(team="observability", old="x")))
    eks = stubs["eks"]
    eks.add_response("untag_resource", {}, dict(resourceArn=ASSOCIATION_ARN, tagKeys=["old"]))
    eks.add_response("tag_resource", {}, dict(resourceArn=ASSOCIATION_ARN, tags=dict(env="prod")))
    args = dict(BASE_ARGS, tags=dict(team="observability", env="prod"))
    result = run_module(eks_pod_identity_association, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(tags=dict(team="observability", old="x"))
    assert result["association"]["tags"] == dict(team="observability", env="prod")


def test_tags_without_purge_keep_the_others(stubs, run_module):
    expect_list(stubs, summary())
    expect_describe(stubs, association(tags=dict(team="observability", old="x")))
    args = dict(BASE_ARGS, tags=dict(team="observability"), purge_tags=False)
    result = run_module(eks_pod_identity_association, args)
    assert result["changed"] is False


def test_delete(stubs, run_module):
    expect_list(stubs, summary())
    stubs["eks"].add_response("delete_pod_identity_association", dict(association=association()), ID_KEY)
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, state="absent"), diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == dict(association=None)
    assert result["association"] == {}


def test_check_mode_delete_makes_no_write(stubs, run_module):
    expect_list(stubs, summary())
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, state="absent"), check_mode=True)
    assert result["changed"] is True


def test_absent_association_is_unchanged(stubs, run_module):
    expect_list(stubs)
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, state="absent"))
    assert result["changed"] is False


def test_list_is_followed_across_pages(stubs, run_module):
    eks = stubs["eks"]
    eks.add_response("list_pod_identity_associations", dict(associations=[], nextToken="t1"), LIST_FILTER)
    eks.add_response("list_pod_identity_associations", dict(associations=[summary()]), dict(LIST_FILTER, nextToken="t1"))
    result = run_module(eks_pod_identity_association, BASE_ARGS)
    assert result["association"]["association_id"] == ASSOCIATION_ID


def test_addon_owned_association_is_not_deleted(stubs, run_module):
    expect_list(stubs, summary(ownerArn=ADDON_ARN))
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, state="absent"), expect_failure=True)
    assert "is owned by " + ADDON_ARN in result["msg"]


def test_addon_owned_association_is_not_changed(stubs, run_module):
    expect_list(stubs, summary(ownerArn=ADDON_ARN))
    expect_describe(stubs, association(ownerArn=ADDON_ARN))
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=OTHER_ROLE), expect_failure=True)
    assert "change it through that add-on" in result["msg"]


def test_addon_owned_association_that_matches_is_fine(stubs, run_module):
    expect_list(stubs, summary(ownerArn=ADDON_ARN))
    expect_describe(stubs, association(ownerArn=ADDON_ARN))
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=ROLE))
    assert result["changed"] is False


@pytest.mark.parametrize("role", ["arn:aws:iam::123456789012:policy/x", "prod-loki", ""])
def test_bad_role_fails_before_any_call(stubs, run_module, role):
    result = run_module(eks_pod_identity_association, dict(BASE_ARGS, role_arn=role), expect_failure=True)
    assert "is not an IAM role ARN" in result["msg"]
    assert "eks" not in stubs.clients
