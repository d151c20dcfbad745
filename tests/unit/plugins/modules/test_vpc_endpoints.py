"""vpc_endpoints: the exact EC2 calls of a create, a no-change run, a policy repair, check mode, removal and
refused input."""

import json

from ansible_collections.storagekit.aws.plugins.modules import vpc_endpoints

VPC = "vpc-0123456789abcdef0"
TABLES = ["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"]
SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
GROUP = "sg-0aaaaaaaaaaaaaaa1"
S3_ID = "vpce-0aaaaaaaaaaaaaaa1"
SM_ID = "vpce-0aaaaaaaaaaaaaaa2"
S3_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "StackBuckets", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*"]}]}
SM_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Account", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}]}
ENDPOINTS = [
    dict(service="s3", type="Gateway", route_table_ids=TABLES, policy=S3_POLICY),
    dict(service="secretsmanager", type="Interface", subnet_ids=SUBNETS, security_group_ids=[GROUP], policy=SM_POLICY),
]
ARGS = dict(vpc_id=VPC, name="net", endpoints=ENDPOINTS, tags={"env": "test"})
IN_VPC = [dict(Name="vpc-id", Values=[VPC])]


def tags(service):
    return [dict(Key="Name", Value="net-" + service), dict(Key="env", Value="test")]


def s3(**changes):
    return dict(dict(VpcEndpointId=S3_ID, VpcEndpointType="Gateway", VpcId=VPC,
                     ServiceName="com.amazonaws.us-east-1.s3", State="available",
                     PolicyDocument=json.dumps(S3_POLICY), RouteTableIds=list(TABLES), SubnetIds=[], Groups=[],
                     PrivateDnsEnabled=False, Tags=tags("s3")), **changes)


def secretsmanager(**changes):
    return dict(dict(VpcEndpointId=SM_ID, VpcEndpointType="Interface", VpcId=VPC,
                     ServiceName="com.amazonaws.us-east-1.secretsmanager", State="available",
                     PolicyDocument=json.dumps(SM_POLICY), RouteTableIds=[], SubnetIds=list(SUBNETS),
                     Groups=[dict(GroupId=GROUP, GroupName="net-endpoints")], PrivateDnsEnabled=True,
                     Tags=tags("secretsmanager")), **changes)


def expect_read(stubs, endpoints):
    stubs["ec2"].add_response("describe_vpc_endpoints", dict(VpcEndpoints=list(endpoints)), dict(Filters=IN_VPC))


