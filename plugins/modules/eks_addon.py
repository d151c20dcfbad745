#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: eks_addon
short_description: Manage an Amazon EKS add-on with its version, configuration and IAM roles
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon EKS add-on (for example C(aws-ebs-csi-driver),
    C(aws-efs-csi-driver), C(eks-pod-identity-agent)) of an existing cluster.
  - Manages its version (an exact one, the newest one or the default one for the cluster's
    Kubernetes version), its configuration values, the IAM role of its service account (IRSA),
    its EKS Pod Identity associations and its tags.
  - Only the options you set are compared and changed. A run that changes nothing reads the add-on
    once with C(DescribeAddon) and writes nothing. The cluster and the add-on versions are only read
    when O(addon_version) is V(latest) or V(default); the Pod Identity associations of the add-on are
    only read (one C(DescribePodIdentityAssociation) each) when O(pod_identity_associations) is set.
  - All changed settings are sent in one C(UpdateAddon) call; tags are changed with C(TagResource)
    and C(UntagResource).
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description:
      - Name of the add-on, as listed by C(aws eks describe-addon-versions).
    type: str
    required: true
  state:
    description:
      - Whether the add-on should exist.
  addon_version:
    description:
      - Version of the add-on, for example V(v1.42.0-eksbuild.1).
      - V(latest) is the newest version that supports the cluster's Kubernetes version;
        V(default) is the version EKS marks as default for it.
      - When unset, EKS picks its default version at creation and the version is not managed afterwards.
    type: str
  configuration_values:
    description:
      - Configuration values of the add-on, validated by EKS against the schema of
        C(aws eks describe-addon-configuration).
      - A dict, or a string holding a JSON or YAML document. Compared as data, so key order and
        formatting never cause a change.
      - V({}) removes all configuration values.
    type: raw
  service_account_role_arn:
    description:
      - ARN of the IAM role the add-on's service account assumes through IAM roles for service
        accounts (IRSA). Needs an IAM OIDC provider for the cluster.
      - EKS cannot remove this role from an add-on; with Pod Identity, prefer
        O(pod_identity_associations).
    type: str
  pod_identity_associations:
    description:
      - The EKS Pod Identity associations owned by the add-on, each mapping one of its service
        accounts to an IAM role. Needs the C(eks-pod-identity-agent) add-on on the cluster.
      - The list replaces the add-on's associations; V([]) removes them all.
    type: list
    elements: dict
    suboptions:
      service_account:
        description: Name of the add-on's Kubernetes service account.
        type: str
        required: true
      role_arn:
        description: ARN of the IAM role the service account gets.
        type: str
        required: true
  resolve_conflicts:
    description:
      - What EKS does when a Kubernetes field it manages has been changed outside EKS, when it
        creates or updates the add-on.
      - V(overwrite) puts the EKS value back; V(preserve) keeps the changed value on update and acts
        like V(none) on creation; V(none) leaves it and lets the operation fail.
    type: str
    choices: [none, overwrite, preserve]
  preserve:
    description:
      - With O(state=absent), leave the add-on's software running in the cluster and only stop
        managing it with EKS.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.eks_cluster
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: EBS CSI driver, newest version for the cluster, with a Pod Identity role
  storagekit.aws.eks_addon:
    cluster_name: prod
    name: aws-ebs-csi-driver
    addon_version: latest
    pod_identity_associations:
      - service_account: ebs-csi-controller-sa
        role_arn: arn:aws:iam::123456789012:role/prod-ebs-csi
    configuration_values:
      controller:
        replicaCount: 2
    resolve_conflicts: overwrite
    tags:
      team: platform

- name: EFS CSI driver at an exact version through IRSA, without waiting
  storagekit.aws.eks_addon:
    cluster_name: prod
    name: aws-efs-csi-driver
    addon_version: v2.1.4-eksbuild.1
    service_account_role_arn: arn:aws:iam::123456789012:role/prod-efs-csi
    wait: false

- name: Stop managing an add-on with EKS but keep it running
  storagekit.aws.eks_addon:
    cluster_name: prod
    name: aws-efs-csi-driver
    state: absent
    preserve: true
