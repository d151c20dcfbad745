"""Change the molecule network out of band, the way a console user or another tool would."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

ec2, = local_clients(sys.argv[1], "ec2")
vpc_id = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["sk-molecule"]}])["Vpcs"][0]["VpcId"]
postgres = ec2.describe_security_groups(
    Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["sk-molecule-postgres"]}]
)["SecurityGroups"][0]
ec2.authorize_security_group_ingress(
    GroupId=postgres["GroupId"],
    IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
)
subnet = ec2.describe_subnets(
    Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "tag:network-tier", "Values": ["private"]}]
)["Subnets"][0]
ec2.create_tags(Resources=[subnet["SubnetId"]], Tags=[{"Key": "network-tier", "Value": "public"}])
# The S3 endpoint loses its policy statement and a route table; the DynamoDB one gets AWS's full-access policy back.
endpoints = {e["ServiceName"].rsplit(".", 1)[1]: e for e in ec2.describe_vpc_endpoints(
    Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["VpcEndpoints"] if e["State"] == "available"}
s3 = endpoints["s3"]
policy = json.loads(s3["PolicyDocument"])
policy["Statement"] = policy["Statement"][1:]
ec2.modify_vpc_endpoint(VpcEndpointId=s3["VpcEndpointId"], PolicyDocument=json.dumps(policy),
                        RemoveRouteTableIds=s3["RouteTableIds"][:1])
ec2.modify_vpc_endpoint(VpcEndpointId=endpoints["dynamodb"]["VpcEndpointId"], ResetPolicy=True)
print("drifted", postgres["GroupId"], subnet["SubnetId"], s3["VpcEndpointId"], endpoints["dynamodb"]["VpcEndpointId"])
