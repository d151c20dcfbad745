"""eks_addon: the exact EKS calls of create, no-change, update, version resolution, check mode and delete runs."""

import datetime
import json

import pytest

from ansible_collections.storagekit.aws.plugins.modules import eks_addon

CLUSTER = "prod"
NAME = "aws-ebs-csi-driver"
ADDON_ARN = "arn:aws:eks:us-east-1:123456789012:addon/prod/aws-ebs-csi-driver/1ac1b2c3-0000-4000-8000-000000000001"
ROLE = "arn:aws:iam::123456789012:role/prod-ebs-csi"
OTHER_ROLE = "arn:aws:iam::123456789012:role/prod-ebs-csi-v2"
ASSOCIATION_ARN = "arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/a-0123456789abcdef0"
KEY = dict(clusterName=CLUSTER, addonName=NAME)
BASE_ARGS = dict(cluster_name=CLUSTER, name=NAME)


def addon(status="ACTIVE", **extra):
    raw = dict(
        addonName=NAME,
        clusterName=CLUSTER,
        status=status,
        addonVersion="v1.41.0-eksbuild.1",
        health=dict(issues=[]),
        addonArn=ADDON_ARN,
        createdAt=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        modifiedAt=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        tags=dict(team="platform"),
        configurationValues='{"controller": {"replicaCount": 2}}',
    )
    raw.update(extra)
    return raw


def expect_describe(stubs, raw):
    if raw is None:
        stubs["eks"].add_client_error("describe_addon", "ResourceNotFoundException", expected_params=KEY)
    else:
        stubs["eks"].add_response("describe_addon", dict(addon=raw), KEY)


def expect_versions(stubs, kubernetes_version="1.33"):
    """DescribeCluster, then the add-on's versions: v1.42 is newest, v1.41 is the default for 1.33."""
    eks = stubs["eks"]
    eks.add_response("describe_cluster", dict(cluster=dict(name=CLUSTER, version=kubernetes_version)), dict(name=CLUSTER))

    def info(version, default):
        return dict(
            addonVersion=version,
            compatibilities=[
                dict(clusterVersion="1.32", defaultVersion=False),
                dict(clusterVersion=kubernetes_version, defaultVersion=default),
            ],
        )

    eks.add_response(
        "describe_addon_versions",
        dict(
            addons=[
                dict(
                    addonName=NAME,
                    addonVersions=[
                        info("v1.41.0-eksbuild.1", True),
                        info("v1.9.0-eksbuild.3", False),
                        info("v1.42.0-eksbuild.1", False),
                    ],
                )
            ]
        ),
        dict(addonName=NAME, kubernetesVersion=kubernetes_version),
    )


def expect_association(stubs, role=ROLE):
    stubs["eks"].add_response(
        "describe_pod_identity_association",
        dict(
            association=dict(
                clusterName=CLUSTER,
                namespace="kube-system",
                serviceAccount="ebs-csi-controller-sa",
                roleArn=role,
                associationArn=ASSOCIATION_ARN,
                associationId="a-0123456789abcdef0",
                ownerArn=ADDON_ARN,
            )
        ),
        dict(clusterName=CLUSTER, associationId="a-0123456789abcdef0"),
    )


def expect_update(stubs, **request):
    stubs["eks"].add_response(
        "update_addon",
        dict(update=dict(id="u-1", status="InProgress", type="AddonUpdate")),
        dict(KEY, **request),
    )


# ---------------------------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------------------------


