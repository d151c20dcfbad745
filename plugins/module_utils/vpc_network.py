# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A VPC with its subnets, internet gateway, NAT gateway, route tables and security groups: the reads and writes
of the vpc_network module.

A run reads each kind of resource once (the VPC by its Name tag and CIDR, then everything else of the VPC with
one describe per kind filtered by the VPC id), compares locally and writes only what differs. The stock EC2
modules read each resource on its own and its tags again with DescribeTags, about five reads a resource.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items

PROTOCOL_NAMES = {"-1": "-1", "all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


# Reads: one call per kind.

def read_zones(client):
    """Names of the available availability zones of the region, sorted."""
    zones = client.describe_availability_zones(
        aws_retry=True,
        Filters=[dict(Name="state", Values=["available"]), dict(Name="zone-type", Values=["availability-zone"])],
    )["AvailabilityZones"]
    return sorted(zone["ZoneName"] for zone in zones)


def find_vpcs(client, name, cidr_block):
    """The VPCs tagged Name=``name`` with ``cidr_block``, as the role has always found its VPC."""
    return all_items(client.describe_vpcs, "Vpcs", Filters=[
        dict(Name="tag:Name", Values=[name]), dict(Name="cidr-block-association.cidr-block", Values=[cidr_block]),
    ])


def read_dns(client, vpc_id):
    """{"enable_dns_support": bool, "enable_dns_hostnames": bool}: DescribeVpcAttribute takes one attribute a call."""
    dns = {}
    for attribute, key, option in (("enableDnsSupport", "EnableDnsSupport", "enable_dns_support"),
                                   ("enableDnsHostnames", "EnableDnsHostnames", "enable_dns_hostnames")):
        dns[option] = client.describe_vpc_attribute(aws_retry=True, VpcId=vpc_id, Attribute=attribute)[key]["Value"]
    return dns


def read_network(client, vpc_id, public, nat):
    """Everything of the VPC the module manages, one describe per kind (the gateways only when asked for)."""
    in_vpc = [dict(Name="vpc-id", Values=[vpc_id])]
    found = dict(
        subnets=all_items(client.describe_subnets, "Subnets", Filters=in_vpc),
        route_tables=all_items(client.describe_route_tables, "RouteTables", Filters=in_vpc),
        security_groups=all_items(client.describe_security_groups, "SecurityGroups", Filters=in_vpc),
        internet_gateways=[],
        nat_gateways=[],
    )
    if public:
        found["internet_gateways"] = all_items(client.describe_internet_gateways, "InternetGateways",
                                               Filters=[dict(Name="attachment.vpc-id", Values=[vpc_id])])
    if nat:
        found["nat_gateways"] = all_items(client.describe_nat_gateways, "NatGateways", Filter=in_vpc + [
            dict(Name="state", Values=["pending", "available"])])
    return found


def tags_of(resource):
    return boto3_tag_list_to_ansible_dict(resource.get("Tags") or [])


def tag_list(tags):
    """Tags as EC2 takes them, sorted by key so that requests are the same from run to run."""
    return ansible_dict_to_boto3_tag_list(dict(sorted(tags.items())))


def tag_specifications(resource_type, tags):
    return [dict(ResourceType=resource_type, Tags=tag_list(tags))]


def by_name_tag(resources, name):
    return [r for r in resources if tags_of(r).get("Name") == name]


# Security group rules.

def _ports(rule):
    """The (from, to) port ranges of a rule in the format of amazon.aws.ec2_security_group's C(rules)."""
    if rule.get("ports") is not None:
        ranges = []
        for port in rule["ports"]:
            low, _sep, high = str(port).partition("-")
            ranges.append((int(low), int(high or low)))
        return ranges
    return [(rule.get("from_port"), rule.get("to_port"))]


def protocol(value):
    value = str(value if value is not None else "tcp").lower()
    return PROTOCOL_NAMES.get(value, value)


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def desired_permissions(rules, group_ids):
    """{(protocol, from, to, kind, target): description} of the rules; ``group_ids`` maps group names to ids."""
    wanted = {}
    for rule in rules:
        proto = protocol(rule.get("proto"))
        description = rule.get("rule_desc")
        for low, high in _ports(rule) if proto != "-1" else [(None, None)]:
            targets = [("cidr", c) for c in _as_list(rule.get("cidr_ip"))]
            targets += [("cidr6", c) for c in _as_list(rule.get("cidr_ipv6"))]
            targets += [("prefix", p) for p in _as_list(rule.get("ip_prefix"))]
            targets += [("group", g) for g in _as_list(rule.get("group_id"))]
            targets += [("group", group_ids.get(g)) for g in _as_list(rule.get("group_name"))]
            for kind, target in targets:
                wanted[(proto, low, high, kind, target)] = description
    return wanted


PAIRS = (("cidr", "IpRanges", "CidrIp"), ("cidr6", "Ipv6Ranges", "CidrIpv6"),
         ("prefix", "PrefixListIds", "PrefixListId"), ("group", "UserIdGroupPairs", "GroupId"))


def current_permissions(ip_permissions):
    """The IpPermissions of a group in the shape of desired_permissions."""
    current = {}
    for permission in ip_permissions or []:
        proto = protocol(permission.get("IpProtocol"))
        low, high = (None, None) if proto == "-1" else (permission.get("FromPort"), permission.get("ToPort"))
        for kind, key, id_key in PAIRS:
            for entry in permission.get(key) or []:
                current[(proto, low, high, kind, entry[id_key])] = entry.get("Description")
    return current


def ip_permissions(permissions, with_description=True):
    """Permissions of the shape of desired_permissions as AWS IpPermissions, grouped by protocol and ports, with
    every list AWS returns (empty ones too)."""
    grouped = {}
    for (proto, low, high, kind, target), description in sorted(permissions.items(), key=lambda p: str(p[0])):
        permission = grouped.setdefault((proto, low, high), dict(
            IpProtocol=proto, IpRanges=[], Ipv6Ranges=[], PrefixListIds=[], UserIdGroupPairs=[]))
        if low is not None:
            permission.update(FromPort=low, ToPort=high)
        key, id_key = [(k, i) for name, k, i in PAIRS if name == kind][0]
        entry = {id_key: target}
        if description and with_description:
            entry["Description"] = description
        permission.setdefault(key, []).append(entry)
    return list(grouped.values())


# Routes and associations.

def route_target(route):
    for key in ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId"):
        if route.get(key):
            return key, route[key]
    return None, None


def managed_routes(route_table):
    """{destination: (target key, target id)} of the routes made with CreateRoute (not local, not propagated).

    The routes of gateway VPC endpoints (target ``vpce-``) also say CreateRoute, but belong to the endpoint:
    AWS adds and removes them with its route tables (ModifyVpcEndpoint), so they are left alone.
    """
    return dict((r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock") or r.get("DestinationPrefixListId"),
                 route_target(r))
                for r in route_table.get("Routes") or [] if is_managed_route(r))


def is_managed_route(route):
    return route.get("Origin") == "CreateRoute" and not (route.get("GatewayId") or "").startswith("vpce-")


def destination_key(destination):
    return "DestinationIpv6CidrBlock" if ":" in destination else (
        "DestinationPrefixListId" if destination.startswith("pl-") else "DestinationCidrBlock")


def tag_changes(current, desired, purge):
    """(to set, to remove, tags after) or None when the tags are as wanted."""
    to_set, to_remove = compare_aws_tags(current, desired, purge)
    if not to_set and not to_remove:
        return None
    after = dict((k, v) for k, v in current.items() if k not in to_remove)
    after.update(to_set)
    return to_set, to_remove, after
