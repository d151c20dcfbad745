"""eks_pod_identity_association_info: one filtered list, then one describe per association when asked."""

from ansible_collections.storagekit.aws.plugins.modules import eks_pod_identity_association_info

CLUSTER = "prod"
ROLE = "arn:aws:iam::123456789012:role/prod-loki"


def summary(namespace, service_account, association_id):
    return dict(
        clusterName=CLUSTER,
        namespace=namespace,
        serviceAccount=service_account,
        associationId=association_id,
        associationArn="arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/" + association_id,
    )


def test_lists_and_describes_each_association(stubs, run_module):
    eks = stubs["eks"]
    eks.add_response(
        "list_pod_identity_associations",
        dict(associations=[summary("observability", "tempo", "a-2"), summary("observability", "loki", "a-1")]),
        dict(clusterName=CLUSTER, namespace="observability"),
    )
    for association_id, account in (("a-1", "loki"), ("a-2", "tempo")):
        eks.add_response(
            "describe_pod_identity_association",
            dict(association=dict(summary("observability", account, association_id), roleArn=ROLE, tags=dict(Team="obs"))),
            dict(clusterName=CLUSTER, associationId=association_id),
        )
    result = run_module(eks_pod_identity_association_info, dict(cluster_name=CLUSTER, namespace="observability"))
    assert result["changed"] is False
    assert [a["service_account"] for a in result["associations"]] == ["loki", "tempo"]
    assert result["associations"][0]["role_arn"] == ROLE
    assert result["associations"][0]["tags"] == dict(Team="obs")


def test_without_describe_only_the_list_is_read(stubs, run_module):
    stubs["eks"].add_response(
        "list_pod_identity_associations",
        dict(associations=[summary("kube-system", "ebs-csi-controller-sa", "a-3")]),
        dict(clusterName=CLUSTER, serviceAccount="ebs-csi-controller-sa"),
    )
    args = dict(cluster_name=CLUSTER, service_account="ebs-csi-controller-sa", describe=False)
    result = run_module(eks_pod_identity_association_info, args)
    assert result["associations"] == [
        dict(
            cluster_name=CLUSTER,
            namespace="kube-system",
            service_account="ebs-csi-controller-sa",
            association_id="a-3",
            association_arn="arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/a-3",
        )
    ]
