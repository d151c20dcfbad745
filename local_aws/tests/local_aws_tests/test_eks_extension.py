"""What the project adds to moto's EKS: add-ons, Pod Identity, their tags and latency, and the
cluster endpoint setting."""

import base64
import json
import re
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code, logged

ROLE = "arn:aws:iam::123456789012:role/ebs-csi"
OTHER_ROLE = "arn:aws:iam::123456789012:role/other"
PEM = b"-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n"


@pytest.fixture
def eks(aws, boto3_client):
    assert_local(aws)
    client = boto3_client("eks", attempts=1)
    client.create_cluster(name="prod", version="1.31", roleArn="arn:aws:iam::123456789012:role/cluster",
                          resourcesVpcConfig={"subnetIds": []})
    return client


def addon_status(eks, name="aws-ebs-csi-driver"):
    return eks.describe_addon(clusterName="prod", addonName=name)["addon"]["status"]


def test_create_describe_list_delete_addon(eks):
    created = eks.create_addon(clusterName="prod", addonName="aws-ebs-csi-driver",
                               addonVersion="v1.42.0-eksbuild.1", serviceAccountRoleArn=ROLE,
                               resolveConflicts="OVERWRITE", tags={"team": "storage"})["addon"]
    assert created["status"] == "CREATING"
    assert re.fullmatch(r"arn:aws:eks:us-east-1:123456789012:addon/prod/aws-ebs-csi-driver/[0-9a-f-]{36}",
                        created["addonArn"])
    described = eks.describe_addon(clusterName="prod", addonName="aws-ebs-csi-driver")["addon"]
    assert described["status"] == "ACTIVE"
    assert (described["addonVersion"], described["serviceAccountRoleArn"]) == ("v1.42.0-eksbuild.1", ROLE)
    assert described["tags"] == {"team": "storage"} and described["addonArn"] == created["addonArn"]
    assert (described["owner"], described["publisher"], described["health"]) == ("aws", "eks", {"issues": []})
    assert eks.list_addons(clusterName="prod")["addons"] == ["aws-ebs-csi-driver"]

    deleted = eks.delete_addon(clusterName="prod", addonName="aws-ebs-csi-driver", preserve=True)["addon"]
    assert deleted["status"] == "DELETING"
    with pytest.raises(ClientError) as error:
        eks.describe_addon(clusterName="prod", addonName="aws-ebs-csi-driver")
    assert error_code(error) == "ResourceNotFoundException"
    assert eks.list_addons(clusterName="prod")["addons"] == []


def test_default_version_follows_the_cluster_version(eks):
    assert eks.create_addon(clusterName="prod", addonName="kube-proxy")["addon"]["addonVersion"] == "v1.31.7-eksbuild.7"
    assert eks.create_addon(clusterName="prod", addonName="aws-ebs-csi-driver")["addon"]["addonVersion"] == \
        "v1.42.0-eksbuild.1"


@pytest.mark.parametrize("kwargs, code", [
    ({"addonName": "aws-ebs-csi-driver", "addonVersion": "v9.9.9-eksbuild.1"}, "InvalidParameterException"),
    ({"addonName": "kube-proxy", "addonVersion": "v1.33.0-eksbuild.2"}, "InvalidParameterException"),
    ({"addonName": "not-an-addon"}, "InvalidParameterException"),
    ({"addonName": "vpc-cni", "configurationValues": "[1, 2"}, "InvalidParameterException"),
    ({"addonName": "vpc-cni", "configurationValues": "- a list"}, "InvalidParameterException"),
    ({"addonName": "vpc-cni", "serviceAccountRoleArn": "arn:aws:iam::123456789012:user/bob"}, "InvalidParameterException"),
    ({"addonName": "vpc-cni", "resolveConflicts": "MAYBE"}, "InvalidParameterException"),
    ({"addonName": "vpc-cni", "clusterName": "missing"}, "ResourceNotFoundException"),
    ({"addonName": "aws-ebs-csi-driver",
      "podIdentityAssociations": [{"serviceAccount": "someone-else", "roleArn": ROLE}]}, "InvalidParameterException"),
])
def test_create_addon_validation(eks, kwargs, code):
    with pytest.raises(ClientError) as error:
        eks.create_addon(**{"clusterName": "prod", **kwargs})
    assert error_code(error) == code
    assert eks.list_addons(clusterName="prod")["addons"] == []


