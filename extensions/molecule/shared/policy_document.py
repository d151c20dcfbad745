"""The default version of a customer managed IAM policy, as a dict (read calls only)."""

import json


def policy_document(iam, sts, policy_name):
    """The document of the account's policy ``policy_name``; IAM may return it as a JSON string."""
    account = sts.get_caller_identity()["Account"]
    policy_arn = f"arn:aws:iam::{account}:policy/{policy_name}"
    version = iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)["PolicyVersion"]["Document"]
    return json.loads(document) if isinstance(document, str) else document