def test_create_sends_every_setting_and_waits_for_active(stubs, run_module):
    expect_describe(stubs, None)
    eks = stubs["eks"]
    eks.add_response(
        "create_addon",
        dict(addon=addon(status="CREATING")),
        dict(
            KEY,
            addonVersion="v1.41.0-eksbuild.1",
            configurationValues='{"controller":{"replicaCount":2}}',
            podIdentityAssociations=[dict(serviceAccount="ebs-csi-controller-sa", roleArn=ROLE)],
            resolveConflicts="OVERWRITE",
            tags=dict(team="platform"),
        ),
    )
    expect_describe(stubs, addon(status="CREATING"))
    expect_describe(stubs, addon(podIdentityAssociations=[ASSOCIATION_ARN]))
    args = dict(
        BASE_ARGS,
        addon_version="v1.41.0-eksbuild.1",
        configuration_values=dict(controller=dict(replicaCount=2)),
        pod_identity_associations=[dict(service_account="ebs-csi-controller-sa", role_arn=ROLE)],
        resolve_conflicts="overwrite",
        tags=dict(team="platform"),
    )
    result = run_module(eks_addon, args)
    assert result["changed"] is True
    assert result["addon"]["status"] == "ACTIVE"
    assert result["addon"]["pod_identity_associations"] == [ASSOCIATION_ARN]
    assert result["addon"]["tags"] == dict(team="platform")


def test_create_without_wait_returns_the_creating_addon(stubs, run_module):
    expect_describe(stubs, None)
    stubs["eks"].add_response("create_addon", dict(addon=addon(status="CREATING")), KEY)
    result = run_module(eks_addon, dict(BASE_ARGS, wait=False))
    assert result["changed"] is True
    assert result["addon"]["status"] == "CREATING"


