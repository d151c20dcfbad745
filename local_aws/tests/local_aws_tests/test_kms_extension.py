"""What the project fixes in moto's KMS: key deletion by key ARN."""

import pytest
from botocore.exceptions import ClientError

from .helpers import assert_local, error_code


@pytest.fixture
def kms(aws, boto3_client):
    assert_local(aws)
    return boto3_client("kms", attempts=1)


@pytest.mark.parametrize("by", ["KeyId", "Arn"])
def test_schedule_and_cancel_key_deletion_by_id_or_arn(kms, by):
    key = kms.create_key()["KeyMetadata"]
    scheduled = kms.schedule_key_deletion(KeyId=key[by], PendingWindowInDays=7)
    assert scheduled["KeyId"] == key["Arn"]
    assert scheduled["KeyState"] == "PendingDeletion"
    assert scheduled["PendingWindowInDays"] == 7
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert kms.cancel_key_deletion(KeyId=key[by])["KeyId"] == key["Arn"]
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_scheduling_twice_is_an_invalid_state(kms):
    key = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"])
    with pytest.raises(ClientError) as excinfo:
        kms.schedule_key_deletion(KeyId=key["Arn"])
    assert error_code(excinfo) == "KMSInvalidStateException"


def test_pending_window_outside_7_to_30_days_is_refused(kms):
    key = kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as excinfo:
        kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=3)
    assert error_code(excinfo) == "ValidationException"


def test_unknown_key_is_not_found(kms):
    with pytest.raises(ClientError) as excinfo:
        kms.schedule_key_deletion(KeyId="arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")
    assert error_code(excinfo) == "NotFoundException"
