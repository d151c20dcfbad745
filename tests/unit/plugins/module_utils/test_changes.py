"""ChangeSet: writes run only outside check mode; the diff holds every changed facet."""

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_found


class FakeModule:
    def __init__(self, check_mode, diff):
        self.check_mode = check_mode
        self._diff = diff


def test_writes_run_outside_check_mode_and_return_their_value():
    changes = ChangeSet(FakeModule(check_mode=False, diff=True))
    assert changes.apply("tags", dict(a="1"), dict(a="2"), lambda: "written") == "written"
    assert changes.result(table=dict(name="t")) == dict(
        changed=True, table=dict(name="t"), diff=dict(before=dict(tags=dict(a="1")), after=dict(tags=dict(a="2")))
    )


def test_check_mode_records_the_change_but_never_writes():
    calls = []
    changes = ChangeSet(FakeModule(check_mode=True, diff=False))
    assert changes.apply("pitr", False, True, lambda: calls.append("write")) is None
    assert calls == []
    assert not changes.writes_allowed
    assert changes.result() == dict(changed=True)


def test_nothing_applied_is_unchanged_with_an_empty_diff():
    assert ChangeSet(FakeModule(check_mode=False, diff=True)).result() == dict(changed=False, diff=dict(before={}, after={}))


class TagModule(FakeModule):
    def __init__(self, tags, purge_tags=True):
        super().__init__(check_mode=False, diff=False)
        self.params = dict(tags=tags, purge_tags=purge_tags)


def test_apply_tag_options_reads_nothing_when_tags_are_unset():
    def read():
        raise AssertionError("read without O(tags)")

    changes = ChangeSet(TagModule(None))
    assert apply_tag_options(TagModule(None), changes, read, None, None) is None
    assert not changes.changed


def test_apply_tag_options_uses_tags_and_purge_tags():
    calls = []
    module = TagModule(dict(team="data"), purge_tags=False)
    changes = ChangeSet(module)
    after = apply_tag_options(module, changes, lambda: dict(env="prod"), calls.append, calls.append)
    assert after == dict(env="prod", team="data")
    assert calls == [dict(team="data")]


def test_apply_tag_options_replaces_the_whole_set_in_one_call_when_the_service_does():
    calls = []
    changes = ChangeSet(TagModule(dict(team="data"), purge_tags=False))
    after = apply_tag_options(changes.module, changes, lambda: dict(env="prod", team="web"), replace=calls.append)
    assert after == dict(env="prod", team="data")
    assert calls == [dict(env="prod", team="data")]


def test_remove_found_changes_nothing_when_nothing_is_found():
    def delete(*args):
        raise AssertionError("delete without a resource")

    assert remove_found(FakeModule(check_mode=False, diff=False), "table", None, delete) == dict(changed=False, table={})


def test_remove_found_deletes_what_is_found_and_adds_its_values():
    module = FakeModule(check_mode=True, diff=False)

    def delete(module_, changes, found, client):
        assert (module_, found, client) == (module, "raw", "client")
        changes.apply("table", found, None, lambda: None)
        return dict(final_snapshot_identifier="snap")

    assert remove_found(module, "table", "raw", delete, "client") == dict(changed=True, table={}, final_snapshot_identifier="snap")
