#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpc_endpoints
short_description: The gateway and interface VPC endpoints of a VPC, with their policies, in one task
version_added: 0.1.0
description:
  - Creates or updates VPC endpoints of AWS services in a VPC, gateway endpoints (S3, DynamoDB) on route tables and
    interface endpoints in subnets with security groups and private DNS, each with an endpoint policy.
  - Reads the endpoints of the VPC with one C(DescribeVpcEndpoints) call, compares locally (policies
    semantically, route tables, subnets and groups as sets) and changes an endpoint with one C(ModifyVpcEndpoint)
    call; a run that changes nothing makes that one read. An endpoint policy changed out of band is put back.
  - An endpoint is found by service and type in the VPC; C(Name) tag C(<name>-<service>).
  - O(state=absent) deletes the listed endpoints, or with no O(endpoints) every endpoint of the VPC whose C(Name)
    tag starts with C(<name>-), and waits until they are gone (their network interfaces hold the subnets and
    security groups until then).
  - M(amazon.aws.ec2_vpc_endpoint) never compares or updates the policy, route tables, subnets or groups of an
    endpoint it finds, has no private DNS option, and takes one task per endpoint.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  vpc_id:
    description: The VPC.
    type: str
    required: true
  name:
    description: Prefix of the C(Name) tags, C(<name>-<service>).
    type: str
    required: true
  endpoints:
    description: The endpoints. Endpoints of the VPC not listed are left alone (O(state=present)).
    type: list
    elements: dict
    default: []
    suboptions:
      service:
        description:
          - Short name of the AWS service, C(com.amazonaws.<region>.<service>) without the prefix, for example
            V(s3), V(dynamodb), V(secretsmanager), V(kms), V(sts), V(logs), V(monitoring). Gateway endpoints
            exist for V(s3) and V(dynamodb) only; other names are refused before any call.
        type: str
        required: true
      type:
        description: Gateway (route tables) or interface (network interfaces in subnets) endpoint.
        type: str
        choices: [Gateway, Interface]
        required: true
      route_table_ids:
        description: Route tables of a gateway endpoint (required for one); others are removed.
        type: list
        elements: str
      subnet_ids:
        description: Subnets of an interface endpoint, one per zone (required for one); others are removed.
        type: list
        elements: str
      security_group_ids:
        description: Security groups of an interface endpoint's network interfaces; others are removed.
        type: list
        elements: str
      private_dns_enabled:
        description: Whether the service's default DNS name resolves to the interface endpoint in the VPC.
        type: bool
        default: true
      policy:
        description:
          - The endpoint policy (a JSON object), compared semantically. Unset leaves the policy as it is (AWS gives
            a new endpoint full access).
        type: json
  state:
    description: Create or update (V(present)) or delete (V(absent)) the endpoints.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - O(wait) waits for new interface endpoints to be C(available) and, with O(state=absent), for deleted ones to
    be gone.
  - O(tags) and O(purge_tags) apply to every endpoint, beside its C(Name) tag.
"""

EXAMPLES = r"""
- name: S3 on the private route tables, Secrets Manager in the private subnets, both for this account only
  storagekit.aws.vpc_endpoints:
    vpc_id: vpc-0123
    name: acme-prod
    endpoints:
      - service: s3
        type: Gateway
        route_table_ids: [rtb-0a, rtb-0b, rtb-0c]
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: "*"
              Action: "s3:*"
              Resource: ["arn:aws:s3:::acme-uploads", "arn:aws:s3:::acme-uploads/*"]
      - service: secretsmanager
        type: Interface
        subnet_ids: [subnet-0a, subnet-0b, subnet-0c]
        security_group_ids: [sg-0endpoints]
        policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: "*"
              Action: "*"
              Resource: "*"
              Condition: {StringEquals: {"aws:PrincipalAccount": "123456789012"}}
  register: endpoints