"""

RETURN = r"""
addon:
  description:
    - The add-on after the run, as C(DescribeAddon) returns it in snake_case (predicted in check mode);
      empty after deletion.
  returned: always
  type: dict
  contains:
    addon_name:
      description: Name of the add-on.
      type: str
      sample: aws-ebs-csi-driver
    cluster_name:
      description: Name of the cluster.
      type: str
      sample: prod
    addon_arn:
      description: ARN of the add-on.
      type: str
      sample: arn:aws:eks:us-east-1:123456789012:addon/prod/aws-ebs-csi-driver/1ac1b2c3-0000-4000-8000-000000000001
    addon_version:
      description: Version of the add-on.
      type: str
      sample: v1.42.0-eksbuild.1
    status:
      description: Status, for example C(ACTIVE), C(CREATING) or C(UPDATING).
      type: str
      sample: ACTIVE
    health:
      description: Health issues EKS reports for the add-on.
      type: dict
    configuration_values:
      description: The configuration values as stored by EKS.
      type: str
      sample: '{"controller":{"replicaCount":2}}'
    service_account_role_arn:
      description: IAM role of the add-on's service account (IRSA), when it has one.
      type: str
    pod_identity_associations:
      description: ARNs of the EKS Pod Identity associations owned by the add-on.
      type: list
      elements: str
    tags:
      description: Tags of the add-on.
      type: dict
"""

import copy
import json


try:
    import yaml

    HAS_YAML = True
except ImportError:
    HAS_YAML = False

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.eks import association_id_from_arn
from ansible_collections.storagekit.aws.plugins.module_utils.eks import compatible_versions
from ansible_collections.storagekit.aws.plugins.module_utils.eks import describe_addon
from ansible_collections.storagekit.aws.plugins.module_utils.eks import describe_association
from ansible_collections.storagekit.aws.plugins.module_utils.eks import is_role_arn
from ansible_collections.storagekit.aws.plugins.module_utils.eks import pick_version
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ASSOCIATION_SPEC = dict(
    service_account=dict(type="str", required=True),
    role_arn=dict(type="str", required=True),
)
ARGUMENT_SPEC = dict(
    cluster_name=dict(type="str", required=True),
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    addon_version=dict(type="str"),
    configuration_values=dict(type="raw"),
    service_account_role_arn=dict(type="str"),
    pod_identity_associations=dict(type="list", elements="dict", options=ASSOCIATION_SPEC),
    resolve_conflicts=dict(type="str", choices=["none", "overwrite", "preserve"]),
    preserve=dict(type="bool", default=False),
    **TAG_OPTIONS,
    **wait_options(),
)
VERSION_ALIASES = ("latest", "default")
PENDING_STATUSES = ("CREATING", "UPDATING")
SETTINGS = ("addon_version", "configuration_values", "service_account_role_arn", "pod_identity_associations")


# ---------------------------------------------------------------------------------------------
# Validation and the desired state
# ---------------------------------------------------------------------------------------------


def parse_configuration(value):
    """Configuration values as data: a dict stays, a JSON or YAML string is parsed, empty is ``{}``.

    Returns None when a string is neither JSON nor YAML.
    """
    if value is None:
        return {}
    if not isinstance(value, str):
        return value
    if not value.strip():
        return {}
    try:
        return json.loads(value)
    except ValueError:
        pass
    if HAS_YAML:
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            pass
    return None


def configuration_text(value):
    """The configurationValues string EKS takes: a string as given, a dict as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def validation_problems(params):
    """What is wrong with the options, as messages; checked before any API call."""
    problems = []
    role = params["service_account_role_arn"]
    if role is not None and not is_role_arn(role):
        problems.append("service_account_role_arn {0!r} is not an IAM role ARN".format(role))
    configuration = params["configuration_values"]
    if configuration is not None and not isinstance(parse_configuration(configuration), dict):
        problems.append("configuration_values must be a dict or a JSON or YAML document holding a mapping")
    seen = set()
    for association in params["pod_identity_associations"] or []:
        account = association["service_account"]
        if not account:
            problems.append("pod_identity_associations has an empty service_account")
        if account in seen:
            problems.append("service account {0} is listed more than once in pod_identity_associations".format(account))
        seen.add(account)
        if not is_role_arn(association["role_arn"]):
            problems.append("role_arn {0!r} of service account {1} is not an IAM role ARN".format(association["role_arn"], account))
    return problems


def desired_settings(params):
    """The settings the user manages, in the shape ``current_settings`` gives; unset ones are None."""
    configuration = params["configuration_values"]
    associations = params["pod_identity_associations"]
    if associations is not None:
        associations = sorted((dict(a) for a in associations), key=lambda a: a["service_account"])
    return dict(
        addon_version=params["addon_version"],
        configuration_values=None if configuration is None else parse_configuration(configuration),
        service_account_role_arn=params["service_account_role_arn"],
        pod_identity_associations=associations,
    )


def resolve_version(module, client):
    """O(addon_version) with V(latest) or V(default) replaced by the version it names today."""
    wanted = module.params["addon_version"]
    if wanted not in VERSION_ALIASES:
        return wanted
    cluster_name, name = module.params["cluster_name"], module.params["name"]
    kubernetes_version = client.describe_cluster(aws_retry=True, name=cluster_name)["cluster"]["version"]
    version = pick_version(compatible_versions(client, name, kubernetes_version), wanted)
    if version is None:
        module.fail_json(
            msg="EKS has no {0} version of add-on {1} for Kubernetes {2} (cluster {3}).".format(
                wanted, name, kubernetes_version, cluster_name
            )
        )
    return version