def test_check_mode_create_makes_no_write_and_predicts_the_addon(stubs, run_module):
    expect_describe(stubs, None)
    args = dict(BASE_ARGS, addon_version="v1.41.0-eksbuild.1", configuration_values='{"a": 1}', tags=dict(team="x"))
    result = run_module(eks_addon, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["addon"]["status"] == "CREATING"
    assert result["addon"]["addon_version"] == "v1.41.0-eksbuild.1"
    assert result["diff"]["before"] == dict(addon=None)
    assert result["diff"]["after"]["addon"]["configuration_values"] == dict(a=1)
    assert result["diff"]["after"]["addon"]["tags"] == dict(team="x")
    assert result["addon"]["tags"] == dict(team="x")


# ---------------------------------------------------------------------------------------------
# No change
# ---------------------------------------------------------------------------------------------


def test_no_change_run_reads_the_addon_once(stubs, run_module):
    expect_describe(stubs, addon(serviceAccountRoleArn=ROLE))
    args = dict(
        BASE_ARGS,
        addon_version="v1.41.0-eksbuild.1",
        # Another key order and YAML instead of JSON: the same data, so no change.
        configuration_values="controller:\n  replicaCount: 2\n",
        service_account_role_arn=ROLE,
        tags=dict(team="platform"),
    )
    result = run_module(eks_addon, args, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["addon"]["addon_arn"] == ADDON_ARN
    assert result["addon"]["tags"] == dict(team="platform")


def test_unset_options_are_neither_read_nor_written(stubs, run_module):
    expect_describe(stubs, addon(podIdentityAssociations=[ASSOCIATION_ARN], tags=dict(other="x")))
    result = run_module(eks_addon, BASE_ARGS)
    assert result["changed"] is False


def test_managed_associations_are_described_once_each(stubs, run_module):
    expect_describe(stubs, addon(podIdentityAssociations=[ASSOCIATION_ARN]))
    expect_association(stubs)
    args = dict(BASE_ARGS, pod_identity_associations=[dict(service_account="ebs-csi-controller-sa", role_arn=ROLE)])
    result = run_module(eks_addon, args)
    assert result["changed"] is False


# ---------------------------------------------------------------------------------------------
# Updates
# ---------------------------------------------------------------------------------------------


def test_version_update_keeps_the_irsa_role_and_waits(stubs, run_module):
    expect_describe(stubs, addon(serviceAccountRoleArn=ROLE))
    # UpdateAddon without serviceAccountRoleArn would fall back to the node role.
    expect_update(stubs, addonVersion="v1.42.0-eksbuild.1", serviceAccountRoleArn=ROLE)
    expect_describe(stubs, addon(status="UPDATING", serviceAccountRoleArn=ROLE))
    expect_describe(stubs, addon(addonVersion="v1.42.0-eksbuild.1", serviceAccountRoleArn=ROLE))
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="v1.42.0-eksbuild.1"), diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(
        before=dict(addon_version="v1.41.0-eksbuild.1"), after=dict(addon_version="v1.42.0-eksbuild.1")
    )
    assert result["addon"]["addon_version"] == "v1.42.0-eksbuild.1"
    assert result["addon"]["status"] == "ACTIVE"


def test_configuration_and_role_change_in_one_update_call(stubs, run_module):
    expect_describe(stubs, addon(serviceAccountRoleArn=ROLE))
    expect_update(
        stubs,
        configurationValues='{"controller":{"replicaCount":3}}',
        serviceAccountRoleArn=OTHER_ROLE,
        resolveConflicts="PRESERVE",
    )
    args = dict(
        BASE_ARGS,
        configuration_values=dict(controller=dict(replicaCount=3)),
        service_account_role_arn=OTHER_ROLE,
        resolve_conflicts="preserve",
        wait=False,
    )
    result = run_module(eks_addon, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(
        configuration_values=dict(controller=dict(replicaCount=2)), service_account_role_arn=ROLE
    )
    assert result["diff"]["after"] == dict(
        configuration_values=dict(controller=dict(replicaCount=3)), service_account_role_arn=OTHER_ROLE
    )
    assert result["addon"]["status"] == "UPDATING"
    assert json.loads(result["addon"]["configuration_values"]) == dict(controller=dict(replicaCount=3))


def test_empty_configuration_removes_the_values(stubs, run_module):
    expect_describe(stubs, addon())
    expect_update(stubs, configurationValues="{}")
    result = run_module(eks_addon, dict(BASE_ARGS, configuration_values={}, wait=False))
    assert result["changed"] is True


def test_association_role_change_is_sent_as_the_whole_list(stubs, run_module):
    expect_describe(stubs, addon(podIdentityAssociations=[ASSOCIATION_ARN]))
    expect_association(stubs, role=ROLE)
    expect_update(stubs, podIdentityAssociations=[dict(serviceAccount="ebs-csi-controller-sa", roleArn=OTHER_ROLE)])
    args = dict(
        BASE_ARGS,
        pod_identity_associations=[dict(service_account="ebs-csi-controller-sa", role_arn=OTHER_ROLE)],
        wait=False,
    )
    result = run_module(eks_addon, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["pod_identity_associations"] == [
        dict(service_account="ebs-csi-controller-sa", role_arn=ROLE)
    ]


def test_empty_association_list_removes_them(stubs, run_module):
    expect_describe(stubs, addon(podIdentityAssociations=[ASSOCIATION_ARN]))
    expect_association(stubs)
    expect_update(stubs, podIdentityAssociations=[])
    result = run_module(eks_addon, dict(BASE_ARGS, pod_identity_associations=[], wait=False))
    assert result["changed"] is True


def test_tags_are_added_and_purged_without_update_addon(stubs, run_module):
    expect_describe(stubs, addon(tags=dict(team="platform", old="x")))
    eks = stubs["eks"]
    eks.add_response("untag_resource", {}, dict(resourceArn=ADDON_ARN, tagKeys=["old"]))
    eks.add_response("tag_resource", {}, dict(resourceArn=ADDON_ARN, tags=dict(env="prod")))
    result = run_module(eks_addon, dict(BASE_ARGS, tags=dict(team="platform", env="prod")), diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["tags"] == dict(team="platform", env="prod")
    assert result["addon"]["tags"] == dict(team="platform", env="prod")


def test_tags_without_purge_only_add(stubs, run_module):
    expect_describe(stubs, addon(tags=dict(team="platform", old="x")))
    result = run_module(eks_addon, dict(BASE_ARGS, tags=dict(team="platform"), purge_tags=False))
    assert result["changed"] is False


def test_check_mode_update_makes_no_write(stubs, run_module):
    expect_describe(stubs, addon(tags=dict()))
    args = dict(BASE_ARGS, addon_version="v1.42.0-eksbuild.1", tags=dict(team="platform"))
    result = run_module(eks_addon, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["addon"]["addon_version"] == "v1.42.0-eksbuild.1"
    assert result["addon"]["tags"] == dict(team="platform")
    assert set(result["diff"]["after"]) == {"addon_version", "tags"}


def test_update_waits_for_a_pending_operation_first(stubs, run_module):
    expect_describe(stubs, addon(status="CREATING"))
    expect_describe(stubs, addon())
    expect_update(stubs, addonVersion="v1.42.0-eksbuild.1")
    expect_describe(stubs, addon(addonVersion="v1.42.0-eksbuild.1"))
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="v1.42.0-eksbuild.1"))
    assert result["addon"]["addon_version"] == "v1.42.0-eksbuild.1"


# ---------------------------------------------------------------------------------------------
# latest and default
# ---------------------------------------------------------------------------------------------


def test_latest_is_the_newest_version_for_the_cluster(stubs, run_module):
    expect_describe(stubs, addon())
    expect_versions(stubs)
    expect_update(stubs, addonVersion="v1.42.0-eksbuild.1")
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="latest", wait=False))
    assert result["changed"] is True
    assert result["addon"]["addon_version"] == "v1.42.0-eksbuild.1"


def test_default_is_the_version_marked_default_for_the_cluster(stubs, run_module):
    expect_describe(stubs, addon())
    expect_versions(stubs)
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="default"))
    assert result["changed"] is False