- name: Remove every endpoint of the network
  storagekit.aws.vpc_endpoints:
    vpc_id: vpc-0123
    name: acme-prod
    state: absent
"""

RETURN = r"""
endpoints:
  description:
    - The endpoints in the order given (with O(state=absent), those deleted), each with C(service),
      C(vpc_endpoint_id) (empty for a creation in check mode), C(vpc_endpoint_type), C(state), C(route_table_ids),
      C(subnet_ids), C(security_group_ids), C(private_dns_enabled), C(policy), C(tags) and C(changed).
  returned: always
  type: list
  elements: dict
ids:
  description: The endpoint id by service (interface endpoints under their service, gateway ones too).
  returned: always
  type: dict
  sample: {"s3": "vpce-0a", "secretsmanager": "vpce-0b"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import vpc_endpoints as vpce
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tag_changes
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tag_list
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tags_of
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

ARGUMENT_SPEC = dict(
    vpc_id=dict(type="str", required=True),
    name=dict(type="str", required=True),
    endpoints=dict(type="list", elements="dict", default=[], options=dict(
        service=dict(type="str", required=True),
        type=dict(type="str", choices=["Gateway", "Interface"], required=True),
        route_table_ids=dict(type="list", elements="str"),
        subnet_ids=dict(type="list", elements="str"),
        security_group_ids=dict(type="list", elements="str"),
        private_dns_enabled=dict(type="bool", default=True),
        policy=dict(type="json"),
    )),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **dict(TAG_OPTIONS, **wait_options())
)


def desired_endpoints(module):
    """The endpoints as asked, policies parsed; refuses bad input before any call."""
    endpoints = []
    for endpoint in module.params["endpoints"]:
        endpoint = dict(endpoint)
        if isinstance(endpoint.get("policy"), str):
            try:
                endpoint["policy"] = module.from_json(endpoint["policy"])
            except ValueError as e:
                module.fail_json(msg="The policy of the {0} endpoint is not JSON: {1}".format(endpoint["service"], e))
        endpoints.append(endpoint)
    problems = vpce.endpoint_problems(endpoints)
    if problems:
        module.fail_json(msg="; ".join(problems))
    return endpoints


def wanted_tags(module, service):
    tags = dict(module.params["tags"] or {})
    tags["Name"] = "{0}-{1}".format(module.params["name"], service)
    return tags


def converge(module, client, changes, found, desired):
    """One endpoint made as desired; its summary."""
    p = module.params
    region = client.meta.region_name
    name = vpce.service_name(region, desired["service"])
    tag_name = "{0}-{1}".format(p["name"], desired["service"])
    tags = wanted_tags(module, desired["service"])
    try:
        endpoint = vpce.find_endpoint(found, name, desired["type"], tag_name)
    except ValueError as e:
        module.fail_json(msg=str(e))
    facet = "{0} {1}".format(desired["service"], desired["type"].lower())
    if endpoint is None:
        request = vpce.create_request(p["vpc_id"], name, desired, tags)
        created = changes.apply(facet, {}, request,
                                lambda: client.create_vpc_endpoint(aws_retry=True, **request)["VpcEndpoint"])
        return vpce.summary(created or vpce.predicted(dict(ServiceName=name), desired, request, tags),
                            desired["service"], True)
    endpoint_id = endpoint["VpcEndpointId"]
    request, facets = vpce.modification(endpoint, desired)
    if request:
        changes.apply(facet, dict((k, v[0]) for k, v in facets.items()), dict((k, v[1]) for k, v in facets.items()),
                      lambda: client.modify_vpc_endpoint(aws_retry=True, VpcEndpointId=endpoint_id, **request))
    purge = p["purge_tags"] if p["tags"] is not None else False
    tag_change = tag_changes(tags_of(endpoint), tags, purge)
    if tag_change:
        to_set, to_remove, after = tag_change

        def write_tags():
            if to_remove:
                client.delete_tags(aws_retry=True, Resources=[endpoint_id], Tags=[dict(Key=k) for k in to_remove])
            if to_set:
                client.create_tags(aws_retry=True, Resources=[endpoint_id], Tags=tag_list(to_set))

        changes.apply(facet + " tags", tags_of(endpoint), after, write_tags)
    else:
        tags = tags_of(endpoint)
    return vpce.summary(vpce.predicted(endpoint, desired, request, tags), desired["service"],
                        bool(request or tag_change))


def wait_available(module, client, results):
    """Wait for new or changed endpoints that are still pending; their states in ``results`` are updated."""
    ids = [r["vpc_endpoint_id"] for r in results if r["vpc_endpoint_id"] and r["state"] not in (None, "available")]
    if not ids:
        return

    def read():
        return client.describe_vpc_endpoints(aws_retry=True, VpcEndpointIds=ids)["VpcEndpoints"]

    def ready(endpoints):
        failed = [e["VpcEndpointId"] for e in endpoints if e["State"].lower() in vpce.GONE]
        if failed:
            module.fail_json(msg="VPC endpoints {0} failed".format(", ".join(failed)))
        return all(e["State"].lower() == "available" for e in endpoints)

    states = dict((e["VpcEndpointId"], e["State"]) for e in wait_until(
        module, read, ready, module.params["wait_timeout"], "VPC endpoints {0}".format(", ".join(ids))))
    for result in results:
        result["state"] = states.get(result["vpc_endpoint_id"], result["state"])


def ensure_present(module, client):
    desired = desired_endpoints(module)
    found = vpce.read_endpoints(client, module.params["vpc_id"])
    changes = ChangeSet(module)
    results = [converge(module, client, changes, found, endpoint) for endpoint in desired]
    if module.params["wait"] and changes.writes_allowed:
        wait_available(module, client, results)
    return changes.result(endpoints=results, ids=dict((r["service"], r["vpc_endpoint_id"]) for r in results))


def ensure_absent(module, client):
    p = module.params
    desired = desired_endpoints(module)
    found = vpce.read_endpoints(client, p["vpc_id"])
    region = client.meta.region_name
    if desired:
        try:
            doomed = [e for e in (vpce.find_endpoint(found, vpce.service_name(region, d["service"]), d["type"],
                                                     "{0}-{1}".format(p["name"], d["service"])) for d in desired) if e]
        except ValueError as e:
            module.fail_json(msg=str(e))
    else:
        doomed = [e for e in found if tags_of(e).get("Name", "").startswith(p["name"] + "-")]
    changes = ChangeSet(module)
    ids = [e["VpcEndpointId"] for e in doomed]
    results = [vpce.summary(e, e["ServiceName"].rpartition(".{0}.".format(region))[2], True) for e in doomed]
    if ids:
        answer = changes.apply("endpoints", ids, [],
                               lambda: client.delete_vpc_endpoints(aws_retry=True, VpcEndpointIds=ids))
        failed = [u for u in (answer or {}).get("Unsuccessful") or []
                  if u.get("Error", {}).get("Code") != "InvalidVpcEndpoint.NotFound"]
        if failed:
            module.fail_json(msg="Could not delete VPC endpoints: {0}".format(failed))
        if p["wait"] and changes.writes_allowed:
            # Until then their network interfaces hold the subnets and security groups.
            wait_until(module, lambda: [e for e in vpce.read_endpoints(client, p["vpc_id"], gone=True)
                                        if e["VpcEndpointId"] in ids and e["State"].lower() != "deleted"],
                       lambda left: not left, p["wait_timeout"],
                       "VPC endpoints {0} to be deleted".format(", ".join(ids)))
    return changes.result(endpoints=results, ids={})


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    desired_endpoints(module)
    client = aws_client(module, "ec2")
    what = "VPC endpoints of {0}".format(module.params["vpc_id"])
    run_state(module, what, ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
