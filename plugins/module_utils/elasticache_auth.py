# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The AUTH token of a replication group: where it comes from (an option or a Secrets Manager secret), the
secret the module may create for it, and the update strategy for a group that already has one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import AUTH_TOKEN_EXCLUDED_CHARACTERS
from ansible_collections.storagekit.aws.plugins.module_utils.elasticache import auth_token_problem


HIDDEN = "<hidden>"


def read_secret(module, secrets):
    """GetSecretValue of O(auth_token_secret), or None when it does not exist. The token is masked."""
    try:
        secret = secrets.get_secret_value(aws_retry=True, SecretId=module.params["auth_token_secret"])
    except is_boto3_error_code("ResourceNotFoundException"):
        return None
    token = secret.get("SecretString")
    if not token:
        module.fail_json(msg="Secret {0} has no secret string to use as the AUTH token.".format(secret["Name"]))
    module.no_log_values.add(token)
    problem = auth_token_problem(token)
    if problem:
        module.fail_json(msg="The AUTH token in secret {0} {1}.".format(secret["Name"], problem))
    return secret


def create_secret(module, secrets, changes, group_name):
    """Create O(auth_token_secret) with a random token; returns (token, ARN), (None, None) in check mode, or None
    when a concurrent run created the secret first."""
    params = module.params
    name = params["auth_token_secret"]
    if name.startswith("arn:"):
        module.fail_json(msg="Secret {0} does not exist; give a secret name to have it created.".format(name))

    def write():
        request = dict(PasswordLength=params["auth_token_length"])
        if params["auth_token_punctuation"]:
            request["ExcludeCharacters"] = AUTH_TOKEN_EXCLUDED_CHARACTERS
        else:
            request["ExcludePunctuation"] = True
        token = secrets.get_random_password(aws_retry=True, **request)["RandomPassword"]
        module.no_log_values.add(token)
        create = dict(
            Name=name,
            Description="AUTH token of ElastiCache replication group {0}".format(group_name),
            SecretString=token,
        )
        if params["auth_token_secret_kms_key_id"]:
            create["KmsKeyId"] = params["auth_token_secret_kms_key_id"]
        try:
            return token, secrets.create_secret(aws_retry=True, **create)["ARN"]
        except is_boto3_error_code("ResourceExistsException"):
            return False

    created = changes.apply("auth_token_secret", None, dict(name=name, created=True), write)
    if created is False:
        return None
    return created or (None, None)


class TokenSource:
    """Where this run's AUTH token comes from; ``token`` is None when there is none (or in check mode)."""

    def __init__(self, token=None, secret_arn=None, version_date=None, new_secret=False):
        self.token = token
        self.secret_arn = secret_arn
        self.version_date = version_date
        self.new_secret = new_secret


def token_source(module, secrets, changes, group_name):
    params = module.params
    if params["auth_token"] is not None:
        return TokenSource(token=params["auth_token"])
    if params["auth_token_secret"] is None:
        return None
    secret = read_secret(module, secrets)
    if secret is not None:
        return TokenSource(secret["SecretString"], secret["ARN"], secret.get("CreatedDate"))
    created = create_secret(module, secrets, changes, group_name)
    if created is None:
        # A concurrent run created the secret first: both use its token.
        secret = read_secret(module, secrets)
        return TokenSource(secret["SecretString"], secret["ARN"], secret.get("CreatedDate"))
    token, arn = created
    return TokenSource(token, arn, new_secret=True)


def auth_token_update(params, current, source):
    """The AuthTokenUpdateStrategy to apply to an existing group, or None."""
    strategy = params["auth_token_update_strategy"]
    if strategy == "delete":
        return "DELETE" if current["auth_token_enabled"] else None
    if source is None:
        return None
    if not current["auth_token_enabled"]:
        return "ROTATE"
    if params["auth_token"] is not None:
        return strategy.upper() if strategy else None
    last_modified = current["auth_token_last_modified"]
    if source.new_secret or (source.version_date and last_modified and source.version_date > last_modified):
        return (strategy or "rotate").upper()
    return None