def test_configuration_values_json_or_yaml(eks):
    eks.create_addon(clusterName="prod", addonName="vpc-cni", configurationValues='{"env": {"A": "1"}}')
    eks.create_addon(clusterName="prod", addonName="coredns", configurationValues="replicaCount: 3\n")
    assert eks.describe_addon(clusterName="prod", addonName="coredns")["addon"]["configurationValues"] == \
        "replicaCount: 3\n"


def test_duplicate_addon_is_in_use(eks):
    eks.create_addon(clusterName="prod", addonName="vpc-cni")
    with pytest.raises(ClientError) as error:
        eks.create_addon(clusterName="prod", addonName="vpc-cni")
    assert error_code(error) == "ResourceInUseException"


def test_update_addon_returns_an_update(eks):
    eks.create_addon(clusterName="prod", addonName="aws-ebs-csi-driver", addonVersion="v1.41.0-eksbuild.1")
    update = eks.update_addon(clusterName="prod", addonName="aws-ebs-csi-driver", addonVersion="v1.44.0-eksbuild.1",
                              configurationValues='{"controller": {"replicaCount": 1}}',
                              resolveConflicts="PRESERVE")["update"]
    assert (update["type"], update["status"]) == ("AddonUpdate", "InProgress")
    assert {"type": "AddonVersion", "value": "v1.44.0-eksbuild.1"} in update["params"]
    assert {"type": "ResolveConflicts", "value": "PRESERVE"} in update["params"]
    assert eks.list_updates(name="prod", addonName="aws-ebs-csi-driver")["updateIds"] == [update["id"]]
    done = eks.describe_update(name="prod", updateId=update["id"], addonName="aws-ebs-csi-driver")["update"]
    assert done["status"] == "Successful"
    addon = eks.describe_addon(clusterName="prod", addonName="aws-ebs-csi-driver")["addon"]
    assert addon["addonVersion"] == "v1.44.0-eksbuild.1" and addon["status"] == "ACTIVE"
    with pytest.raises(ClientError) as error:
        eks.update_addon(clusterName="prod", addonName="aws-ebs-csi-driver", addonVersion="v0.1.0-eksbuild.1")
    assert error_code(error) == "InvalidParameterException"
    with pytest.raises(ClientError) as error:
        eks.describe_update(name="prod", updateId="0000", addonName="aws-ebs-csi-driver")
    assert error_code(error) == "ResourceNotFoundException"


def test_describe_addon_versions_catalogue_and_filters(eks):
    everything = eks.describe_addon_versions()["addons"]
    assert {"aws-ebs-csi-driver", "aws-efs-csi-driver", "eks-pod-identity-agent", "vpc-cni", "coredns",
            "kube-proxy"} <= {a["addonName"] for a in everything}

    ebs = eks.describe_addon_versions(addonName="aws-ebs-csi-driver", kubernetesVersion="1.31")["addons"]
    assert len(ebs) == 1 and ebs[0]["type"] == "storage" and ebs[0]["owner"] == "aws"
    versions = {v["addonVersion"]: v for v in ebs[0]["addonVersions"]}
    assert "v1.42.0-eksbuild.1" in versions and len(versions) >= 3
    defaults = [name for name, v in versions.items()
                if any(c["clusterVersion"] == "1.31" and c["defaultVersion"] for c in v["compatibilities"])]
    assert defaults == ["v1.42.0-eksbuild.1"]
    assert versions["v1.42.0-eksbuild.1"]["requiresIamPermissions"] is True

    proxies = eks.describe_addon_versions(addonName="kube-proxy", kubernetesVersion="1.29")["addons"][0]
    assert [v["addonVersion"] for v in proxies["addonVersions"]] == ["v1.29.15-eksbuild.5"]
    assert {a["addonName"] for a in eks.describe_addon_versions(types=["storage"])["addons"]} == \
        {"aws-ebs-csi-driver", "aws-efs-csi-driver"}
    assert eks.describe_addon_versions(owners=["aws-marketplace"])["addons"] == []
    assert eks.describe_addon_versions(publishers=["eks"])["addons"]
    assert eks.describe_addon_versions(addonName="unknown")["addons"] == []

    first = eks.describe_addon_versions(maxResults=2)
    assert len(first["addons"]) == 2 and first["nextToken"]
    rest = eks.describe_addon_versions(maxResults=100, nextToken=first["nextToken"])
    assert len(first["addons"]) + len(rest["addons"]) == len(everything)


