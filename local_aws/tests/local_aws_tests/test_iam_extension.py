"""IAM: AWS managed policies exist, as in any AWS account, without loading all of them."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local


def test_aws_managed_policies_exist(aws, boto3_client):
    """Roles attach AWS managed policies by ARN, as in any AWS account."""
    assert_local(aws)
    iam = boto3_client("iam")
    iam.create_role(RoleName="monitoring", AssumeRolePolicyDocument="{}")
    for arn in (
        "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
    ):
        iam.attach_role_policy(RoleName="monitoring", PolicyArn=arn)
    attached = iam.list_attached_role_policies(RoleName="monitoring")["AttachedPolicies"]
    assert len(attached) == 3


def test_unknown_aws_managed_policy_is_no_such_entity(aws, boto3_client):
    assert_local(aws)
    iam = boto3_client("iam")
    iam.create_role(RoleName="monitoring", AssumeRolePolicyDocument="{}")
    with pytest.raises(ClientError) as excinfo:
        iam.attach_role_policy(RoleName="monitoring", PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicyAnywhere")
    assert excinfo.value.response["Error"]["Code"] == "NoSuchEntity"
    policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy")["Policy"]
    assert policy["PolicyName"] == "AmazonEBSCSIDriverPolicy"
