# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The KMS keys a module names in its options: their ARNs, and a refusal of a key that cannot be used.

Services report keys as ARNs while users give ids, aliases or ARNs, so a key given otherwise than as a
key ARN costs one DescribeKey to compare. A key that does not exist or is not Enabled makes the
create or update that names it fail half-way on AWS (or, for S3 default encryption, only the
uploads that follow); modules check it with require_usable() just before the first write that uses
the key, so that runs that change nothing make no extra call.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client


def describe_key(client, key_id):
    """The KeyMetadata of a key given by id, alias or ARN, or None when there is no such key."""
    try:
        return client.describe_key(aws_retry=True, KeyId=key_id)["KeyMetadata"]
    except is_boto3_error_code("NotFoundException"):
        return None


def is_key_arn(key_id):
    return key_id.startswith("arn:") and ":key/" in key_id


class KmsKeys:
    """The keys of one module run, each described at most once (the KMS client is made on first use)."""

    def __init__(self, module, client=None):
        self.module = module
        self.client = client
        self.described = {}

    def metadata(self, key_id):
        if key_id not in self.described:
            if self.client is None:
                self.client = aws_client(self.module, "kms")
            self.described[key_id] = describe_key(self.client, key_id)
        return self.described[key_id]

    def arn(self, key_id, option="kms_key_id"):
        """The key's ARN as AWS services report it; a key ARN is taken as it is, without a call.

        A key that is not found fails the module, except in check mode, where an earlier task that
        did not run may be the one that creates it: its name is returned as it is then.
        """
        if not key_id or is_key_arn(key_id):
            return key_id
        found = self.metadata(key_id)
        if found is None:
            self._missing(key_id, option)
            return key_id
        return found["Arn"]

    def require_usable(self, key_id, option="kms_key_id"):
        """Fail unless the key exists and is Enabled (a missing key passes in check mode, see arn())."""
        if not key_id:
            return
        found = self.metadata(key_id)
        if found is None:
            self._missing(key_id, option)
        elif found.get("KeyState", "Enabled" if found.get("Enabled") else "Disabled") != "Enabled":
            self.module.fail_json(
                msg="{0}: KMS key {1} is {2}; the key must be Enabled.".format(option, key_id, found.get("KeyState"))
            )

    def _missing(self, key_id, option):
        if not self.module.check_mode:
            self.module.fail_json(msg="{0}: KMS key {1} was not found; the key must exist and be Enabled.".format(
                option, key_id))