def test_addon_pod_identity_associations(eks):
    addon = eks.create_addon(clusterName="prod", addonName="aws-ebs-csi-driver", podIdentityAssociations=[
        {"serviceAccount": "ebs-csi-controller-sa", "roleArn": ROLE}])["addon"]
    assert len(addon["podIdentityAssociations"]) == 1
    listed = eks.list_pod_identity_associations(clusterName="prod")["associations"]
    assert [(a["namespace"], a["serviceAccount"], a["ownerArn"]) for a in listed] == \
        [("kube-system", "ebs-csi-controller-sa", addon["addonArn"])]
    assert listed[0]["associationArn"] == addon["podIdentityAssociations"][0]
    association_id = listed[0]["associationId"]

    with pytest.raises(ClientError) as error:  # owned by the add-on
        eks.delete_pod_identity_association(clusterName="prod", associationId=association_id)
    assert error_code(error) == "InvalidRequestException"
    with pytest.raises(ClientError) as error:  # the service account is taken
        eks.create_pod_identity_association(clusterName="prod", namespace="kube-system",
                                            serviceAccount="ebs-csi-controller-sa", roleArn=ROLE)
    assert error_code(error) == "ResourceInUseException"

    eks.update_addon(clusterName="prod", addonName="aws-ebs-csi-driver", podIdentityAssociations=[
        {"serviceAccount": "ebs-csi-controller-sa", "roleArn": OTHER_ROLE}])
    association = eks.describe_pod_identity_association(clusterName="prod", associationId=association_id)
    assert association["association"]["roleArn"] == OTHER_ROLE

    eks.update_addon(clusterName="prod", addonName="aws-ebs-csi-driver", podIdentityAssociations=[])
    assert eks.list_pod_identity_associations(clusterName="prod")["associations"] == []
    assert eks.describe_addon(clusterName="prod", addonName="aws-ebs-csi-driver")["addon"]["podIdentityAssociations"] == []


def test_deleting_an_addon_deletes_its_associations(eks):
    eks.create_addon(clusterName="prod", addonName="aws-efs-csi-driver", podIdentityAssociations=[
        {"serviceAccount": "efs-csi-controller-sa", "roleArn": ROLE}])
    eks.delete_addon(clusterName="prod", addonName="aws-efs-csi-driver")
    assert eks.list_addons(clusterName="prod")["addons"] == []
    assert eks.list_pod_identity_associations(clusterName="prod")["associations"] == []


