"""The right-sizing rules: down-size, up-size and keep, from hourly series; the class ladder; percentiles."""

import pytest

from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import DEFAULT_RULES
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import GIB
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import monthly_price
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import percentile
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import step
from ansible_collections.storagekit.aws.plugins.module_utils.rds_rightsizing import suggest

HOURS = 14 * 24


def series(cpu, free_gib, connections=10):
    return dict(cpu=[cpu] * HOURS, free_memory=[free_gib * GIB] * HOURS, connections=[connections] * HOURS)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 95) == 95
    assert percentile(values, 5) == 5
    assert percentile([], 95) is None


def test_steps_stay_in_the_family():
    assert step("db.r6g.xlarge", -1) == "db.r6g.large"
    assert step("db.r6g.large", -1) is None
    assert step("db.t4g.medium", +1) == "db.t4g.large"
    assert step("db.x2g.large", +1) is None


@pytest.mark.parametrize("cls, data, action, suggested", [
    ("db.r6g.xlarge", series(cpu=8, free_gib=24), "down-size", "db.r6g.large"),
    ("db.t4g.medium", series(cpu=91, free_gib=2), "up-size", "db.t4g.large"),
    ("db.t4g.medium", series(cpu=30, free_gib=0.2), "up-size", "db.t4g.large"),  # memory pressure alone
    ("db.m6g.large", series(cpu=45, free_gib=3), "keep", "db.m6g.large"),
    ("db.m6g.large", series(cpu=8, free_gib=2), "keep", "db.m6g.large"),  # idle CPU, but memory is used
    ("db.t4g.micro", series(cpu=5, free_gib=0.8), "keep", "db.t4g.micro"),  # nothing smaller
])
def test_rules(cls, data, action, suggested):
    got_action, got_class, reasons, stats = suggest(cls, data, DEFAULT_RULES)
    assert (got_action, got_class) == (action, suggested), reasons
    assert stats["hours"] == HOURS


def test_a_short_spike_does_not_up_size():
    data = series(cpu=10, free_gib=24)
    data["cpu"][:10] = [99] * 10  # 10 of 336 hours: below the 95th percentile
    assert suggest("db.r6g.xlarge", data, DEFAULT_RULES)[0] == "down-size"


def test_too_little_data_keeps():
    data = dict(cpu=[5] * 10, free_memory=[30 * GIB] * 10, connections=[])
    action, reasons = suggest("db.r6g.xlarge", data, DEFAULT_RULES)[::2]
    assert action == "keep"
    assert "fewer than 24" in reasons[0]


def test_prices_come_from_the_price_table():
    assert monthly_price("us-east-1", "db.r6g.xlarge", False) == round(0.45 * 730, 2)
    assert monthly_price("us-east-1", "db.r6g.xlarge", True) == round(0.9 * 730, 2)
    assert monthly_price("us-east-1", "db.x2g.large", False) is None
