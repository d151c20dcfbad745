"""EC2 VPC endpoints: routes follow ModifyVpcEndpoint's route tables, ResetPolicy, private DNS."""

import json

import pytest

from .helpers import assert_local

POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::uploads/*"}]}
FULL_ACCESS = {"Version": "2008-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


@pytest.fixture
def network(aws, boto3_client):
    assert_local(aws)
    ec2 = boto3_client("ec2", attempts=1)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/20", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    tables = [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"] for _number in range(2)]
    group = ec2.create_security_group(VpcId=vpc, GroupName="endpoints", Description="endpoints")["GroupId"]
    return ec2, vpc, subnet, tables, group


def endpoint_routes(ec2, table_id):
    routes = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]["Routes"]
    return [r["GatewayId"] for r in routes if r.get("DestinationPrefixListId")]


def describe(ec2, endpoint_id):
    return ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]


def test_gateway_routes_follow_the_route_tables(network):
    ec2, vpc, _subnet, (first, second), _group = network
    endpoint = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway",
                                       RouteTableIds=[first], PolicyDocument=json.dumps(POLICY))["VpcEndpoint"]
    endpoint_id = endpoint["VpcEndpointId"]
    assert endpoint["PrivateDnsEnabled"] is False
    assert describe(ec2, endpoint_id)["PrivateDnsEnabled"] is False
    assert endpoint_routes(ec2, first) == [endpoint_id] and endpoint_routes(ec2, second) == []

    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, AddRouteTableIds=[second], RemoveRouteTableIds=[first])
    assert describe(ec2, endpoint_id)["RouteTableIds"] == [second]
    assert endpoint_routes(ec2, first) == [] and endpoint_routes(ec2, second) == [endpoint_id]

    ec2.delete_vpc_endpoints(VpcEndpointIds=[endpoint_id])
    assert endpoint_routes(ec2, second) == []


def test_reset_policy_puts_back_full_access(network):
    ec2, vpc, _subnet, (first, _second), _group = network
    endpoint_id = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[first],
                                          PolicyDocument=json.dumps(POLICY))["VpcEndpoint"]["VpcEndpointId"]
    assert json.loads(describe(ec2, endpoint_id)["PolicyDocument"]) == POLICY
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, ResetPolicy=True)
    assert json.loads(describe(ec2, endpoint_id)["PolicyDocument"]) == FULL_ACCESS
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint_id, PolicyDocument=json.dumps(POLICY))
    assert json.loads(describe(ec2, endpoint_id)["PolicyDocument"]) == POLICY


def test_interface_private_dns_can_be_changed(network):
    ec2, vpc, subnet, _tables, group = network
    endpoint = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.kms",
                                       VpcEndpointType="Interface", SubnetIds=[subnet],
                                       SecurityGroupIds=[group])["VpcEndpoint"]
    assert endpoint["PrivateDnsEnabled"] is True  # AWS's default for an interface endpoint
    assert [g["GroupId"] for g in endpoint["Groups"]] == [group]
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint["VpcEndpointId"], PrivateDnsEnabled=False)
    assert describe(ec2, endpoint["VpcEndpointId"])["PrivateDnsEnabled"] is False