def test_no_change_run_reads_once(stubs, run_module):
    # AWS hands the policy back reformatted and with its lists in another order: still the same policy.
    reordered = dict(S3_POLICY, Statement=[dict(S3_POLICY["Statement"][0], Resource=list(
        reversed(S3_POLICY["Statement"][0]["Resource"])))])
    expect_read(stubs, [s3(PolicyDocument=json.dumps(reordered, indent=2)), secretsmanager()])
    result = run_module(vpc_endpoints, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["ids"] == {"s3": S3_ID, "secretsmanager": SM_ID}
    assert result["endpoints"][1]["security_group_ids"] == [GROUP]


def test_creates_both_kinds_with_tags_and_policies(stubs, run_module):
    ec2 = stubs["ec2"]
    expect_read(stubs, [])
    ec2.add_response("create_vpc_endpoint", dict(VpcEndpoint=s3()), dict(
        VpcId=VPC, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=TABLES,
        PolicyDocument=json.dumps(S3_POLICY, sort_keys=True),
        TagSpecifications=[dict(ResourceType="vpc-endpoint", Tags=tags("s3"))]))
    ec2.add_response("create_vpc_endpoint", dict(VpcEndpoint=secretsmanager(State="pending")), dict(
        VpcId=VPC, ServiceName="com.amazonaws.us-east-1.secretsmanager", VpcEndpointType="Interface",
        SubnetIds=SUBNETS, SecurityGroupIds=[GROUP], PrivateDnsEnabled=True,
        PolicyDocument=json.dumps(SM_POLICY, sort_keys=True),
        TagSpecifications=[dict(ResourceType="vpc-endpoint", Tags=tags("secretsmanager"))]))
    ec2.add_response("describe_vpc_endpoints", dict(VpcEndpoints=[secretsmanager()]), dict(VpcEndpointIds=[SM_ID]))
    result = run_module(vpc_endpoints, ARGS)
    assert result["changed"] is True
    assert result["ids"] == {"s3": S3_ID, "secretsmanager": SM_ID}
    assert result["endpoints"][1]["state"] == "available"


def test_policy_statement_removed_out_of_band_is_put_back(stubs, run_module):
    opened = {"Version": "2008-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
    expect_read(stubs, [s3(PolicyDocument=json.dumps(opened), RouteTableIds=TABLES[:1]), secretsmanager()])
    stubs["ec2"].add_response("modify_vpc_endpoint", dict(Return=True), dict(
        VpcEndpointId=S3_ID, AddRouteTableIds=TABLES[1:], PolicyDocument=json.dumps(S3_POLICY, sort_keys=True)))
    result = run_module(vpc_endpoints, ARGS, diff=True)
    assert result["changed"] is True
    assert result["endpoints"][0]["changed"] and not result["endpoints"][1]["changed"]
    assert result["diff"]["after"]["s3 gateway"]["policy"] == S3_POLICY
    assert result["endpoints"][0]["policy"] == S3_POLICY


def test_interface_groups_subnets_and_private_dns_in_one_call(stubs, run_module):
    expect_read(stubs, [s3(), secretsmanager(Groups=[dict(GroupId="sg-0other", GroupName="x")],
                                             SubnetIds=SUBNETS + ["subnet-0extra"], PrivateDnsEnabled=False)])
    stubs["ec2"].add_response("modify_vpc_endpoint", dict(Return=True), dict(
        VpcEndpointId=SM_ID, RemoveSubnetIds=["subnet-0extra"], AddSecurityGroupIds=[GROUP],
        RemoveSecurityGroupIds=["sg-0other"], PrivateDnsEnabled=True))
    result = run_module(vpc_endpoints, ARGS)
    assert result["changed"] is True


def test_check_mode_reads_only(stubs, run_module):
    expect_read(stubs, [s3(PolicyDocument=json.dumps({"Statement": []}))])
    result = run_module(vpc_endpoints, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["ids"] == {"s3": S3_ID, "secretsmanager": ""}


def test_tags_repaired(stubs, run_module):
    expect_read(stubs, [s3(Tags=[dict(Key="Name", Value="net-s3"), dict(Key="stray", Value="1")]), secretsmanager()])
    stubs["ec2"].add_response("delete_tags", {}, dict(Resources=[S3_ID], Tags=[dict(Key="stray")]))
    stubs["ec2"].add_response("create_tags", {}, dict(Resources=[S3_ID], Tags=[dict(Key="env", Value="test")]))
    assert run_module(vpc_endpoints, ARGS)["changed"] is True


def test_absent_deletes_the_networks_endpoints_and_waits(stubs, run_module):
    foreign = s3(VpcEndpointId="vpce-0foreign", Tags=[dict(Key="Name", Value="other-s3")])
    expect_read(stubs, [s3(), secretsmanager(), foreign])
    stubs["ec2"].add_response("delete_vpc_endpoints", dict(Unsuccessful=[]), dict(VpcEndpointIds=[S3_ID, SM_ID]))
    expect_read(stubs, [secretsmanager(State="deleting"), foreign])
    expect_read(stubs, [secretsmanager(State="deleted"), foreign])
    result = run_module(vpc_endpoints, dict(vpc_id=VPC, name="net", state="absent"))
    assert result["changed"] is True
    assert [e["service"] for e in result["endpoints"]] == ["s3", "secretsmanager"]


def test_absent_with_nothing_left_reads_once(stubs, run_module):
    expect_read(stubs, [s3(State="deleted")])
    result = run_module(vpc_endpoints, dict(vpc_id=VPC, name="net", state="absent"))
    assert result["changed"] is False


def test_bad_input_refused_before_any_call(run_module):
    result = run_module(vpc_endpoints, dict(vpc_id=VPC, name="net", endpoints=[
        dict(service="s3-typo", type="Gateway", route_table_ids=TABLES),
        dict(service="kms", type="Interface", subnet_ids=[]),
        dict(service="sts", type="Gateway", route_table_ids=TABLES),
    ]), expect_failure=True)
    assert "s3-typo is not a service of a gateway endpoint" in result["msg"]
    assert "kms interface endpoint needs subnet_ids" in result["msg"]
    assert "sts is not a service of a gateway endpoint" in result["msg"]


def test_bad_policy_json_refused(run_module):
    result = run_module(vpc_endpoints, dict(vpc_id=VPC, name="net", endpoints=[
        dict(service="logs", type="Interface", subnet_ids=SUBNETS, policy="{not json")]), expect_failure=True)
    assert "policy" in result["msg"]
