"""efs_access_point: the exact EFS API calls of create, no-change, tag, recreate, check mode and delete runs."""

from ansible_collections.storagekit.aws.plugins.modules import efs_access_point

FS_ID = "fs-0123456789abcdef0"
AP_ID = "fsap-0123456789abcdef0"
NEW_AP_ID = "fsap-0fedcba9876543210"
NAME = "grafana"

ARGS = dict(
    file_system_id=FS_ID,
    name=NAME,
    posix_user=dict(uid=1000, gid=1000, secondary_gids=[2000, 3000]),
    root_directory=dict(path="/apps/grafana", creation_info=dict(owner_uid=1000, owner_gid=1000, permissions="0750")),
    tags=dict(team="observability"),
)
POSIX_USER = dict(Uid=1000, Gid=1000, SecondaryGids=[2000, 3000])
ROOT_DIRECTORY = dict(Path="/apps/grafana", CreationInfo=dict(OwnerUid=1000, OwnerGid=1000, Permissions="0750"))


def access_point(access_point_id=AP_ID, state="available", tags=None, **extra):
    tags = dict(Name=NAME, team="observability") if tags is None else tags
    raw = dict(
        ClientToken=NAME,
        Name=tags.get("Name"),
        Tags=[dict(Key=k, Value=v) for k, v in tags.items()],
        AccessPointId=access_point_id,
        AccessPointArn="arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/" + access_point_id,
        FileSystemId=FS_ID,
        PosixUser=POSIX_USER,
        RootDirectory=ROOT_DIRECTORY,
        OwnerId="123456789012",
        LifeCycleState=state,
    )
    raw.update(extra)
    return dict((k, v) for k, v in raw.items() if v is not None)


def expect_list(stubs, points):
    stubs["efs"].add_response("describe_access_points", dict(AccessPoints=points), dict(FileSystemId=FS_ID))


def expect_one(stubs, point, access_point_id=AP_ID):
    if point is None:
        stubs["efs"].add_client_error(
            "describe_access_points",
            "AccessPointNotFound",
            http_status_code=404,
            expected_params=dict(AccessPointId=access_point_id),
        )
    else:
        stubs["efs"].add_response("describe_access_points", dict(AccessPoints=[point]), dict(AccessPointId=access_point_id))


def expect_create(stubs, response):
    stubs["efs"].add_response(
        "create_access_point",
        response,
        dict(
            ClientToken=NAME,
            FileSystemId=FS_ID,
            Tags=[dict(Key="team", Value="observability"), dict(Key="Name", Value=NAME)],
            PosixUser=POSIX_USER,
            RootDirectory=ROOT_DIRECTORY,
        ),
    )


def test_create_sends_every_setting_and_waits_until_available(stubs, run_module):
    expect_list(stubs, [])
    expect_create(stubs, access_point(state="creating"))
    expect_one(stubs, access_point())
    result = run_module(efs_access_point, ARGS)
    assert result["changed"] is True
    assert result["access_point_id"] == AP_ID
    point = result["access_point"]
    assert point["life_cycle_state"] == "available"
    assert point["posix_user"] == dict(uid=1000, gid=1000, secondary_gids=[2000, 3000])
    assert point["root_directory"]["creation_info"]["permissions"] == "0750"
    assert point["tags"] == dict(Name=NAME, team="observability")


def test_the_access_point_another_run_created_meanwhile_is_adopted(stubs, run_module):
    """Both runs listed none; the second create with the same ClientToken is refused (AccessPointAlreadyExists)."""
    expect_list(stubs, [])
    stubs["efs"].add_client_error(
        "create_access_point", "AccessPointAlreadyExists", http_status_code=409,
        expected_params=dict(
            ClientToken=NAME, FileSystemId=FS_ID,
            Tags=[dict(Key="team", Value="observability"), dict(Key="Name", Value=NAME)],
            PosixUser=POSIX_USER, RootDirectory=ROOT_DIRECTORY,
        ),
    )
    expect_list(stubs, [access_point(state="creating")])
    expect_one(stubs, access_point())
    result = run_module(efs_access_point, ARGS)
    assert result["access_point_id"] == AP_ID
    assert result["access_point"]["life_cycle_state"] == "available"


def test_no_change_run_lists_once_and_writes_nothing(stubs, run_module):
    other = access_point("fsap-0aaaaaaaaaaaaaaaa", tags=dict(Name="loki"), ClientToken="loki")
    expect_list(stubs, [other, access_point()])
    # Same settings written differently: gids in another order, permissions without the leading 0.
    args = dict(
        ARGS,
        posix_user=dict(uid=1000, gid=1000, secondary_gids=[3000, 2000]),
        root_directory=dict(path="/apps/grafana", creation_info=dict(owner_uid=1000, owner_gid=1000, permissions="750")),
    )
    result = run_module(efs_access_point, args, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["access_point_id"] == AP_ID


def test_an_access_point_made_elsewhere_is_found_by_its_name_tag(stubs, run_module):
    expect_list(stubs, [access_point(ClientToken="console-6f1c2f7e")])
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME))
    assert result["changed"] is False
    assert result["access_point_id"] == AP_ID


