"""Verified unchanged: the Route53 and IAM calls of the static site and EKS roles behave as on
AWS in moto, so the endpoint adds nothing for them; these tests keep it that way."""

import json

from .helpers import assert_local

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"


def test_alias_records_to_cloudfront_and_validation_cnames(aws, boto3_client):
    assert_local(aws)
    route53 = boto3_client("route53", attempts=1)
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="site")["HostedZone"]["Id"]
    alias = {"HostedZoneId": CLOUDFRONT_ZONE, "DNSName": "d111111abcdef8.cloudfront.net.", "EvaluateTargetHealth": False}
    changes = [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "www.example.com.", "Type": kind, "AliasTarget": alias}}
               for kind in ("A", "AAAA")]
    changes.append({"Action": "UPSERT", "ResourceRecordSet": {
        "Name": "_abc.www.example.com.", "Type": "CNAME", "TTL": 300,
        "ResourceRecords": [{"Value": "_def.acm-validations.aws."}]}})
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})
    records = route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    by_key = {(r["Name"], r["Type"]): r for r in records}
    for kind in ("A", "AAAA"):
        assert by_key[("www.example.com.", kind)]["AliasTarget"] == alias
    assert by_key[("_abc.www.example.com.", "CNAME")]["ResourceRecords"] == [{"Value": "_def.acm-validations.aws."}]
    page = route53.list_resource_record_sets(HostedZoneId=zone, StartRecordName="www.example.com.",
                                             StartRecordType="AAAA", MaxItems="1")["ResourceRecordSets"]
    assert [(r["Name"], r["Type"]) for r in page] == [("www.example.com.", "AAAA")]


def test_pod_identity_role_and_inline_policy(aws, boto3_client):
    assert_local(aws)
    iam = boto3_client("iam", attempts=1)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"]}]}
    iam.create_role(RoleName="loki", AssumeRolePolicyDocument=json.dumps(trust))
    assert iam.get_role(RoleName="loki")["Role"]["AssumeRolePolicyDocument"] == trust
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::loki/*"}]}
    iam.put_role_policy(RoleName="loki", PolicyName="loki-s3", PolicyDocument=json.dumps(policy))
    assert iam.get_role_policy(RoleName="loki", PolicyName="loki-s3")["PolicyDocument"] == policy