def test_pod_identity_association_lifecycle(eks):
    created = eks.create_pod_identity_association(
        clusterName="prod", namespace="apps", serviceAccount="reader", roleArn=ROLE, tags={"a": "1"})["association"]
    assert re.fullmatch(r"a-[a-z0-9]{17}", created["associationId"])
    assert created["associationArn"] == \
        f"arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/{created['associationId']}"
    assert created["disableSessionTags"] is False and "ownerArn" not in created
    assert created["tags"] == {"a": "1"}

    with pytest.raises(ClientError) as error:
        eks.create_pod_identity_association(clusterName="prod", namespace="apps", serviceAccount="reader",
                                            roleArn=OTHER_ROLE)
    assert error_code(error) == "ResourceInUseException"

    updated = eks.update_pod_identity_association(clusterName="prod", associationId=created["associationId"],
                                                  roleArn=OTHER_ROLE)["association"]
    assert updated["roleArn"] == OTHER_ROLE and updated["createdAt"] == created["createdAt"]
    described = eks.describe_pod_identity_association(clusterName="prod", associationId=created["associationId"])
    assert described["association"]["roleArn"] == OTHER_ROLE

    eks.delete_pod_identity_association(clusterName="prod", associationId=created["associationId"])
    with pytest.raises(ClientError) as error:
        eks.describe_pod_identity_association(clusterName="prod", associationId=created["associationId"])
    assert error_code(error) == "ResourceNotFoundException"


@pytest.mark.parametrize("kwargs, code", [
    ({"clusterName": "missing"}, "ResourceNotFoundException"),
    ({"roleArn": "not-an-arn"}, "InvalidParameterException"),
])
def test_pod_identity_association_validation(eks, kwargs, code):
    with pytest.raises(ClientError) as error:
        eks.create_pod_identity_association(**{"clusterName": "prod", "namespace": "apps", "serviceAccount": "sa",
                                               "roleArn": ROLE, **kwargs})
    assert error_code(error) == code


def test_list_pod_identity_associations_filters_and_pages(eks):
    for namespace, account in [("apps", "a"), ("apps", "b"), ("jobs", "a")]:
        eks.create_pod_identity_association(clusterName="prod", namespace=namespace, serviceAccount=account,
                                            roleArn=ROLE)
    assert len(eks.list_pod_identity_associations(clusterName="prod", namespace="apps")["associations"]) == 2
    assert len(eks.list_pod_identity_associations(clusterName="prod", serviceAccount="a")["associations"]) == 2
    first = eks.list_pod_identity_associations(clusterName="prod", maxResults=2)
    assert len(first["associations"]) == 2
    rest = eks.list_pod_identity_associations(clusterName="prod", maxResults=2, nextToken=first["nextToken"])
    assert len(rest["associations"]) == 1 and "nextToken" not in rest
    paginator = eks.get_paginator("list_pod_identity_associations")
    assert sum(len(p["associations"]) for p in paginator.paginate(clusterName="prod", PaginationConfig={"PageSize": 1})) == 3


def test_tags_on_addons_associations_and_clusters(eks):
    addon_arn = eks.create_addon(clusterName="prod", addonName="vpc-cni", tags={"a": "1"})["addon"]["addonArn"]
    association_arn = eks.create_pod_identity_association(
        clusterName="prod", namespace="apps", serviceAccount="sa", roleArn=ROLE)["association"]["associationArn"]
    cluster_arn = eks.describe_cluster(name="prod")["cluster"]["arn"]
    for arn in (addon_arn, association_arn, cluster_arn):
        eks.tag_resource(resourceArn=arn, tags={"env": "prod", "team": "x"})
        eks.untag_resource(resourceArn=arn, tagKeys=["team"])
        assert eks.list_tags_for_resource(resourceArn=arn)["tags"].get("env") == "prod"
        assert "team" not in eks.list_tags_for_resource(resourceArn=arn)["tags"]
    assert eks.describe_addon(clusterName="prod", addonName="vpc-cni")["addon"]["tags"] == {"a": "1", "env": "prod"}
    with pytest.raises(ClientError) as error:
        eks.list_tags_for_resource(resourceArn=addon_arn.replace("vpc-cni", "coredns"))
    assert error_code(error) == "NotFoundException"


def test_deleting_the_cluster_drops_its_addons(eks):
    eks.create_addon(clusterName="prod", addonName="vpc-cni")
    eks.delete_cluster(name="prod")
    with pytest.raises(ClientError) as error:
        eks.list_addons(clusterName="prod")
    assert error_code(error) == "ResourceNotFoundException"
    eks.create_cluster(name="prod", version="1.31", roleArn="arn:aws:iam::123456789012:role/cluster",
                       resourcesVpcConfig={})
    assert eks.list_addons(clusterName="prod")["addons"] == []


