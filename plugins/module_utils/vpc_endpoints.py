# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VPC endpoints of one VPC: read once, compared locally, changed with one ModifyVpcEndpoint call each.

An endpoint is found by its VPC, service name and type (AWS allows one interface endpoint with private DNS per
service and VPC); when several match, the one whose ``Name`` tag is ours.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tag_list
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tag_specifications
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network import tags_of

# The services the endpoints may reach: S3 and DynamoDB also have gateway endpoints (free, on route tables).
GATEWAY_SERVICES = frozenset(["s3", "dynamodb"])
INTERFACE_SERVICES = frozenset(["s3", "dynamodb", "secretsmanager", "kms", "sts", "logs", "monitoring", "ssm",
                                "ecr.api", "ecr.dkr", "elasticache", "rds", "elasticfilesystem", "backup", "sns",
                                "sqs", "events", "lambda", "ec2"])

# States of an endpoint that is gone or going: never matched, never waited for as present.
GONE = frozenset(["deleting", "deleted", "rejected", "failed", "expired"])


def service_name(region, service):
    return "com.amazonaws.{0}.{1}".format(region, service)


def endpoint_problems(endpoints):
    """What is wrong with the desired endpoints, before any call."""
    problems = []
    seen = set()
    for endpoint in endpoints:
        service, kind = endpoint["service"], endpoint["type"]
        known = GATEWAY_SERVICES if kind == "Gateway" else INTERFACE_SERVICES
        if service not in known:
            problems.append("{0} is not a service of a {1} endpoint (known: {2})".format(
                service, kind.lower(), ", ".join(sorted(known))))
        if (service, kind) in seen:
            problems.append("{0} {1} endpoint is listed twice".format(service, kind.lower()))
        seen.add((service, kind))
        if kind == "Gateway":
            if not endpoint.get("route_table_ids"):
                problems.append("the {0} gateway endpoint needs route_table_ids".format(service))
            if endpoint.get("subnet_ids") or endpoint.get("security_group_ids"):
                problems.append("the {0} gateway endpoint takes no subnet_ids or security_group_ids".format(service))
        else:
            if not endpoint.get("subnet_ids"):
                problems.append("the {0} interface endpoint needs subnet_ids (private subnets)".format(service))
            if endpoint.get("route_table_ids"):
                problems.append("the {0} interface endpoint takes no route_table_ids".format(service))
        policy = endpoint.get("policy")
        if policy is not None and not isinstance(policy, dict):
            problems.append("the policy of the {0} endpoint must be a JSON object".format(service))
    return problems


def read_endpoints(client, vpc_id, gone=False):
    """Every endpoint of the VPC that is not gone (with ``gone``, also those being deleted), in one call."""
    found = all_items(client.describe_vpc_endpoints, "VpcEndpoints",
                      Filters=[dict(Name="vpc-id", Values=[vpc_id])])
    return [e for e in found if gone or e.get("State", "").lower() not in GONE]


def find_endpoint(found, name, kind, tag_name):
    """The endpoint of ``found`` for service ``name`` and type ``kind``; raises ValueError when ambiguous."""
    matches = [e for e in found if e["ServiceName"] == name and e.get("VpcEndpointType", "").lower() == kind.lower()]
    if len(matches) > 1:
        ours = [e for e in matches if tags_of(e).get("Name") == tag_name]
        if len(ours) != 1:
            raise ValueError("{0} {1} endpoints of {2} in the VPC: {3}".format(
                len(matches), kind.lower(), name, ", ".join(e["VpcEndpointId"] for e in matches)))
        matches = ours
    return matches[0] if matches else None


def policy_of(endpoint):
    document = endpoint.get("PolicyDocument")
    return json.loads(document) if document else None


def same_policy(current, desired):
    """Compare policies as AWS means them (order of statements and lists, one-item lists, versions)."""
    if current is None:
        return False
    return not compare_policies(current, desired)


def group_ids(endpoint):
    return sorted(g["GroupId"] for g in endpoint.get("Groups") or [])