# ---------------------------------------------------------------------------------------------
# The add-on as read
# ---------------------------------------------------------------------------------------------


def addon_associations(client, cluster_name, raw):
    """The add-on's Pod Identity associations as ``service_account``/``role_arn`` pairs."""
    associations = []
    for arn in raw.get("podIdentityAssociations") or []:
        association = describe_association(client, cluster_name, association_id_from_arn(arn))
        if association is not None:
            associations.append(dict(service_account=association["serviceAccount"], role_arn=association["roleArn"]))
    return sorted(associations, key=lambda a: a["service_account"])


def current_settings(client, raw, desired):
    """The managed settings of an existing add-on; its associations only when they are managed."""
    configuration = parse_configuration(raw.get("configurationValues"))
    current = dict(
        addon_version=raw.get("addonVersion"),
        configuration_values=raw.get("configurationValues") if configuration is None else configuration,
        service_account_role_arn=raw.get("serviceAccountRoleArn"),
        pod_identity_associations=None,
    )
    if desired["pod_identity_associations"] is not None:
        current["pod_identity_associations"] = addon_associations(client, raw["clusterName"], raw)
    return current


def health_issues(raw):
    issues = ((raw or {}).get("health") or {}).get("issues") or []
    if not issues:
        return "no health issues reported"
    return "; ".join(
        "{0}: {1}{2}".format(
            i.get("code", "unknown"),
            i.get("message", ""),
            " ({0})".format(", ".join(i["resourceIds"])) if i.get("resourceIds") else "",
        )
        for i in issues
    )


def snake_addon(raw):
    return camel_dict_to_snake_dict(raw, ignore_list=["tags"]) if raw else {}


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


def associations_request(associations):
    return [dict(serviceAccount=a["service_account"], roleArn=a["role_arn"]) for a in associations]


def create_request(module, desired):
    params = module.params
    request = dict(clusterName=params["cluster_name"], addonName=params["name"])
    if desired["addon_version"] is not None:
        request["addonVersion"] = desired["addon_version"]
    if params["configuration_values"] is not None:
        request["configurationValues"] = configuration_text(params["configuration_values"])
    if desired["service_account_role_arn"] is not None:
        request["serviceAccountRoleArn"] = desired["service_account_role_arn"]
    if desired["pod_identity_associations"]:
        request["podIdentityAssociations"] = associations_request(desired["pod_identity_associations"])
    if params["resolve_conflicts"] is not None:
        request["resolveConflicts"] = params["resolve_conflicts"].upper()
    if params["tags"]:
        request["tags"] = params["tags"]
    return request


def update_request(module, plan, raw):
    params = module.params
    request = dict(clusterName=params["cluster_name"], addonName=params["name"])
    if "addon_version" in plan:
        request["addonVersion"] = plan["addon_version"][1]
    if "configuration_values" in plan:
        request["configurationValues"] = configuration_text(params["configuration_values"])
    # Without serviceAccountRoleArn, UpdateAddon falls back to the node role: always send the one in use.
    role = plan["service_account_role_arn"][1] if "service_account_role_arn" in plan else raw.get("serviceAccountRoleArn")
    if role:
        request["serviceAccountRoleArn"] = role
    if "pod_identity_associations" in plan:
        request["podIdentityAssociations"] = associations_request(plan["pod_identity_associations"][1])
    if params["resolve_conflicts"] is not None:
        request["resolveConflicts"] = params["resolve_conflicts"].upper()
    return request


def plan_settings(desired, current):
    """``{setting: (before, after)}`` of the managed settings that differ."""
    plan = {}
    for setting in SETTINGS:
        want, have = desired[setting], current[setting]
        if want is not None and want != have:
            plan[setting] = (have, want)
    return plan


def wait_until_active(module, client):
    """Wait out CREATING/UPDATING; fail with the add-on's health issues unless it ends ACTIVE."""
    cluster_name, name = module.params["cluster_name"], module.params["name"]
    raw = wait_until(
        module,
        lambda: describe_addon(client, cluster_name, name),
        lambda raw: raw is None or raw["status"] not in PENDING_STATUSES,
        module.params["wait_timeout"],
        "EKS add-on {0} of cluster {1} to become ACTIVE".format(name, cluster_name),
    )
    if raw is None:
        module.fail_json(msg="EKS add-on {0} of cluster {1} disappeared while waiting for it.".format(name, cluster_name))
    if raw["status"] != "ACTIVE":
        module.fail_json(
            msg="EKS add-on {0} of cluster {1} is {2}: {3}.".format(name, cluster_name, raw["status"], health_issues(raw)),
            addon=snake_addon(raw),
        )
    return raw


