"""vpc_network: the exact EC2 calls of a create, a no-change run, a drift repair, check mode and refused input."""

from ansible_collections.storagekit.aws.plugins.modules import vpc_network

VPC = "vpc-0123456789abcdef0"
ZONES = ["us-east-1a", "us-east-1b"]
CIDRS = ["10.0.0.0/20", "10.0.16.0/20"]
SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
TABLES = ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"]
ASSOCIATIONS = ["rtbassoc-0aaaaaaaaaaaaaa1", "rtbassoc-0aaaaaaaaaaaaaa2"]
APP = "sg-0aaaaaaaaaaaaaaa1"
PG = "sg-0aaaaaaaaaaaaaaa2"
PG_RULE = dict(proto="tcp", ports=[5432], group_name="net-app", rule_desc="postgres from app")
ARGS = dict(
    name="net", cidr_block="10.0.0.0/16", availability_zones=ZONES, az_count=2, private_subnet_cidrs=CIDRS,
    security_groups=[dict(name="app", description="App"), dict(name="postgres", description="Postgres", rules=[PG_RULE])],
    tags={"env": "test"},
)
IN_VPC = [dict(Name="vpc-id", Values=[VPC])]


def tags(**extra):
    return [dict(Key=k, Value=v) for k, v in sorted(dict({"env": "test"}, **extra).items())]


def vpc(**changes):
    return dict(dict(VpcId=VPC, CidrBlock="10.0.0.0/16", State="available", Tags=tags(Name="net")), **changes)


def subnet(index, **changes):
    zone = ZONES[index]
    return dict(dict(SubnetId=SUBNETS[index], VpcId=VPC, CidrBlock=CIDRS[index], AvailabilityZone=zone,
                     State="available", MapPublicIpOnLaunch=False,
                     Tags=tags(**{"Name": "net-private-" + zone, "network-tier": "private"})), **changes)


def table(index, **changes):
    return dict(dict(RouteTableId=TABLES[index], VpcId=VPC, Tags=tags(Name="net-private-" + ZONES[index]),
                     Routes=[dict(DestinationCidrBlock="10.0.0.0/16", GatewayId="local", Origin="CreateRouteTable",
                                  State="active")],
                     Associations=[dict(RouteTableAssociationId=ASSOCIATIONS[index], RouteTableId=TABLES[index],
                                        SubnetId=SUBNETS[index], Main=False)]), **changes)


PG_PERMISSION = dict(IpProtocol="tcp", FromPort=5432, ToPort=5432, IpRanges=[], Ipv6Ranges=[], PrefixListIds=[],
                     UserIdGroupPairs=[dict(GroupId=APP, UserId="123456789012", Description="postgres from app")])


def group(group_id, short, description, permissions=(), **changes):
    return dict(dict(GroupId=group_id, GroupName="net-" + short, Description=description, VpcId=VPC, OwnerId="123456789012",
                     IpPermissions=list(permissions), Tags=tags(**{"Name": "net-" + short, "network-tier": short})),
                **changes)


def expect_reads(stubs, vpcs, dns=(True, True), subnets=(), tables=(), groups=()):
    ec2 = stubs["ec2"]
    ec2.add_response("describe_vpcs", dict(Vpcs=list(vpcs)), dict(Filters=[
        dict(Name="tag:Name", Values=["net"]), dict(Name="cidr-block-association.cidr-block", Values=["10.0.0.0/16"])]))
    if not vpcs:
        return
    ec2.add_response("describe_vpc_attribute", dict(VpcId=VPC, EnableDnsSupport=dict(Value=dns[0])),
                     dict(VpcId=VPC, Attribute="enableDnsSupport"))
    ec2.add_response("describe_vpc_attribute", dict(VpcId=VPC, EnableDnsHostnames=dict(Value=dns[1])),
                     dict(VpcId=VPC, Attribute="enableDnsHostnames"))
    ec2.add_response("describe_subnets", dict(Subnets=list(subnets)), dict(Filters=IN_VPC))
    ec2.add_response("describe_route_tables", dict(RouteTables=list(tables)), dict(Filters=IN_VPC))
    ec2.add_response("describe_security_groups", dict(SecurityGroups=list(groups)), dict(Filters=IN_VPC))


def expect_all_as_wanted(stubs):
    expect_reads(stubs, [vpc()], subnets=[subnet(0), subnet(1)], tables=[table(0), table(1)],
                 groups=[group(APP, "app", "App"), group(PG, "postgres", "Postgres", [PG_PERMISSION])])


