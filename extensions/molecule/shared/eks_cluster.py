"""Create or delete a scenario's EKS cluster, which no module of the collection manages, with its VPC, private
subnets in ZONES availability zones (two unless given; tagged NAME-private-<zone>) and a security group NAME-efs
that allows NFS from the VPC.

usage: eks_cluster.py ENDPOINT create|delete NAME [ZONES]
"""

import sys

from local_clients import local_clients

endpoint, action, name = sys.argv[1:4]
zones = ["us-east-1a", "us-east-1b", "us-east-1c"][: int(sys.argv[4]) if len(sys.argv) > 4 else 2]
eks, ec2 = local_clients(endpoint, "eks", "ec2")


def tagged(kind, tag):
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": tag}]}]


vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
if action == "create" and name not in eks.list_clusters()["clusters"]:
    vpc_id = ec2.create_vpc(CidrBlock="10.43.0.0/16", TagSpecifications=tagged("vpc", name))["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.43.{index * 16}.0/20", AvailabilityZone=zone,
                          TagSpecifications=tagged("subnet", f"{name}-private-{zone}"))["Subnet"]["SubnetId"]
        for index, zone in enumerate(zones)
    ]
    group_id = ec2.create_security_group(GroupName=name + "-efs", Description="NFS from the cluster's nodes",
                                         VpcId=vpc_id, TagSpecifications=tagged("security-group", name + "-efs"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "IpRanges": [{"CidrIp": "10.43.0.0/16"}]}])
    eks.create_cluster(name=name, version="1.32", roleArn="arn:aws:iam::123456789012:role/" + name + "-cluster",
                       resourcesVpcConfig={"subnetIds": subnets})
    print("created", name, vpc_id, subnets, group_id)
elif action == "delete":
    if name in eks.list_clusters()["clusters"]:
        eks.delete_cluster(name=name)
    for vpc in vpcs:
        for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        for group in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["SecurityGroups"]:
            if group["GroupName"] != "default":
                ec2.delete_security_group(GroupId=group["GroupId"])
        ec2.delete_vpc(VpcId=vpc["VpcId"])
    print("deleted", name)
