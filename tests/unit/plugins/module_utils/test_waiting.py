"""wait_until: backs off from one second, returns the last read, fails with a clear message."""

import pytest

from ansible_collections.storagekit.aws.plugins.module_utils import waiting


class Failed(Exception):
    pass


class FakeModule:
    def fail_json(self, msg):
        raise Failed(msg)


@pytest.fixture
def clock(monkeypatch):
    state = dict(now=0.0, sleeps=[])

    def sleep(seconds):
        state["sleeps"].append(seconds)
        state["now"] += seconds

    monkeypatch.setattr(waiting.time, "monotonic", lambda: state["now"])
    monkeypatch.setattr(waiting.time, "sleep", sleep)
    return state


def test_returns_the_first_ready_value_with_growing_delays(clock):
    values = iter(["CREATING", "CREATING", "CREATING", "ACTIVE"])
    assert waiting.wait_until(FakeModule(), lambda: next(values), lambda v: v == "ACTIVE", 60, "x") == "ACTIVE"
    assert clock["sleeps"] == [1.0, 2.0, 4.0]


def test_delay_is_capped(clock):
    values = iter(["CREATING"] * 8 + ["ACTIVE"])
    waiting.wait_until(FakeModule(), lambda: next(values), lambda v: v == "ACTIVE", 600, "x")
    assert max(clock["sleeps"]) == waiting.MAX_DELAY


def test_times_out_without_sleeping_past_the_deadline(clock):
    with pytest.raises(Failed, match="Timed out after 10 seconds waiting for table t"):
        waiting.wait_until(FakeModule(), lambda: "CREATING", lambda v: False, 10, "table t")
    assert clock["now"] <= 10
