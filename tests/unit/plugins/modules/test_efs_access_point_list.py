"""efs_access_point access_points=: one DescribeAccessPoints per file system for all items, a result per item."""

from ansible_collections.storagekit.aws.plugins.modules import efs_access_point

from test_efs_access_point import AP_ID
from test_efs_access_point import ARGS
from test_efs_access_point import FS_ID
from test_efs_access_point import NAME
from test_efs_access_point import NEW_AP_ID
from test_efs_access_point import POSIX_USER
from test_efs_access_point import ROOT_DIRECTORY
from test_efs_access_point import access_point
from test_efs_access_point import expect_list

ITEM = dict((k, v) for k, v in ARGS.items() if k != "file_system_id")
LOKI = dict(ITEM, name="loki", tags=dict(team="observability"))


def expect_create_loki(stubs):
    stubs["efs"].add_response(
        "create_access_point",
        access_point(NEW_AP_ID, tags=dict(Name="loki", team="observability"), ClientToken="loki"),
        dict(ClientToken="loki", FileSystemId=FS_ID, Tags=[dict(Key="team", Value="observability"), dict(Key="Name", Value="loki")],
             PosixUser=POSIX_USER, RootDirectory=ROOT_DIRECTORY),
    )


def test_the_file_system_is_listed_once_for_all_items(stubs, run_module):
    expect_list(stubs, [access_point()])
    expect_create_loki(stubs)
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, access_points=[ITEM, LOKI], parallelism=1))
    assert result["changed"] is True
    assert [(r["name"], r["changed"], r["access_point_id"]) for r in result["access_points"]] == [
        (NAME, False, AP_ID), ("loki", True, NEW_AP_ID)]


def test_check_mode_is_exact_per_item_and_reads_only(stubs, run_module):
    expect_list(stubs, [access_point()])
    result = run_module(efs_access_point, dict(access_points=[dict(ITEM, file_system_id=FS_ID), dict(LOKI, file_system_id=FS_ID)]),
                        check_mode=True, diff=True)
    assert [r["changed"] for r in result["access_points"]] == [False, True]
    assert result["access_points"][1]["diff"]["after"]["access_point"]["state"] == "present"


def test_a_failed_item_does_not_hide_the_others(stubs, run_module):
    expect_list(stubs, [access_point()])
    stubs["efs"].add_client_error("create_access_point", "AccessPointLimitExceeded", http_status_code=403)
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, access_points=[ITEM, LOKI], parallelism=1),
                        expect_failure=True)
    assert "Failed to manage 1 of 2 EFS access points: loki" in result["msg"]
    assert result["access_points"][0]["changed"] is False and result["access_points"][0]["access_point_id"] == AP_ID
    assert result["access_points"][1]["failed"] is True


def test_invalid_items_fail_before_any_call(run_module):
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, access_points=[
        dict(ITEM, root_directory=dict(path="relative")), dict(name="x" * 65)]), expect_failure=True)
    assert "root_directory.path must be absolute" in result["msg"]
    assert "name must have 1 to 64 characters" in result["msg"]