def test_latest_on_create(stubs, run_module):
    expect_describe(stubs, None)
    expect_versions(stubs)
    stubs["eks"].add_response(
        "create_addon", dict(addon=addon(addonVersion="v1.42.0-eksbuild.1")), dict(KEY, addonVersion="v1.42.0-eksbuild.1")
    )
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="latest"))
    assert result["addon"]["addon_version"] == "v1.42.0-eksbuild.1"


def test_versions_are_read_across_pages(stubs, run_module):
    expect_describe(stubs, addon())
    eks = stubs["eks"]
    eks.add_response("describe_cluster", dict(cluster=dict(name=CLUSTER, version="1.33")), dict(name=CLUSTER))
    request = dict(addonName=NAME, kubernetesVersion="1.33")

    def page(version, **extra):
        info = dict(addonVersion=version, compatibilities=[dict(clusterVersion="1.33", defaultVersion=False)])
        return dict(addons=[dict(addonName=NAME, addonVersions=[info])], **extra)

    eks.add_response("describe_addon_versions", page("v1.41.0-eksbuild.1", nextToken="t1"), request)
    eks.add_response("describe_addon_versions", page("v1.43.0-eksbuild.2"), dict(request, nextToken="t1"))
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="latest"), check_mode=True)
    assert result["addon"]["addon_version"] == "v1.43.0-eksbuild.2"


def test_no_version_for_the_cluster_fails_before_any_write(stubs, run_module):
    expect_describe(stubs, addon())
    eks = stubs["eks"]
    eks.add_response("describe_cluster", dict(cluster=dict(name=CLUSTER, version="1.35")), dict(name=CLUSTER))
    only_older = dict(addonVersion="v1.41.0-eksbuild.1", compatibilities=[dict(clusterVersion="1.34", defaultVersion=True)])
    eks.add_response(
        "describe_addon_versions",
        dict(addons=[dict(addonName=NAME, addonVersions=[only_older])]),
        dict(addonName=NAME, kubernetesVersion="1.35"),
    )
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="latest"), expect_failure=True)
    assert "no latest version of add-on aws-ebs-csi-driver for Kubernetes 1.35" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Waiting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["CREATE_FAILED", "DEGRADED"])
def test_failed_creation_reports_the_health_issues(stubs, run_module, status):
    expect_describe(stubs, None)
    stubs["eks"].add_response("create_addon", dict(addon=addon(status="CREATING")), KEY)
    issue = dict(code="InsufficientNumberOfReplicas", message="The add-on is unhealthy", resourceIds=["ebs-csi-controller"])
    expect_describe(stubs, addon(status=status, health=dict(issues=[issue])))
    result = run_module(eks_addon, BASE_ARGS, expect_failure=True)
    assert status in result["msg"]
    assert "InsufficientNumberOfReplicas: The add-on is unhealthy (ebs-csi-controller)" in result["msg"]
    assert result["addon"]["status"] == status


