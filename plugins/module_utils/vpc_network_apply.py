# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing a VPC network to what the vpc_network module asks for, from what vpc_network.read_network found.

Every write goes through the module's ChangeSet (check mode, diff); each resource also records whether it
changed, for the per-resource results the network role returns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.transformation import boto3_resource_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils import vpc_network as net
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

# A new VPC resolves names but gives instances no DNS host names (AWS's defaults).
NEW_VPC_DNS = dict(enable_dns_support=True, enable_dns_hostnames=False)


def snake(resource, changed):
    """The resource as the module returns it: snake_case keys, tags as a dict, ``changed``."""
    result = boto3_resource_to_ansible_dict(resource)
    result["changed"] = changed
    return result


class NetworkConverger:
    """The writes of one run; ``found`` is what read_network returned (empty lists for a new VPC)."""

    def __init__(self, module, client, changes, found):
        self.module = module
        self.client = client
        self.changes = changes
        self.found = found
        self.params = module.params
        self.changed_labels = set()
        self.replaced_associations = set()

    # Helpers.

    def apply(self, label, facet, before, after, write=None):
        self.changed_labels.add(label)
        return self.changes.apply("{0} {1}".format(label, facet).strip(), before, after, write)

    def result(self, label, resource):
        return snake(resource, label in self.changed_labels)

    def tags(self, extra):
        tags = dict(self.params["tags"] or {})
        tags.update(extra)
        return tags

    def converge_tags(self, label, resource, resource_id, desired):
        """Tags of an existing resource; updates ``resource["Tags"]`` to the tags after the run."""
        current = net.tags_of(resource)
        change = net.tag_changes(current, desired, self.params["purge_tags"])
        if change is None:
            return
        to_set, to_remove, after = change

        def write():
            if to_remove:
                self.client.delete_tags(aws_retry=True, Resources=[resource_id], Tags=[dict(Key=k) for k in to_remove])
            if to_set:
                self.client.create_tags(aws_retry=True, Resources=[resource_id],
                                        Tags=net.tag_list(to_set))

        self.apply(label, "tags", current, after, write)
        resource["Tags"] = net.tag_list(after)

    def wait_for(self, what, read, is_ready):
        if self.params["wait"]:
            return wait_until(self.module, read, is_ready, self.params["wait_timeout"], what)
        return None

    # The VPC.

    def vpc(self, vpc, dns):
        name, cidr = self.params["name"], self.params["cidr_block"]
        tags = self.tags(dict(Name=name))
        label = "vpc"
        if vpc is None:
            predicted = dict(VpcId=None, CidrBlock=cidr, State="pending", Tags=net.tag_list(tags))
            created = self.apply(label, "", None, dict(cidr_block=cidr, tags=tags), lambda: self.client.create_vpc(
                aws_retry=True, CidrBlock=cidr, TagSpecifications=net.tag_specifications("vpc", tags))["Vpc"])
            vpc = created or predicted
            if created and vpc.get("State") != "available":
                vpc = self.wait_for("VPC {0}".format(name), lambda: self.client.describe_vpcs(
                    aws_retry=True, VpcIds=[created["VpcId"]])["Vpcs"][0], lambda v: v["State"] == "available") or vpc
            dns = dict(NEW_VPC_DNS)
        else:
            self.converge_tags(label, vpc, vpc["VpcId"], tags)
        for option, attribute in (("enable_dns_support", "EnableDnsSupport"),
                                  ("enable_dns_hostnames", "EnableDnsHostnames")):
            want = self.params[option]
            if dns[option] != want:
                self.apply(label, option, dns[option], want, lambda a=attribute, w=want: self.client.modify_vpc_attribute(
                    aws_retry=True, VpcId=vpc["VpcId"], **{a: dict(Value=w)}))
                dns[option] = want
        result = self.result(label, vpc)
        result.update(dns, id=vpc["VpcId"])
        return result

    # Subnets.

    def subnets(self, vpc_id, tier, zones, cidrs):
        """One subnet per zone, found by its CIDR; returned in zone order."""
        results, pending = [], []
        for zone, cidr in zip(zones, cidrs):
            label = "{0} subnet {1}".format(tier, zone)
            tags = self.tags({"Name": "{0}-{1}-{2}".format(self.params["name"], tier, zone), "network-tier": tier})
            subnet = self.find_subnet(cidr)
            if subnet is None:
                predicted = dict(SubnetId=None, VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone,
                                 MapPublicIpOnLaunch=False, Tags=net.tag_list(tags))
                created = self.apply(label, "", None, dict(cidr_block=cidr, availability_zone=zone, tags=tags),
                                     lambda c=cidr, z=zone, t=tags: self.client.create_subnet(
                                         aws_retry=True, VpcId=vpc_id, CidrBlock=c, AvailabilityZone=z,
                                         TagSpecifications=net.tag_specifications("subnet", t))["Subnet"])
                subnet = created or predicted
                if created and created.get("State") != "available":
                    pending.append(subnet)
            else:
                if subnet.get("MapPublicIpOnLaunch"):
                    self.apply(label, "map_public_ip_on_launch", True, False, lambda s=subnet: self.client.modify_subnet_attribute(
                        aws_retry=True, SubnetId=s["SubnetId"], MapPublicIpOnLaunch=dict(Value=False)))
                    subnet["MapPublicIpOnLaunch"] = False
                self.converge_tags(label, subnet, subnet["SubnetId"], tags)
            results.append((label, subnet))
        if pending:
            ids = [s["SubnetId"] for s in pending]
            self.wait_for("subnets {0}".format(", ".join(ids)), lambda: self.client.describe_subnets(
                aws_retry=True, SubnetIds=ids)["Subnets"], lambda found: all(s["State"] == "available" for s in found))
        return [dict(self.result(label, subnet), id=subnet["SubnetId"]) for label, subnet in results]

    def find_subnet(self, cidr):
        return next((s for s in self.found["subnets"] if s["CidrBlock"] == cidr), None)

    # The internet gateway.

    def internet_gateway(self, vpc_id):
        label = "internet gateway"
        tags = self.tags(dict(Name=self.params["name"]))
        found = self.found["internet_gateways"]
        if found:
            gateway = found[0]
            self.converge_tags(label, gateway, gateway["InternetGatewayId"], tags)
        else:
            def create():
                made = self.client.create_internet_gateway(
                    aws_retry=True, TagSpecifications=net.tag_specifications("internet-gateway", tags))["InternetGateway"]
                self.client.attach_internet_gateway(aws_retry=True, InternetGatewayId=made["InternetGatewayId"], VpcId=vpc_id)
                return made

            gateway = self.apply(label, "", None, dict(vpc_id=vpc_id, tags=tags), create) or dict(
                InternetGatewayId=None, Tags=net.tag_list(tags))
        result = self.result(label, gateway)
        result["gateway_id"] = gateway["InternetGatewayId"]
        return result

    # The NAT gateway.

    def nat_gateway(self, subnet_id):
        label = "nat gateway"
        tags = self.tags(dict(Name=self.params["name"]))
        gateway = next((n for n in self.found["nat_gateways"] if n["SubnetId"] == subnet_id), None)
        if gateway is None:
            def create():
                allocation = self.client.allocate_address(
                    aws_retry=True, Domain="vpc", TagSpecifications=net.tag_specifications("elastic-ip", tags))
                return self.client.create_nat_gateway(
                    aws_retry=True, SubnetId=subnet_id, AllocationId=allocation["AllocationId"],
                    TagSpecifications=net.tag_specifications("natgateway", tags))["NatGateway"]

            gateway = self.apply(label, "", None, dict(subnet_id=subnet_id, tags=tags), create) or dict(
                NatGatewayId=None, SubnetId=subnet_id, State="pending", Tags=net.tag_list(tags))
        else:
            self.converge_tags(label, gateway, gateway["NatGatewayId"], tags)
        if gateway["NatGatewayId"] and gateway["State"] != "available":
            gateway = self.wait_for("NAT gateway {0}".format(gateway["NatGatewayId"]), lambda: self.client.describe_nat_gateways(
                aws_retry=True, NatGatewayIds=[gateway["NatGatewayId"]])["NatGateways"][0],
                lambda n: n["State"] in ("available", "failed")) or gateway
            if gateway["State"] == "failed":
                self.module.fail_json(msg="NAT gateway {0} failed: {1}".format(gateway["NatGatewayId"], gateway.get("FailureMessage")))
        return self.result(label, gateway)

    # Security groups.

    def security_groups(self, vpc_id):
        """The groups first (rules may name each other), then their ingress rules."""
        made = []
        for spec in self.params["security_groups"]:
            group_name = "{0}-{1}".format(self.params["name"], spec["name"])
            label = "security group {0}".format(group_name)
            tags = self.tags({"Name": group_name, "network-tier": spec["name"]})
            group = next((g for g in self.found["security_groups"] if g["GroupName"] == group_name), None)
            if group is None:
                created = self.apply(label, "", None, dict(group_name=group_name, description=spec["description"], tags=tags),
                                     lambda n=group_name, d=spec["description"], t=tags: self.client.create_security_group(
                                         aws_retry=True, GroupName=n, Description=d, VpcId=vpc_id,
                                         TagSpecifications=net.tag_specifications("security-group", t)))
                group = dict(GroupId=(created or {}).get("GroupId"), GroupName=group_name, VpcId=vpc_id,
                             Description=spec["description"], IpPermissions=[], Tags=net.tag_list(tags))
                self.found["security_groups"].append(group)
            else:
                if group.get("Description") != spec["description"]:
                    self.module.warn("The description of {0} cannot change without replacing the group; it stays "
                                     "{1!r}".format(group_name, group.get("Description")))
                self.converge_tags(label, group, group["GroupId"], tags)
            made.append((label, spec, group))
        ids = dict((g["GroupName"], g["GroupId"]) for g in self.found["security_groups"])
        results = []
        for label, spec, group in made:
            self.ingress(label, group, net.desired_permissions(spec["rules"], ids))
            results.append(self.result(label, group))
        return results

    def ingress(self, label, group, desired):
        current = net.current_permissions(group.get("IpPermissions"))
        remove = dict((k, d) for k, d in current.items() if k not in desired)
        add = dict((k, d) for k, d in desired.items() if k not in current)
        described = dict((k, d) for k, d in desired.items() if k in current and (current[k] or None) != (d or None))
        if remove or add or described:
            group_id = group["GroupId"]

            def write():
                if remove:
                    self.client.revoke_security_group_ingress(
                        aws_retry=True, GroupId=group_id, IpPermissions=net.ip_permissions(remove, with_description=False))
                if add:
                    self.client.authorize_security_group_ingress(
                        aws_retry=True, GroupId=group_id, IpPermissions=net.ip_permissions(add))
                if described:
                    self.client.update_security_group_rule_descriptions_ingress(
                        aws_retry=True, GroupId=group_id, IpPermissions=net.ip_permissions(described))

            self.apply(label, "ip_permissions", net.ip_permissions(current), net.ip_permissions(desired), write)
        group["IpPermissions"] = net.ip_permissions(desired)

    # Route tables.

    def route_table(self, vpc_id, name, routes, subnet_ids):
        """The route table tagged Name=``name``: its CreateRoute routes are ``routes`` ({destination: (target key,
        id)}) and its subnets ``subnet_ids``, each moved here from another table if need be."""
        label = "route table {0}".format(name)
        tags = self.tags(dict(Name=name))
        found = net.by_name_tag(self.found["route_tables"], name)
        if len(found) > 1:
            self.module.fail_json(msg="{0} route tables are tagged Name={1}; remove all but one".format(len(found), name))
        if found:
            table = found[0]
            self.converge_tags(label, table, table["RouteTableId"], tags)
        else:
            created = self.apply(label, "", None, dict(vpc_id=vpc_id, tags=tags), lambda: self.client.create_route_table(
                aws_retry=True, VpcId=vpc_id, TagSpecifications=net.tag_specifications("route-table", tags))["RouteTable"])
            table = created or dict(RouteTableId=None, VpcId=vpc_id, Routes=[], Associations=[],
                                    Tags=net.tag_list(tags))
            self.found["route_tables"].append(table)
        self.routes(label, table, routes)
        self.associations(label, table, subnet_ids)
        return dict(self.result(label, table), id=table["RouteTableId"])

    def routes(self, label, table, desired):
        current = net.managed_routes(table)
        if current == desired:
            return
        table_id = table["RouteTableId"]

        def write():
            for destination, (key, target) in desired.items():
                if destination not in current:
                    self.client.create_route(aws_retry=True, RouteTableId=table_id,
                                             **{net.destination_key(destination): destination, key: target})
                elif current[destination] != (key, target):
                    self.client.replace_route(aws_retry=True, RouteTableId=table_id,
                                              **{net.destination_key(destination): destination, key: target})
            for destination in current:
                if destination not in desired:
                    self.client.delete_route(aws_retry=True, RouteTableId=table_id,
                                             **{net.destination_key(destination): destination})

        self.apply(label, "routes", dict((d, t[1]) for d, t in current.items()),
                   dict((d, t[1]) for d, t in desired.items()), write)
        kept = [r for r in table.get("Routes") or [] if not net.is_managed_route(r)]
        table["Routes"] = kept + [{net.destination_key(d): d, key: target, "Origin": "CreateRoute", "State": "active"}
                                  for d, (key, target) in sorted(desired.items())]

    def associations(self, label, table, subnet_ids):
        current = dict((a["SubnetId"], a["RouteTableAssociationId"]) for a in table.get("Associations") or []
                       if a.get("SubnetId") and not a.get("Main")
                       and a["RouteTableAssociationId"] not in self.replaced_associations)
        add = [s for s in subnet_ids if s not in current or s is None]
        remove = [s for s in current if s not in subnet_ids]
        if not add and not remove:
            return
        table_id = table["RouteTableId"]

        def write():
            for subnet_id in add:
                elsewhere = self.association_elsewhere(subnet_id, table_id)
                if elsewhere:
                    self.client.replace_route_table_association(aws_retry=True, AssociationId=elsewhere, RouteTableId=table_id)
                    self.replaced_associations.add(elsewhere)
                else:
                    self.client.associate_route_table(aws_retry=True, RouteTableId=table_id, SubnetId=subnet_id)
            for subnet_id in remove:
                self.client.disassociate_route_table(aws_retry=True, AssociationId=current[subnet_id])

        self.apply(label, "subnets", sorted(current), sorted(s or "(new)" for s in subnet_ids), write)
        table["Associations"] = [dict(RouteTableId=table_id, SubnetId=s, Main=False) for s in subnet_ids]

    def association_elsewhere(self, subnet_id, table_id):
        for table in self.found["route_tables"]:
            if table["RouteTableId"] == table_id:
                continue
            for association in table.get("Associations") or []:
                if association.get("SubnetId") == subnet_id and association["RouteTableAssociationId"] not in self.replaced_associations:
                    return association["RouteTableAssociationId"]
        return None
