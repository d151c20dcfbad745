"""data_class_problems: confidential and restricted data need a customer managed key, a backup plan, versioning."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.data_class_problems import FilterModule, data_class_problems


def item(**extra):
    found = dict(resource="DynamoDB table orders", classification="confidential", kms_key_id="alias/orders",
                 backup_plan="stack", backup_option="dynamodb_table_backup_plan")
    found.update(extra)
    return found


def test_protected_data_with_key_and_plan_passes():
    assert data_class_problems([item(), item(classification="restricted")]) == []


def test_public_and_internal_data_need_nothing():
    assert data_class_problems([item(classification="internal", kms_key_id="", backup_plan="", versioning="suspended"),
                                item(classification="public", kms_key_id="")]) == []


def test_each_missing_protection_is_named():
    problems = data_class_problems([item(kms_key_id="alias/aws/dynamodb", backup_plan="")])
    assert problems == [
        "DynamoDB table orders is confidential: confidential data must be encrypted with a customer managed KMS key",
        "DynamoDB table orders is confidential: confidential data must have a backup plan (dynamodb_table_backup_plan)",
    ]


def test_buckets_need_versioning():
    problems = data_class_problems([item(resource="S3 bucket uploads", versioning="suspended")])
    assert problems == ["S3 bucket uploads is confidential: a bucket of confidential data must have versioning enabled"]


def test_unknown_class_and_bad_input():
    assert "not 'secret'" in data_class_problems([item(classification="secret")])[0]
    with pytest.raises(AnsibleFilterError):
        data_class_problems("orders")
    assert "data_class_problems" in FilterModule().filters()
