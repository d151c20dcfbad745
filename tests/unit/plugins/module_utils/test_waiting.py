"""wait_until: polls every second at first, then a quarter of the time waited; returns the last read; fails clearly."""

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


def test_returns_the_first_ready_value_polling_every_second_at_first(clock):
    values = iter(["CREATING"] * 6 + ["ACTIVE"])
    assert waiting.wait_until(FakeModule(), lambda: next(values), lambda v: v == "ACTIVE", 60, "x") == "ACTIVE"
    assert clock["sleeps"] == [1.0, 1.0, 1.0, 1.0, 1.0, 1.25]


@pytest.mark.parametrize("ready_after", [5, 7.5, 30, 100, 400])
def test_a_resource_is_seen_at_most_a_quarter_of_its_wait_late(clock, ready_after):
    waiting.wait_until(FakeModule(), lambda: clock["now"], lambda now: now >= ready_after, 900, "x")
    assert clock["now"] <= ready_after * 1.25


def test_first_delay_suits_the_resource(clock):
    values = iter(["creating"] * 2 + ["available"])
    waiting.wait_until(FakeModule(), lambda: next(values), lambda v: v == "available", 600, "x", first_delay=10)
    assert clock["sleeps"] == [10, 10]


def test_delay_is_capped(clock):
    values = iter(["CREATING"] * 40 + ["ACTIVE"])
    waiting.wait_until(FakeModule(), lambda: next(values), lambda v: v == "ACTIVE", 3600, "x")
    assert max(clock["sleeps"]) == waiting.MAX_DELAY


def test_times_out_without_sleeping_past_the_deadline(clock):
    with pytest.raises(Failed, match="Timed out after 10 seconds waiting for table t"):
        waiting.wait_until(FakeModule(), lambda: "CREATING", lambda v: False, 10, "table t")
    assert clock["now"] <= 10
