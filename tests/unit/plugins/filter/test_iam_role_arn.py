"""iam_role_arn: the ARN a role will have, from aws_caller_info."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.iam_role_arn import FilterModule, iam_role_arn

CALLER = dict(account="123456789012", arn="arn:aws:iam::123456789012:user/ci", changed=False)


def test_role_in_the_callers_account():
    assert iam_role_arn(CALLER, "app-storage") == "arn:aws:iam::123456789012:role/app-storage"


def test_partition_and_path_are_kept():
    caller = dict(account="123456789012", arn="arn:aws-cn:sts::123456789012:assumed-role/deploy/session")
    assert iam_role_arn(caller, "app", path="/eks/") == "arn:aws-cn:iam::123456789012:role/eks/app"
    assert iam_role_arn(caller, "app", path="eks") == "arn:aws-cn:iam::123456789012:role/eks/app"


def test_a_skipped_caller_task_gives_an_empty_string():
    assert iam_role_arn(dict(skipped=True, changed=False), "app") == ""


def test_anything_but_a_dict_is_refused():
    with pytest.raises(AnsibleFilterError):
        iam_role_arn("123456789012", "app")


def test_the_filter_is_registered():
    assert FilterModule().filters()["iam_role_arn"] is iam_role_arn
