"""IAM: the AWS managed policies every AWS account has.

moto 5.2.5 knows the AWS managed policies (AmazonRDSEnhancedMonitoringRole,
AmazonEBSCSIDriverPolicy, ...) only when told to load all of them, about a thousand, into every
IAM backend; that costs over a second after each reset. This extension adds one managed policy
to moto's IAM backend the first time a call names it by ARN (attach, detach, get, versions,
entities), with the document moto ships for it. A name AWS does not have still answers
NoSuchEntity from moto. ListPolicies with Scope=AWS lists only the policies used so far.
"""

import functools
import json
from urllib.parse import parse_qsl

from .base import ServiceExtension

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
NAMED_BY_ARN = {
    "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
    "DetachGroupPolicy", "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "ListEntitiesForPolicy",
}


@functools.lru_cache(maxsize=1)
def managed_policy_data():
    """{policy name: data} of the AWS managed policies moto ships."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


class IAMExtension(ServiceExtension):
    service = "iam"

    def handle(self, exchange):
        if exchange.operation in NAMED_BY_ARN:
            request = dict(parse_qsl(exchange.body.decode("utf-8", "replace")))
            arn = request.get("PolicyArn", "")
            if arn.startswith(AWS_POLICY_PREFIX):
                add_managed_policy(exchange.account_id, arn)
        return None


def add_managed_policy(account_id, arn):
    """Put the AWS managed policy ``arn`` into the account's IAM backend if AWS has it."""
    from moto.iam.models import AWSManagedPolicy, iam_backends

    backend = iam_backends[account_id]["global"]
    if arn in backend.managed_policies:
        return
    name = arn.rsplit("/", 1)[-1]
    data = managed_policy_data().get(name)
    if data is None or f"{AWS_POLICY_PREFIX}{data.get('Path', '/').lstrip('/')}{name}" != arn:
        return
    policy = AWSManagedPolicy.from_data(name, account_id, "us-east-1", data)
    backend.aws_managed_policies.append(policy)
    backend.managed_policies[policy.arn] = policy
