#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpc_network
short_description: A VPC with private (and public) subnets, gateways, route tables and security groups in one task
version_added: 0.1.0
description:
  - Creates or updates a VPC named O(name) with one private subnet per availability zone and one route table per
    private subnet; optionally one public subnet per zone with an internet gateway and a public route table, and a
    NAT gateway in the first public subnet that every private route table sends its default route to; and security
    groups C(<name>-<group>) with their ingress rules.
  - Reads each kind of resource once, the VPC by its C(Name) tag and CIDR and everything else with one describe
    call per kind filtered by the VPC id, compares locally and writes only what differs. A run that changes
    nothing reads the zones (unless O(availability_zones) is given), the VPC, its two DNS attributes, the subnets,
    route tables and security groups, and the internet and NAT gateways when they are managed. The stock
    amazon.aws modules read each resource on its own and its tags again, about five calls a resource.
  - Every resource gets O(tags) and a C(Name) tag; subnets are C(<name>-private-<zone>) and C(<name>-public-<zone>)
    and tagged C(network-tier) with C(private) or C(public); security groups are tagged C(network-tier) with their
    short name; route tables are C(<name>-public) and C(<name>-private-<zone>); the gateways are C(<name>).
  - Routes, subnet associations and ingress rules are owned by the module, anything else added to them is removed.
    Egress rules, routes propagated by a virtual private gateway and the local route are left alone.
  - Nothing is deleted; the C(storagekit.aws.network) role removes a network with the stock amazon.aws modules.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the network, the C(Name) tag of the VPC and the prefix of every other resource's name.
    type: str
    required: true
  cidr_block:
    description: IPv4 CIDR block of the VPC. With the C(Name) tag it finds the VPC.
    type: str
    required: true
  enable_dns_support:
    description: Whether the VPC resolves DNS names.
    type: bool
    default: true
  enable_dns_hostnames:
    description: Whether instances in the VPC get DNS host names.
    type: bool
    default: true
  availability_zones:
    description:
      - The zones of the subnets, in order. When empty, the first O(az_count) available zones of the region by name.
    type: list
    elements: str
    default: []
  az_count:
    description: Number of zones, and of subnets of each tier.
    type: int
    default: 3
  private_subnet_cidrs:
    description: CIDR blocks of the private subnets, one per zone in zone order (extra entries are ignored).
    type: list
    elements: str
    required: true
  public_subnet_cidrs:
    description:
      - CIDR blocks of the public subnets, one per zone. When empty there are no public subnets, internet gateway
        or public route table (existing ones are left alone).
    type: list
    elements: str
    default: []
  nat_gateway:
    description:
      - A NAT gateway with a new Elastic IP address in the first public subnet, the default route of every private
        route table. Needs O(public_subnet_cidrs).
      - With V(false) the private route tables lose their default route; an existing gateway is left alone.
    type: bool
    default: false
  security_groups:
    description: Security groups of the VPC; a rule may name another group of the VPC by its full name.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Short name; the group is C(<name>-<short name>).
        type: str
        required: true
      description:
        description: Description of the group (AWS cannot change it later).
        type: str
        required: true
      rules:
        description:
          - Ingress rules in the format of the O(amazon.aws.ec2_security_group#module:rules) option, with the keys
            C(proto) (default C(tcp)), C(ports) or C(from_port) and C(to_port), C(cidr_ip), C(cidr_ipv6),
            C(ip_prefix), C(group_id), C(group_name) and C(rule_desc). Rules not listed are removed.
        type: list
        elements: dict
        default: []
  state:
    description: Only V(present); see the description for removing a network.
    type: str
    choices: [present]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.wait
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - O(wait) waits for a new VPC, new subnets and the NAT gateway to be available.
  - In check mode a VPC that does not exist yet is predicted with every resource as a creation, without ids.
"""

EXAMPLES = r"""
- name: Private network in three zones with an application group and a database group
  storagekit.aws.vpc_network:
    name: acme-prod
    cidr_block: 10.20.0.0/16
    private_subnet_cidrs: [10.20.0.0/20, 10.20.16.0/20, 10.20.32.0/20]
    security_groups:
      - name: app
        description: Application tier of acme-prod
      - name: postgres
        description: postgres tier of acme-prod, reachable from the application tier only
        rules:
          - proto: tcp
            ports: [5432]
            group_name: acme-prod-app
            rule_desc: postgres from the application tier
    tags:
      environment: prod
  register: network
"""

RETURN = r"""
vpc:
  description: The VPC after the run (predicted in check mode), with C(id), the DNS settings and C(changed).
  returned: always
  type: dict
  sample: {"id": "vpc-0123", "vpc_id": "vpc-0123", "cidr_block": "10.20.0.0/16", "enable_dns_support": true,
           "enable_dns_hostnames": true, "tags": {"Name": "acme-prod"}, "changed": false}
availability_zones:
  description: The zones of the subnets, in order.
  returned: always
  type: list
  elements: str
private_subnets:
  description: The private subnets in zone order, each with C(id) and C(changed).
  returned: always
  type: list
  elements: dict
public_subnets:
  description: The public subnets in zone order; empty without O(public_subnet_cidrs).
  returned: always
  type: list
  elements: dict
internet_gateway:
  description: The internet gateway with C(gateway_id) and C(changed); empty without public subnets.
  returned: always
  type: dict
nat_gateway:
  description: The NAT gateway with C(nat_gateway_id), C(subnet_id) and C(changed); empty without O(nat_gateway).
  returned: always
  type: dict
public_route_table:
  description: The public route table with C(id), C(routes), C(associations) and C(changed); empty without public subnets.
  returned: always
  type: dict
private_route_tables:
  description: The private route tables in zone order, each with C(id), C(routes), C(associations) and C(changed).
  returned: always
  type: list
  elements: dict
security_groups:
  description: The security groups in the order given, each with C(group_id), C(ip_permissions) and C(changed).
  returned: always
  type: list
  elements: dict
"""

import ipaddress

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import vpc_network as net
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import wait_options
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.vpc_network_apply import NetworkConverger

RULE_KEYS = {"proto", "ports", "from_port", "to_port", "cidr_ip", "cidr_ipv6", "ip_prefix", "group_id", "group_name",
             "rule_desc"}

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    cidr_block=dict(type="str", required=True),
    enable_dns_support=dict(type="bool", default=True),
    enable_dns_hostnames=dict(type="bool", default=True),
    availability_zones=dict(type="list", elements="str", default=[]),
    az_count=dict(type="int", default=3),
    private_subnet_cidrs=dict(type="list", elements="str", required=True),
    public_subnet_cidrs=dict(type="list", elements="str", default=[]),
    nat_gateway=dict(type="bool", default=False),
    security_groups=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        description=dict(type="str", required=True),
        rules=dict(type="list", elements="dict", default=[]),
    )),
    state=dict(type="str", choices=["present"], default="present"),
    **dict(TAG_OPTIONS, **wait_options())
)


def network(value, what):
    try:
        return ipaddress.ip_network(to_text(value))
    except ValueError as e:
        raise ValueError("{0} {1} is not a CIDR block: {2}".format(what, value, e))


def validate_options(module):
    """Refuse bad input before any API call."""
    p = module.params
    count = p["az_count"]
    problems = []
    if count < 1:
        problems.append("az_count must be 1 or more")
    if p["availability_zones"] and len(p["availability_zones"]) < count:
        problems.append("availability_zones needs at least az_count ({0}) zones".format(count))
    if len(p["private_subnet_cidrs"]) < count:
        problems.append("private_subnet_cidrs needs at least az_count ({0}) blocks".format(count))
    if p["public_subnet_cidrs"] and len(p["public_subnet_cidrs"]) < count:
        problems.append("public_subnet_cidrs needs at least az_count ({0}) blocks".format(count))
    if p["nat_gateway"] and not p["public_subnet_cidrs"]:
        problems.append("nat_gateway needs public subnets (public_subnet_cidrs)")
    try:
        vpc = network(p["cidr_block"], "cidr_block")
        blocks = [network(c, "subnet") for c in p["private_subnet_cidrs"][:count] + p["public_subnet_cidrs"][:count]]
        problems.extend("subnet {0} is not inside {1}".format(b, vpc) for b in blocks if not b.subnet_of(vpc))
        problems.extend("subnets {0} and {1} overlap".format(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:]
                        if a.overlaps(b))
    except (ValueError, TypeError) as e:
        problems.append(str(e))
    names = [g["name"] for g in p["security_groups"]]
    if len(set(names)) != len(names):
        problems.append("security group names must be unique")
    for group in p["security_groups"]:
        for rule in group["rules"]:
            unknown = set(rule) - RULE_KEYS
            if unknown:
                problems.append("rule of {0}: unsupported keys {1}".format(group["name"], ", ".join(sorted(unknown))))
            if net.protocol(rule.get("proto")) != "-1" and rule.get("ports") is None and rule.get("from_port") is None:
                problems.append("rule of {0}: give ports or from_port and to_port".format(group["name"]))
    if problems:
        module.fail_json(msg="; ".join(problems))


def check_found(module, zones, found):
    """Refuse, before any write, what cannot be changed in place: a subnet's zone."""
    p = module.params
    tiers = [(zones, p["private_subnet_cidrs"]), (zones, p["public_subnet_cidrs"])]
    for tier_zones, cidrs in tiers:
        for zone, cidr in zip(tier_zones, cidrs):
            subnet = next((s for s in found["subnets"] if s["CidrBlock"] == cidr), None)
            if subnet is not None and subnet["AvailabilityZone"] != zone:
                module.fail_json(msg="Subnet {0} ({1}) is in {2}, not {3}; a subnet cannot move to another zone".format(
                    subnet["SubnetId"], cidr, subnet["AvailabilityZone"], zone))


def ensure_present(module, client):
    p = module.params
    count = p["az_count"]
    zones = (p["availability_zones"] or net.read_zones(client))[:count]
    if len(zones) < count:
        module.fail_json(msg="The region has {0} available zones, fewer than az_count ({1})".format(len(zones), count))
    public, nat = bool(p["public_subnet_cidrs"]), p["nat_gateway"]
    vpcs = net.find_vpcs(client, p["name"], p["cidr_block"])
    if len(vpcs) > 1:
        module.fail_json(msg="{0} VPCs are tagged Name={1} with {2}: {3}".format(
            len(vpcs), p["name"], p["cidr_block"], ", ".join(v["VpcId"] for v in vpcs)))
    vpc = vpcs[0] if vpcs else None
    if vpc is not None:
        dns = net.read_dns(client, vpc["VpcId"])
        found = net.read_network(client, vpc["VpcId"], public, nat)
    else:
        dns = None
        found = dict(subnets=[], route_tables=[], security_groups=[], internet_gateways=[], nat_gateways=[])
    check_found(module, zones, found)

    changes = ChangeSet(module)
    run = NetworkConverger(module, client, changes, found)
    vpc_result = run.vpc(vpc, dns)
    vpc_id = vpc_result["id"]
    private = run.subnets(vpc_id, "private", zones, p["private_subnet_cidrs"])
    public_subnets = run.subnets(vpc_id, "public", zones, p["public_subnet_cidrs"]) if public else []
    groups = run.security_groups(vpc_id)
    gateway, public_table, nat_gateway = {}, {}, {}
    if public:
        gateway = run.internet_gateway(vpc_id)
        public_table = run.route_table(vpc_id, "{0}-public".format(p["name"]),
                                       {"0.0.0.0/0": ("GatewayId", gateway["gateway_id"])},
                                       [s["id"] for s in public_subnets])
    if nat:
        nat_gateway = run.nat_gateway(public_subnets[0]["id"])
    private_routes = {"0.0.0.0/0": ("NatGatewayId", nat_gateway["nat_gateway_id"])} if nat else {}
    private_tables = [run.route_table(vpc_id, "{0}-private-{1}".format(p["name"], zone), private_routes, [subnet["id"]])
                      for zone, subnet in zip(zones, private)]
    return changes.result(
        vpc=vpc_result, availability_zones=zones, private_subnets=private, public_subnets=public_subnets,
        internet_gateway=gateway, nat_gateway=nat_gateway, public_route_table=public_table,
        private_route_tables=private_tables, security_groups=groups,
    )


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "ec2")
    run_state(module, "VPC network {0}".format(module.params["name"]), ensure_present, None, client)


if __name__ == "__main__":
    main()
