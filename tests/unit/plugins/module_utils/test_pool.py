"""pool: at most ``parallelism`` items at a time, one result or error per item, one wait for all items."""

import threading

import botocore.exceptions
import pytest

from ansible_collections.storagekit.aws.plugins.module_utils import pool


class Exited(Exception):
    pass


class FakeModule:
    check_mode = False
    _diff = True
    region = "us-east-1"

    def __init__(self):
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)

    def fail_json(self, **values):
        raise Exited(dict(values, failed=True))

    def exit_json(self, **values):
        raise Exited(values)


SPEC = dict(name=dict(type="str", required=True), size=dict(type="int", default=1))


def items(count, module=None):
    return pool.validated_items(
        module or FakeModule(), [dict(name="t%d" % i) for i in range(count)], SPEC, lambda params: params["name"]
    )


@pytest.mark.parametrize("parallelism", [1, 3, 10])
def test_never_more_than_parallelism_items_at_once(parallelism):
    lock = threading.Condition()
    state = dict(active=0, highest=0)

    def work(item):
        with lock:
            state["active"] += 1
            state["highest"] = max(state["highest"], state["active"])
            lock.notify_all()
            # Hold the slot until the pool is full (or a moment has passed), so a loose bound would show.
            lock.wait_for(lambda: state["active"] >= parallelism, timeout=0.5)
        with lock:
            state["active"] -= 1
        return item.name.upper()

    listed = items(25)
    pool.run_step(listed, work, parallelism)
    assert state["highest"] == parallelism
    assert [item.value for item in listed] == ["T%d" % i for i in range(25)]


def test_each_item_keeps_its_own_error_and_the_others_their_results():
    def work(item):
        if item.name == "t1":
            item.module.fail_json(msg="t1 refused")
        if item.name == "t2":
            raise botocore.exceptions.ClientError(dict(Error=dict(Code="AccessDenied", Message="no")), "DescribeTable")
        if item.name == "t3":
            raise KeyError("bug")
        return dict(changed=item.name == "t4", diff=dict(before={}, after={}))

    listed = items(5)
    pool.run_step(listed, work, 3)
    assert [item.error is None for item in listed] == [True, False, False, False, True]
    assert listed[1].error == dict(msg="t1 refused")
    assert "AccessDenied" in listed[2].error["msg"] and listed[2].error["msg"].startswith("Failed to manage ")
    assert "exception" in listed[3].error
    with pytest.raises(Exited) as exited:
        pool.finish(FakeModule(), listed, "tables", "tables")
    result = exited.value.args[0]
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to manage 3 of 5 tables: t1 (t1 refused); t2 (")
    assert "t3 (" in result["msg"]
    assert [r["name"] for r in result["tables"]] == ["t0", "t1", "t2", "t3", "t4"]
    assert result["tables"][4]["changed"] is True and result["changed"] is True
    assert [d["before_header"] for d in result["diff"]] == ["t0", "t4"]


def test_a_failed_item_takes_no_further_step():
    listed = items(2)
    pool.run_step(listed, lambda item: item.module.fail_json(msg="no") if item.name == "t0" else 1)
    seen = []
    pool.run_step(listed, lambda item: seen.append(item.name))
    assert seen == ["t1"]


def test_check_and_diff_mode_are_the_runs_for_every_item():
    module = FakeModule()
    module.check_mode = True
    listed = items(3, module)
    pool.run_step(listed, lambda item: dict(changed=True, check=item.module.check_mode, diff_mode=item.module._diff), 2)
    assert [item.value for item in listed] == [dict(changed=True, check=True, diff_mode=True)] * 3


def test_invalid_items_fail_before_any_work_naming_each():
    with pytest.raises(Exited) as exited:
        pool.validated_items(FakeModule(), [dict(name="a", size="big"), dict(size=2), dict(name="a")], SPEC, str)
    msg = exited.value.args[0]["msg"]
    assert "item 0 (a)" in msg and "item 1 (no name)" in msg and "each name may appear once: a" in msg


def test_a_client_the_items_ask_for_is_made_once_for_all_of_them():
    module = FakeModule()
    made = []

    def client(service, retry_decorator=None, **extra):
        made.append(service)
        return object()

    module.client = client
    listed = items(5, module)
    pool.run_step(listed, lambda item: item.module.client("kms"), 5)
    assert made == ["kms"]
    assert len(set(id(item.value) for item in listed)) == 1


def test_run_checked_in_pool_takes_no_step_when_any_item_is_invalid_and_fails_naming_it():
    module = FakeModule()
    module.params = dict(parallelism=2)
    listed = items(3, module)
    stepped = []

    def validate(item):
        if item.name == "t1":
            item.module.fail_json(msg="bad size")

    with pytest.raises(Exited) as exited:
        pool.run_checked(module, listed, validate, pool.in_pool(module, lambda item: stepped.append(item.name)), "tables", "tables")
    assert stepped == []
    assert exited.value.args[0]["msg"] == "Failed to manage 1 of 3 tables: t1 (bad size)"


def test_run_checked_in_pool_steps_every_valid_item_in_the_pool():
    module = FakeModule()
    module.params = dict(parallelism=2)
    listed = items(3, module)
    with pytest.raises(Exited) as exited:
        pool.run_checked(module, listed, lambda item: None, pool.in_pool(module, lambda item: dict(changed=item.name == "t2")),
                         "tables", "tables")
    assert [r["changed"] for r in exited.value.args[0]["tables"]] == [False, False, True]


def test_run_list_validates_the_items_under_its_key_and_names_them_with_the_label():
    module = FakeModule()
    module.params = dict(parallelism=2, tables=[dict(name="t0"), dict(name="t1", size=3)])
    with pytest.raises(Exited) as exited:
        pool.run_list(module, "tables", SPEC, "table {0}", "tables", lambda item: None,
                      pool.in_pool(module, lambda item: dict(changed=True, label=item.label, size=item.module.params["size"])))
    assert exited.value.args[0]["tables"] == [
        dict(changed=True, label="table t0", size=1, name="t0"),
        dict(changed=True, label="table t1", size=3, name="t1"),
    ]


def test_run_list_refuses_a_parallelism_below_one():
    module = FakeModule()
    module.params = dict(parallelism=0, tables=[dict(name="t0")])
    with pytest.raises(Exited) as exited:
        pool.run_list(module, "tables", SPEC, "table {0}", "tables", lambda item: None, pool.in_pool(module, lambda item: None))
    assert exited.value.args[0]["msg"] == "parallelism must be 1 or more."


def test_items_get_the_defaults_of_the_spec():
    listed = items(1)
    assert listed[0].module.params == dict(name="t0", size=1)


def test_one_wait_for_all_items_sleeps_once_a_round(monkeypatch):
    clock = dict(now=0.0, sleeps=[])

    def sleep(seconds):
        clock["sleeps"].append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(pool.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(pool.time, "sleep", sleep)
    ready_at = dict(t0=0, t1=3, t2=5, t3=1000)
    listed = items(4)
    reads = []

    def read(item):
        reads.append(item.name)
        return clock["now"] >= ready_at[item.name]

    pool.wait_all(listed, read, bool, lambda item: 10, lambda item: "table " + item.name, 4)
    assert clock["sleeps"] == [1.0, 1.0, 1.0, 1.0, 1.0, 1.25, 1.5625, 1.953125]
    assert reads.count("t0") == 1 and reads.count("t1") == 4 and reads.count("t2") == 6
    assert [item.error is None for item in listed] == [True, True, True, False]
    assert listed[3].error == dict(msg="Timed out after 10 seconds waiting for table t3.")