def predicted_addon(raw, module, desired):
    """The add-on after writes that returned no add-on (UpdateAddon) or were skipped (check mode)."""
    addon = copy.deepcopy(raw) if raw else dict(addonName=module.params["name"], clusterName=module.params["cluster_name"])
    if desired["addon_version"] is not None:
        addon["addonVersion"] = desired["addon_version"]
    if module.params["configuration_values"] is not None:
        addon["configurationValues"] = configuration_text(module.params["configuration_values"])
    if desired["service_account_role_arn"] is not None:
        addon["serviceAccountRoleArn"] = desired["service_account_role_arn"]
    addon["status"] = "UPDATING" if raw else "CREATING"
    return addon


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


def create_addon(module, client, changes, desired):
    request = create_request(module, desired)
    after = dict(
        (k, v)
        for k, v in dict(desired, cluster_name=module.params["cluster_name"], name=module.params["name"], tags=module.params["tags"]).items()
        if v is not None
    )
    created = changes.apply("addon", None, after, lambda: client.create_addon(aws_retry=True, **request)["addon"])
    return created or dict(predicted_addon(None, module, desired), tags=module.params["tags"] or {})


def update_addon(module, client, changes, raw, desired):
    """One UpdateAddon call for all changed settings, after a pending operation settled. Returns the add-on."""
    current = current_settings(client, raw, desired)
    plan = plan_settings(desired, current)
    for setting in sorted(plan):
        changes.apply(setting, *plan[setting])
    if plan and changes.writes_allowed:
        if raw["status"] in PENDING_STATUSES and module.params["wait"]:
            # EKS refuses an update while another operation runs.
            raw = wait_until_active(module, client)
        client.update_addon(aws_retry=True, **update_request(module, plan, raw))
    if plan:
        raw = predicted_addon(raw, module, desired)
    return raw


def ensure_present(module, client):
    changes = ChangeSet(module)
    params = module.params
    raw = describe_addon(client, params["cluster_name"], params["name"])
    desired = desired_settings(params)
    desired["addon_version"] = resolve_version(module, client)
    if raw is None:
        raw = create_addon(module, client, changes, desired)
    else:
        current_tags = raw.get("tags") or {}
        raw = update_addon(module, client, changes, raw, desired)
        if params["tags"] is not None:
            raw["tags"] = apply_tag_changes(
                changes,
                current_tags,
                params["tags"],
                params["purge_tags"],
                lambda keys: client.untag_resource(aws_retry=True, resourceArn=raw["addonArn"], tagKeys=keys),
                lambda tags: client.tag_resource(aws_retry=True, resourceArn=raw["addonArn"], tags=tags),
            )
    if params["wait"] and changes.writes_allowed and raw["status"] in PENDING_STATUSES:
        raw = wait_until_active(module, client)
    return changes.result(addon=snake_addon(raw))


def ensure_absent(module, client):
    found = describe_addon(client, module.params["cluster_name"], module.params["name"])
    return remove_found(module, "addon", found, delete_addon, client)


def delete_addon(module, changes, raw, client):
    cluster_name, name = module.params["cluster_name"], module.params["name"]
    if raw["status"] != "DELETING":
        request = dict(clusterName=cluster_name, addonName=name)
        if module.params["preserve"]:
            request["preserve"] = True
        before = dict(cluster_name=cluster_name, name=name, addon_version=raw.get("addonVersion"), status=raw["status"])
        changes.apply("addon", before, None, lambda: client.delete_addon(aws_retry=True, **request))
    if module.params["wait"] and changes.writes_allowed:
        wait_until_deleted(module, client)


def wait_until_deleted(module, client):
    cluster_name, name = module.params["cluster_name"], module.params["name"]
    remaining = wait_until(
        module,
        lambda: describe_addon(client, cluster_name, name),
        lambda raw: raw is None or raw["status"] == "DELETE_FAILED",
        module.params["wait_timeout"],
        "EKS add-on {0} of cluster {1} to be deleted".format(name, cluster_name),
    )
    if remaining is not None:
        module.fail_json(
            msg="EKS add-on {0} of cluster {1} is DELETE_FAILED: {2}.".format(name, cluster_name, health_issues(remaining)),
            addon=snake_addon(remaining),
        )


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    fail_on_problems(module, validation_problems(module.params))
    client = aws_client(module, "eks")
    run_state(
        module,
        "EKS add-on {0} of cluster {1}".format(module.params["name"], module.params["cluster_name"]),
        ensure_present,
        ensure_absent,
        client,
    )


if __name__ == "__main__":
    main()