def test_tags_are_the_only_thing_changed_in_place(stubs, run_module):
    expect_list(stubs, [access_point(tags=dict(Name=NAME, team="old", stale="x"))])
    efs = stubs["efs"]
    efs.add_response("untag_resource", {}, dict(ResourceId=AP_ID, TagKeys=["stale"]))
    efs.add_response("tag_resource", {}, dict(ResourceId=AP_ID, Tags=[dict(Key="team", Value="observability")]))
    result = run_module(efs_access_point, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == dict(tags=dict(Name=NAME, team="observability"))
    assert result["access_point"]["tags"] == dict(Name=NAME, team="observability")


def test_check_mode_tag_change_makes_no_write(stubs, run_module):
    expect_list(stubs, [access_point(tags=dict(Name=NAME))])
    result = run_module(efs_access_point, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["access_point"]["tags"] == dict(Name=NAME, team="observability")


def test_a_changed_setting_fails_before_any_write_without_recreate(stubs, run_module):
    expect_list(stubs, [access_point()])
    args = dict(ARGS, posix_user=dict(uid=1001, gid=1000))
    result = run_module(efs_access_point, args, expect_failure=True)
    assert "posix_user.uid differ" in result["msg"]
    assert "recreate=true" in result["msg"]


def test_recreate_deletes_waits_until_gone_then_creates(stubs, run_module):
    old = access_point(RootDirectory=dict(Path="/apps/old"))
    expect_list(stubs, [old])
    efs = stubs["efs"]
    efs.add_response("delete_access_point", {}, dict(AccessPointId=AP_ID))
    expect_one(stubs, access_point(state="deleting", RootDirectory=dict(Path="/apps/old")))
    expect_one(stubs, None)
    expect_create(stubs, dict(access_point(NEW_AP_ID), ResponseMetadata=dict(HTTPStatusCode=200)))
    result = run_module(efs_access_point, dict(ARGS, recreate=True), diff=True)
    assert result["changed"] is True
    assert result["access_point_id"] == NEW_AP_ID
    assert "response_metadata" not in result["access_point"]
    assert result["diff"]["before"]["access_point"]["root_directory"] == dict(path="/apps/old")
    assert result["diff"]["after"]["access_point"]["root_directory"]["path"] == "/apps/grafana"


def test_check_mode_create_makes_no_write_and_predicts_the_access_point(stubs, run_module):
    expect_list(stubs, [])
    result = run_module(efs_access_point, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert "access_point_id" not in result
    assert result["access_point"]["posix_user"]["uid"] == 1000
    assert result["diff"]["after"]["access_point"]["state"] == "present"


def test_create_without_wait_returns_the_creating_access_point(stubs, run_module):
    expect_list(stubs, [])
    stubs["efs"].add_response(
        "create_access_point",
        access_point(state="creating", tags=dict(Name=NAME), PosixUser=None, RootDirectory=None),
        dict(ClientToken=NAME, FileSystemId=FS_ID, Tags=[dict(Key="Name", Value=NAME)]),
    )
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME, wait=False))
    assert result["access_point"]["life_cycle_state"] == "creating"


def test_bad_options_fail_before_any_call(stubs, run_module):
    args = dict(
        ARGS,
        root_directory=dict(path="apps", creation_info=dict(owner_uid=-1, owner_gid=1000, permissions="rwx")),
    )
    result = run_module(efs_access_point, args, expect_failure=True)
    assert "root_directory.path must be absolute" in result["msg"]
    assert "permissions must be 3 or 4 octal digits" in result["msg"]
    assert "owner_uid must be from 0" in result["msg"]
    assert stubs.clients == {}


def test_two_access_points_with_the_name_tag_are_refused(stubs, run_module):
    expect_list(stubs, [access_point(ClientToken="a"), access_point(NEW_AP_ID, ClientToken="b")])
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME), expect_failure=True)
    assert "More than one access point" in result["msg"]


def test_delete_waits_until_gone(stubs, run_module):
    expect_list(stubs, [access_point()])
    stubs["efs"].add_response("delete_access_point", {}, dict(AccessPointId=AP_ID))
    expect_one(stubs, None)
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME, state="absent"))
    assert result["changed"] is True
    assert result["access_point"] == {}


def test_check_mode_delete_and_delete_of_a_missing_access_point(stubs, run_module):
    expect_list(stubs, [access_point()])
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME, state="absent"), check_mode=True)
    assert result["changed"] is True
    expect_list(stubs, [])
    result = run_module(efs_access_point, dict(file_system_id=FS_ID, name=NAME, state="absent"))
    assert result["changed"] is False