def test_failed_update_is_reported(stubs, run_module):
    expect_describe(stubs, addon())
    expect_update(stubs, addonVersion="v1.42.0-eksbuild.1")
    expect_describe(stubs, addon(status="UPDATE_FAILED", health=dict(issues=[dict(code="ConfigurationConflict", message="x")])))
    result = run_module(eks_addon, dict(BASE_ARGS, addon_version="v1.42.0-eksbuild.1"), expect_failure=True)
    assert "UPDATE_FAILED: ConfigurationConflict: x" in result["msg"]


def test_wait_times_out_with_a_clear_message(stubs, run_module, monkeypatch):
    clock = iter(range(0, 10000, 100))
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    expect_describe(stubs, None)
    stubs["eks"].add_response("create_addon", dict(addon=addon(status="CREATING")), KEY)
    # Every clock reading is 100 s later: after the third poll the 250 s deadline has passed.
    expect_describe(stubs, addon(status="CREATING"))
    expect_describe(stubs, addon(status="CREATING"))
    expect_describe(stubs, addon(status="CREATING"))
    result = run_module(eks_addon, dict(BASE_ARGS, wait_timeout=250), expect_failure=True)
    assert "Timed out after 250 seconds" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Delete
# ---------------------------------------------------------------------------------------------


def test_delete_with_preserve_waits_until_gone(stubs, run_module):
    expect_describe(stubs, addon())
    stubs["eks"].add_response("delete_addon", dict(addon=addon(status="DELETING")), dict(KEY, preserve=True))
    expect_describe(stubs, addon(status="DELETING"))
    expect_describe(stubs, None)
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent", preserve=True), diff=True)
    assert result["changed"] is True
    assert result["addon"] == {}
    assert result["diff"]["after"] == dict(addon=None)
    assert result["diff"]["before"]["addon"]["addon_version"] == "v1.41.0-eksbuild.1"


def test_delete_without_preserve_does_not_send_it(stubs, run_module):
    expect_describe(stubs, addon())
    stubs["eks"].add_response("delete_addon", dict(addon=addon(status="DELETING")), KEY)
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent", wait=False))
    assert result["changed"] is True


def test_delete_failed_is_reported(stubs, run_module):
    expect_describe(stubs, addon())
    stubs["eks"].add_response("delete_addon", dict(addon=addon(status="DELETING")), KEY)
    expect_describe(stubs, addon(status="DELETE_FAILED", health=dict(issues=[dict(code="AccessDenied", message="denied")])))
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent"), expect_failure=True)
    assert "DELETE_FAILED: AccessDenied: denied" in result["msg"]


def test_absent_addon_is_unchanged(stubs, run_module):
    expect_describe(stubs, None)
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent"))
    assert result == dict(result, changed=False, addon={})


def test_check_mode_delete_makes_no_write(stubs, run_module):
    expect_describe(stubs, addon())
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent"), check_mode=True)
    assert result["changed"] is True


def test_addon_already_deleting_is_only_waited_for(stubs, run_module):
    expect_describe(stubs, addon(status="DELETING"))
    expect_describe(stubs, None)
    result = run_module(eks_addon, dict(BASE_ARGS, state="absent"))
    assert result["changed"] is False


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(service_account_role_arn="arn:aws:iam::123456789012:user/alice"), "is not an IAM role ARN"),
        (dict(configuration_values="[1, 2]"), "configuration_values must be a dict"),
        (dict(configuration_values="{not: [valid"), "configuration_values must be a dict"),
        (
            dict(
                pod_identity_associations=[
                    dict(service_account="sa", role_arn=ROLE),
                    dict(service_account="sa", role_arn=OTHER_ROLE),
                ]
            ),
            "listed more than once",
        ),
        (dict(pod_identity_associations=[dict(service_account="sa", role_arn="prod-role")]), "is not an IAM role ARN"),
    ],
)
def test_bad_options_fail_before_any_call(stubs, run_module, args, message):
    result = run_module(eks_addon, dict(BASE_ARGS, **args), expect_failure=True)
    assert message in result["msg"]
    assert "eks" not in stubs.clients
