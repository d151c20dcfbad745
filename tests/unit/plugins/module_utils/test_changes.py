"""ChangeSet: writes run only outside check mode; the diff holds every changed facet."""

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet


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
