#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: eks_pod_identity_association
short_description: Manage an EKS Pod Identity association between a service account and an IAM role
version_added: 0.1.0
description:
  - Creates, updates and deletes the Amazon EKS Pod Identity association that gives the pods of one
    Kubernetes service account the credentials of an IAM role. Needs the C(eks-pod-identity-agent)
    add-on on the cluster, and a role whose trust policy allows C(pods.eks.amazonaws.com).
  - The association is found by its namespace and service account with one
    C(ListPodIdentityAssociations) call. It is only described when O(role_arn) or O(tags) is set,
    since the list does not return them. A run that changes nothing makes no write call.
  - Associations that an EKS add-on owns are changed through the add-on instead
    (M(storagekit.aws.eks_addon) O(storagekit.aws.eks_addon#module:pod_identity_associations));
    this module refuses to change or delete them, before any write.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  namespace:
    description:
      - Kubernetes namespace of the service account.
    type: str
    required: true
  service_account:
    description:
      - Name of the Kubernetes service account.
    type: str
    required: true
  role_arn:
    description:
      - ARN of the IAM role the service account's pods get. Required to create the association.
    type: str
  state:
    description:
      - Whether the association should exist.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.eks_cluster
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Give Loki's service account its S3 role
  storagekit.aws.eks_pod_identity_association:
    cluster_name: prod
    namespace: observability
    service_account: loki
    role_arn: arn:aws:iam::123456789012:role/prod-loki
    tags:
      team: observability

- name: Remove the association
  storagekit.aws.eks_pod_identity_association:
    cluster_name: prod
    namespace: observability
    service_account: loki
    state: absent
"""

RETURN = r"""
association:
  description:
    - The association after the run in snake_case (predicted in check mode); empty when there is none.
    - O(role_arn) and O(tags) are only returned when they were set or the association was written, since
      only then is it described.
  returned: always
  type: dict
  contains:
    cluster_name:
      description: Name of the cluster.
      type: str
      sample: prod
    namespace:
      description: Kubernetes namespace.
      type: str
      sample: observability
    service_account:
      description: Kubernetes service account.
      type: str
      sample: loki
    role_arn:
      description: IAM role of the association.
      type: str
      sample: arn:aws:iam::123456789012:role/prod-loki
    association_id:
      description: Id of the association.
      type: str
      sample: a-abcdefghijklmnop1
    association_arn:
      description: ARN of the association.
      type: str
      sample: arn:aws:eks:us-east-1:123456789012:podidentityassociation/prod/a-abcdefghijklmnop1
    owner_arn:
      description: ARN of the add-on that owns the association, when an add-on does.
      type: str
    tags:
      description: Tags of the association.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.eks import describe_association
from ansible_collections.storagekit.aws.plugins.module_utils.eks import is_role_arn
from ansible_collections.storagekit.aws.plugins.module_utils.eks import list_associations
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    cluster_name=dict(type="str", required=True),
    namespace=dict(type="str", required=True),
    service_account=dict(type="str", required=True),
    role_arn=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS,
)


def validate_options(module):
    """Refuse bad options before any API call."""
    role = module.params["role_arn"]
    if role is not None and not is_role_arn(role):
        module.fail_json(msg="role_arn {0!r} is not an IAM role ARN.".format(role))


def find_association(client, params):
    """The summary of the association of the namespace and service account, or None."""
    summaries = list_associations(client, params["cluster_name"], params["namespace"], params["service_account"])
    for summary in summaries:
        if summary.get("namespace") == params["namespace"] and summary.get("serviceAccount") == params["service_account"]:
            return summary
    return None


def snake_association(raw):
    return camel_dict_to_snake_dict(raw, ignore_list=["tags"]) if raw else {}


def refuse_if_owned(module, summary, what):
    if summary.get("ownerArn"):
        module.fail_json(
            msg="The Pod Identity association of {0}/{1} is owned by {2}; {3} it through that add-on's "
            "pod_identity_associations.".format(module.params["namespace"], module.params["service_account"], summary["ownerArn"], what)
        )


def create_association(module, client, changes):
    params = module.params
    if params["role_arn"] is None:
        module.fail_json(
            msg="role_arn is required to create the Pod Identity association of {0}/{1}.".format(
                params["namespace"], params["service_account"]
            )
        )
    request = dict(
        clusterName=params["cluster_name"],
        namespace=params["namespace"],
        serviceAccount=params["service_account"],
        roleArn=params["role_arn"],
    )
    if params["tags"]:
        request["tags"] = params["tags"]
    predicted = dict(request, tags=params["tags"] or {})
    after = dict(namespace=params["namespace"], service_account=params["service_account"], role_arn=params["role_arn"])
    created = changes.apply(
        "association", None, after, lambda: client.create_pod_identity_association(aws_retry=True, **request)["association"]
    )
    return created or predicted


def update_association(module, client, changes, summary):
    """Change the role and the tags of an existing association; describe it only when they are managed."""
    params = module.params
    if params["role_arn"] is None and params["tags"] is None:
        return summary
    raw = describe_association(client, params["cluster_name"], summary["associationId"])
    if raw is None:
        return create_association(module, client, changes)
    role_changes = params["role_arn"] is not None and params["role_arn"] != raw.get("roleArn")
    tag_changes = params["tags"] is not None and any(compare_aws_tags(raw.get("tags") or {}, params["tags"], params["purge_tags"]))
    if role_changes or tag_changes:
        refuse_if_owned(module, raw, "change")
    if role_changes:
        request = dict(clusterName=params["cluster_name"], associationId=raw["associationId"], roleArn=params["role_arn"])
        updated = changes.apply(
            "role_arn",
            raw.get("roleArn"),
            params["role_arn"],
            lambda: client.update_pod_identity_association(aws_retry=True, **request)["association"],
        )
        raw = updated or dict(raw, roleArn=params["role_arn"])
    if params["tags"] is not None:
        arn = raw["associationArn"]
        raw["tags"] = apply_tag_changes(
            changes,
            raw.get("tags") or {},
            params["tags"],
            params["purge_tags"],
            lambda keys: client.untag_resource(aws_retry=True, resourceArn=arn, tagKeys=keys),
            lambda tags: client.tag_resource(aws_retry=True, resourceArn=arn, tags=tags),
        )
    return raw


def delete_association(module, client, changes, summary):
    refuse_if_owned(module, summary, "delete")
    before = dict(namespace=summary["namespace"], service_account=summary["serviceAccount"], association_id=summary["associationId"])
    changes.apply(
        "association",
        before,
        None,
        lambda: client.delete_pod_identity_association(
            aws_retry=True, clusterName=module.params["cluster_name"], associationId=summary["associationId"]
        ),
    )


def ensure_absent(module, client):
    changes = ChangeSet(module)
    summary = find_association(client, module.params)
    if summary is not None:
        delete_association(module, client, changes, summary)
    return changes.result(association={})


def ensure_present(module, client):
    changes = ChangeSet(module)
    summary = find_association(client, module.params)
    if summary is None:
        association = create_association(module, client, changes)
    else:
        association = update_association(module, client, changes, summary)
    return changes.result(association=snake_association(association))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "eks")
    params = module.params
    what = "the EKS Pod Identity association of {0}/{1} in cluster {2}".format(
        params["namespace"], params["service_account"], params["cluster_name"]
    )
    run_state(module, what, ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