def test_addon_latency_states_and_refusals(aws, eks):
    aws.configure(latency_seconds={"eks:addon": 0.6})
    eks.create_addon(clusterName="prod", addonName="vpc-cni")
    assert addon_status(eks, "vpc-cni") == "CREATING"
    for call in (lambda: eks.update_addon(clusterName="prod", addonName="vpc-cni", resolveConflicts="OVERWRITE"),
                 lambda: eks.delete_addon(clusterName="prod", addonName="vpc-cni")):
        with pytest.raises(ClientError) as error:
            call()
        assert error_code(error) == "ResourceInUseException"
    time.sleep(0.7)
    assert addon_status(eks, "vpc-cni") == "ACTIVE"

    update_id = eks.update_addon(clusterName="prod", addonName="vpc-cni", addonVersion="v1.19.5-eksbuild.1")["update"]["id"]
    assert addon_status(eks, "vpc-cni") == "UPDATING"
    assert eks.describe_update(name="prod", updateId=update_id, addonName="vpc-cni")["update"]["status"] == "InProgress"
    time.sleep(0.7)
    assert addon_status(eks, "vpc-cni") == "ACTIVE"
    assert eks.describe_update(name="prod", updateId=update_id, addonName="vpc-cni")["update"]["status"] == "Successful"

    eks.delete_addon(clusterName="prod", addonName="vpc-cni")
    assert addon_status(eks, "vpc-cni") == "DELETING"
    assert eks.list_addons(clusterName="prod")["addons"] == ["vpc-cni"]
    time.sleep(0.7)
    assert eks.list_addons(clusterName="prod")["addons"] == []


def test_cluster_endpoint_setting(aws, eks):
    moto_endpoint = eks.describe_cluster(name="prod")["cluster"]["endpoint"]
    assert moto_endpoint.endswith(".eks.amazonaws.com/")
    data = base64.b64encode(PEM).decode()
    aws.configure(eks_cluster_endpoint={"url": "https://127.0.0.1:6443", "certificate_authority_data": data})
    cluster = eks.describe_cluster(name="prod")["cluster"]
    assert cluster["endpoint"] == "https://127.0.0.1:6443"
    assert cluster["certificateAuthority"]["data"] == data
    aws.configure(eks_cluster_endpoint=None)
    assert eks.describe_cluster(name="prod")["cluster"]["endpoint"] == moto_endpoint


@pytest.mark.parametrize("bad", [
    {"url": "https://example.com:6443", "certificate_authority_data": base64.b64encode(PEM).decode()},
    {"url": "http://127.0.0.1:6443", "certificate_authority_data": base64.b64encode(PEM).decode()},
    {"url": "https://127.0.0.1:6443", "certificate_authority_data": "not base64!"},
    {"url": "https://127.0.0.1:6443"},
    "https://127.0.0.1:6443",
])
def test_cluster_endpoint_setting_is_checked(aws, bad):
    request = urllib.request.Request(aws.url + "/_local_aws/config", method="POST",
                                     data=json.dumps({"eks_cluster_endpoint": bad}).encode())
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400


def test_calls_are_logged_by_name(aws, eks):
    since = aws.requests()["summary"]["last_seq"]
    eks.create_addon(clusterName="prod", addonName="vpc-cni")
    eks.describe_addon_versions(addonName="vpc-cni")
    assert logged(aws, since) == ["eks:CreateAddon", "eks:DescribeAddonVersions"]


def test_moto_clusters_and_nodegroups_still_work(eks):
    assert eks.list_clusters()["clusters"] == ["prod"]
    assert eks.describe_cluster(name="prod")["cluster"]["version"] == "1.31"
    eks.create_nodegroup(clusterName="prod", nodegroupName="ng", subnets=["subnet-1"],
                         nodeRole="arn:aws:iam::123456789012:role/node")
    assert eks.list_nodegroups(clusterName="prod")["nodegroups"] == ["ng"]