def test_no_change_run_reads_each_kind_once(stubs, run_module):
    expect_all_as_wanted(stubs)
    result = run_module(vpc_network, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["vpc"]["id"] == VPC and result["vpc"]["enable_dns_hostnames"] is True
    assert [s["id"] for s in result["private_subnets"]] == SUBNETS
    assert [t["id"] for t in result["private_route_tables"]] == TABLES
    assert [g["group_id"] for g in result["security_groups"]] == [APP, PG]
    assert not any(s["changed"] for s in result["private_subnets"] + result["security_groups"])
    assert result["public_subnets"] == [] and result["nat_gateway"] == {} and result["internet_gateway"] == {}


def test_zones_are_read_when_not_given(stubs, run_module):
    stubs["ec2"].add_response("describe_availability_zones", dict(AvailabilityZones=[
        dict(ZoneName=z, State="available") for z in ["us-east-1c", "us-east-1b", "us-east-1a"]]), dict(Filters=[
            dict(Name="state", Values=["available"]), dict(Name="zone-type", Values=["availability-zone"])]))
    expect_all_as_wanted(stubs)
    result = run_module(vpc_network, dict(ARGS, availability_zones=[]))
    assert result["changed"] is False
    assert result["availability_zones"] == ZONES


def test_create_makes_everything_tagged_in_dependency_order(stubs, run_module):
    ec2 = stubs["ec2"]
    expect_reads(stubs, [])
    ec2.add_response("create_vpc", dict(Vpc=vpc(State="pending", Tags=tags(Name="net"))), dict(
        CidrBlock="10.0.0.0/16", TagSpecifications=[dict(ResourceType="vpc", Tags=tags(Name="net"))]))
    ec2.add_response("describe_vpcs", dict(Vpcs=[vpc()]), dict(VpcIds=[VPC]))
    ec2.add_response("modify_vpc_attribute", {}, dict(VpcId=VPC, EnableDnsHostnames=dict(Value=True)))
    for index in (0, 1):
        created = subnet(index)
        ec2.add_response("create_subnet", dict(Subnet=created), dict(
            VpcId=VPC, CidrBlock=CIDRS[index], AvailabilityZone=ZONES[index],
            TagSpecifications=[dict(ResourceType="subnet", Tags=created["Tags"])]))
    for group_id, short, description in ((APP, "app", "App"), (PG, "postgres", "Postgres")):
        ec2.add_response("create_security_group", dict(GroupId=group_id), dict(
            GroupName="net-" + short, Description=description, VpcId=VPC,
            TagSpecifications=[dict(ResourceType="security-group", Tags=group(group_id, short, description)["Tags"])]))
    ec2.add_response("authorize_security_group_ingress", {}, dict(GroupId=PG, IpPermissions=[dict(
        IpProtocol="tcp", FromPort=5432, ToPort=5432, IpRanges=[], Ipv6Ranges=[], PrefixListIds=[],
        UserIdGroupPairs=[dict(GroupId=APP, Description="postgres from app")])]))
    for index in (0, 1):
        ec2.add_response("create_route_table", dict(RouteTable=table(index, Associations=[])), dict(
            VpcId=VPC, TagSpecifications=[dict(ResourceType="route-table", Tags=table(index)["Tags"])]))
        ec2.add_response("associate_route_table", dict(AssociationId=ASSOCIATIONS[index]),
                         dict(RouteTableId=TABLES[index], SubnetId=SUBNETS[index]))
    result = run_module(vpc_network, ARGS, diff=True)
    assert result["changed"] is True
    assert result["vpc"]["id"] == VPC and result["vpc"]["changed"] is True
    assert [s["id"] for s in result["private_subnets"]] == SUBNETS
    assert result["security_groups"][1]["ip_permissions"][0]["user_id_group_pairs"][0]["group_id"] == APP
    assert result["diff"]["before"]["vpc"] is None


def test_drift_is_put_back_with_one_write_per_difference(stubs, run_module):
    ec2 = stubs["ec2"]
    opened = dict(IpProtocol="tcp", FromPort=5432, ToPort=5432, IpRanges=[dict(CidrIp="0.0.0.0/0")], Ipv6Ranges=[],
                  PrefixListIds=[], UserIdGroupPairs=PG_PERMISSION["UserIdGroupPairs"])
    drifted_tags = tags(**{"Name": "net-private-us-east-1b", "network-tier": "public", "extra": "x"})
    drifted_subnet = subnet(1, MapPublicIpOnLaunch=True, Tags=drifted_tags)
    stray_route = dict(DestinationCidrBlock="0.0.0.0/0", GatewayId="igw-0aaaaaaaaaaaaaaa1", Origin="CreateRoute", State="active")
    expect_reads(stubs, [vpc()], dns=(True, False), subnets=[subnet(0), drifted_subnet],
                 tables=[table(0, Routes=table(0)["Routes"] + [stray_route]), table(1, Associations=[])],
                 groups=[group(APP, "app", "App"), group(PG, "postgres", "Postgres", [opened])])
    ec2.add_response("modify_vpc_attribute", {}, dict(VpcId=VPC, EnableDnsHostnames=dict(Value=True)))
    ec2.add_response("modify_subnet_attribute", {}, dict(SubnetId=SUBNETS[1], MapPublicIpOnLaunch=dict(Value=False)))
    ec2.add_response("delete_tags", {}, dict(Resources=[SUBNETS[1]], Tags=[dict(Key="extra")]))
    ec2.add_response("create_tags", {}, dict(Resources=[SUBNETS[1]], Tags=[dict(Key="network-tier", Value="private")]))
    ec2.add_response("revoke_security_group_ingress", {}, dict(GroupId=PG, IpPermissions=[dict(
        IpProtocol="tcp", FromPort=5432, ToPort=5432, IpRanges=[dict(CidrIp="0.0.0.0/0")], Ipv6Ranges=[],
        PrefixListIds=[], UserIdGroupPairs=[])]))
    ec2.add_response("delete_route", {}, dict(RouteTableId=TABLES[0], DestinationCidrBlock="0.0.0.0/0"))
    ec2.add_response("associate_route_table", dict(AssociationId=ASSOCIATIONS[1]),
                     dict(RouteTableId=TABLES[1], SubnetId=SUBNETS[1]))
    result = run_module(vpc_network, ARGS, diff=True)
    assert result["changed"] is True
    assert [s["changed"] for s in result["private_subnets"]] == [False, True]
    assert result["private_subnets"][1]["tags"]["network-tier"] == "private"
    assert [g["changed"] for g in result["security_groups"]] == [False, True]
    assert len(result["security_groups"][1]["ip_permissions"]) == 1
    assert result["security_groups"][1]["ip_permissions"][0]["ip_ranges"] == []
    assert result["vpc"]["enable_dns_hostnames"] is True
    assert result["diff"]["before"]["vpc enable_dns_hostnames"] is False


def test_check_mode_predicts_the_repair_with_reads_only(stubs, run_module):
    expect_reads(stubs, [vpc(Tags=tags(Name="net", old="1"))], subnets=[subnet(0), subnet(1)],
                 tables=[table(0), table(1)], groups=[group(APP, "app", "App"), group(PG, "postgres", "Postgres")])
    result = run_module(vpc_network, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["vpc"]["changed"] is True and result["vpc"]["tags"] == {"Name": "net", "env": "test"}
    assert [g["changed"] for g in result["security_groups"]] == [False, True]


def test_a_subnet_in_another_zone_is_refused_before_any_write(stubs, run_module):
    expect_reads(stubs, [vpc()], subnets=[subnet(0, AvailabilityZone="us-east-1c")])
    result = run_module(vpc_network, ARGS, expect_failure=True)
    assert "cannot move to another zone" in result["msg"]


def test_bad_input_is_refused_before_any_call(run_module):
    result = run_module(vpc_network, dict(ARGS, private_subnet_cidrs=["10.1.0.0/20", "10.1.0.0/20"], nat_gateway=True),
                        expect_failure=True)
    assert "10.1.0.0/20 is not inside 10.0.0.0/16" in result["msg"]
    assert "overlap" in result["msg"]
    assert "nat_gateway needs public subnets" in result["msg"]


def test_routes_of_gateway_endpoints_are_left_alone(stubs, run_module):
    endpoint_route = dict(DestinationPrefixListId="pl-63a5400a", GatewayId="vpce-0aaaaaaaaaaaaaaa1",
                          Origin="CreateRoute", State="active")
    tables = [table(i, Routes=table(i)["Routes"] + [endpoint_route]) for i in (0, 1)]
    expect_reads(stubs, [vpc()], subnets=[subnet(0), subnet(1)], tables=tables,
                 groups=[group(APP, "app", "App"), group(PG, "postgres", "Postgres", [PG_PERMISSION])])
    assert run_module(vpc_network, ARGS)["changed"] is False