def set_change(current, desired, add_key, remove_key):
    """The Add*/Remove* members of ModifyVpcEndpoint that turn ``current`` into ``desired`` (both id lists)."""
    request = {}
    add = sorted(set(desired) - set(current))
    remove = sorted(set(current) - set(desired))
    if add:
        request[add_key] = add
    if remove:
        request[remove_key] = remove
    return request


def modification(endpoint, desired):
    """(ModifyVpcEndpoint members, {facet: (before, after)}) for what differs; ({}, {}) when nothing does."""
    request, facets = {}, {}
    pairs = [("route_table_ids", endpoint.get("RouteTableIds") or [], "AddRouteTableIds", "RemoveRouteTableIds"),
             ("subnet_ids", endpoint.get("SubnetIds") or [], "AddSubnetIds", "RemoveSubnetIds"),
             ("security_group_ids", group_ids(endpoint), "AddSecurityGroupIds", "RemoveSecurityGroupIds")]
    for facet, current, add_key, remove_key in pairs:
        wanted = desired.get(facet)
        if wanted is None:
            continue
        change = set_change(current, wanted, add_key, remove_key)
        if change:
            request.update(change)
            facets[facet] = (sorted(current), sorted(wanted))
    if desired["type"] == "Interface" and desired.get("private_dns_enabled") is not None:
        if bool(endpoint.get("PrivateDnsEnabled")) != desired["private_dns_enabled"]:
            request["PrivateDnsEnabled"] = desired["private_dns_enabled"]
            facets["private_dns_enabled"] = (bool(endpoint.get("PrivateDnsEnabled")), desired["private_dns_enabled"])
    if desired.get("policy") is not None:
        current = policy_of(endpoint)
        if not same_policy(current, desired["policy"]):
            request["PolicyDocument"] = json.dumps(desired["policy"], sort_keys=True)
            facets["policy"] = (current, desired["policy"])
    return request, facets


def create_request(vpc_id, name, desired, tags):
    """The CreateVpcEndpoint request of a desired endpoint."""
    request = dict(VpcId=vpc_id, ServiceName=name, VpcEndpointType=desired["type"],
                   TagSpecifications=tag_specifications("vpc-endpoint", tags))
    if desired["type"] == "Gateway":
        request["RouteTableIds"] = sorted(desired["route_table_ids"])
    else:
        request["SubnetIds"] = sorted(desired["subnet_ids"])
        if desired.get("security_group_ids"):
            request["SecurityGroupIds"] = sorted(desired["security_group_ids"])
        if desired.get("private_dns_enabled") is not None:
            request["PrivateDnsEnabled"] = desired["private_dns_enabled"]
    if desired.get("policy") is not None:
        request["PolicyDocument"] = json.dumps(desired["policy"], sort_keys=True)
    return request


def summary(endpoint, service, changed):
    """An endpoint as the module returns it."""
    return dict(
        service=service,
        vpc_endpoint_id=endpoint.get("VpcEndpointId", ""),
        vpc_endpoint_type=endpoint.get("VpcEndpointType"),
        service_name=endpoint.get("ServiceName"),
        state=endpoint.get("State"),
        route_table_ids=sorted(endpoint.get("RouteTableIds") or []),
        subnet_ids=sorted(endpoint.get("SubnetIds") or []),
        security_group_ids=group_ids(endpoint),
        private_dns_enabled=bool(endpoint.get("PrivateDnsEnabled")),
        policy=policy_of(endpoint),
        tags=tags_of(endpoint),
        changed=changed,
    )


def predicted(endpoint, desired, request, tags):
    """What ``endpoint`` (None: a new one) becomes with ``request`` applied, for results and check mode."""
    after = dict(endpoint or {}, VpcEndpointType=desired["type"], Tags=tag_list(tags))
    for facet, key in (("route_table_ids", "RouteTableIds"), ("subnet_ids", "SubnetIds")):
        if desired.get(facet) is not None:
            after[key] = sorted(desired[facet])
    if desired.get("security_group_ids") is not None:
        after["Groups"] = [dict(GroupId=g) for g in sorted(desired["security_group_ids"])]
    if "PrivateDnsEnabled" in request:
        after["PrivateDnsEnabled"] = request["PrivateDnsEnabled"]
    if "PolicyDocument" in request:
        after["PolicyDocument"] = request["PolicyDocument"]
    return after
