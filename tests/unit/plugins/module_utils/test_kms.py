"""kms: key ARNs with one DescribeKey per key, and the refusal of a key that is missing or not Enabled."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys

ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


class Failed(Exception):
    pass


class Module:
    """What KmsKeys uses of a module: check_mode and fail_json."""

    def __init__(self, check_mode=False):
        self.check_mode = check_mode

    def fail_json(self, msg):
        raise Failed(msg)


class Retrying:
    """A client whose calls accept aws_retry=True, as the clients made with retry_decorator do."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        call = getattr(self._client, name)
        return lambda aws_retry=False, **kwargs: call(**kwargs)


@pytest.fixture
def kms():
    client = boto3.client("kms", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def key(state):
    return dict(KeyMetadata=dict(KeyId=ARN.rsplit("/", 1)[1], Arn=ARN, KeyState=state, Enabled=state == "Enabled"))


def test_a_key_arn_needs_no_call_and_an_alias_one_for_both_arn_and_check(kms):
    client, stubber = kms
    stubber.add_response("describe_key", key("Enabled"), dict(KeyId="alias/app"))
    keys = KmsKeys(Module(), Retrying(client))
    assert keys.arn(ARN) == ARN
    assert keys.arn("alias/app") == ARN
    keys.require_usable("alias/app")  # described once for both


@pytest.mark.parametrize("state", ["Disabled", "PendingDeletion", "PendingImport", "Unavailable"])
def test_a_key_that_is_not_enabled_is_refused_with_its_state(kms, state):
    client, stubber = kms
    stubber.add_response("describe_key", key(state), dict(KeyId=ARN))
    with pytest.raises(Failed) as failed:
        KmsKeys(Module(), Retrying(client)).require_usable(ARN, "encryption.kms_key_id")
    assert str(failed.value) == "encryption.kms_key_id: KMS key {0} is {1}; the key must be Enabled.".format(ARN, state)


def test_a_missing_key_is_refused_but_passes_in_check_mode(kms):
    client, stubber = kms
    stubber.add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId="alias/new"))
    stubber.add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId="alias/new"))
    with pytest.raises(Failed) as failed:
        KmsKeys(Module(), Retrying(client)).arn("alias/new")
    assert str(failed.value) == "kms_key_id: KMS key alias/new was not found; the key must exist and be Enabled."
    # In check mode an earlier task that did not run may be the one that creates it.
    assert KmsKeys(Module(check_mode=True), Retrying(client)).arn("alias/new") == "alias/new"
