"""reading: every page of a list call, and the one resource of a describe call or None."""

import boto3
from botocore.stub import Stubber

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described
from ansible_collections.storagekit.aws.plugins.module_utils.reading import first_described


def efs_client():
    return boto3.client("efs", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


class Retrying:
    """A client whose calls accept aws_retry=True, as the clients made with retry_decorator do."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        call = getattr(self._client, name)
        return lambda aws_retry=False, **kwargs: call(**kwargs)


def mount_target(n):
    return dict(
        MountTargetId="fsmt-{0:08d}".format(n),
        FileSystemId="fs-12345678",
        SubnetId="subnet-12345678",
        LifeCycleState="available",
    )


def test_all_items_follows_the_next_key_sent_back_under_the_request_key():
    raw = efs_client()
    stubs = Stubber(raw)
    stubs.add_response(
        "describe_mount_targets", dict(MountTargets=[mount_target(1)], NextMarker="m2"), dict(FileSystemId="fs-12345678")
    )
    stubs.add_response(
        "describe_mount_targets", dict(MountTargets=[mount_target(2)]), dict(FileSystemId="fs-12345678", Marker="m2")
    )
    with stubs:
        items = all_items(Retrying(raw).describe_mount_targets, "MountTargets", "NextMarker", "Marker", FileSystemId="fs-12345678")
    stubs.assert_no_pending_responses()
    assert [t["MountTargetId"] for t in items] == ["fsmt-00000001", "fsmt-00000002"]


def test_described_is_none_on_the_not_found_code_and_first_described_on_an_empty_list():
    raw = efs_client()
    stubs = Stubber(raw)
    stubs.add_client_error("describe_access_points", "AccessPointNotFound", expected_params=dict(AccessPointId="fsap-1"))
    stubs.add_response("describe_access_points", dict(AccessPoints=[]), dict(AccessPointId="fsap-2"))
    stubs.add_response("describe_file_systems", dict(FileSystems=[]), dict(CreationToken="t"))
    client = Retrying(raw)
    with stubs:
        assert described(client.describe_access_points, "AccessPoints", "AccessPointNotFound", AccessPointId="fsap-1") is None
        assert first_described(client.describe_access_points, "AccessPoints", "AccessPointNotFound", AccessPointId="fsap-2") is None
        assert described(client.describe_file_systems, "FileSystems", "FileSystemNotFound", CreationToken="t") == []
    stubs.assert_no_pending_responses()
