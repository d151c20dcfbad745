"""The reference playbooks under throttling: 20 % of all AWS calls answered with the service's throttling error.

Each playbook converges on a clean endpoint and, after a reset, on one that throttles; both end in the same
state (a read-back of every resource the playbook makes, with ids and timestamps normalized). A second run
under throttling changes nothing and sends no write.

The clean run is converge_clean's: test_destroy makes it before destroying the stack, in the same xdist group, so
that this test only converges it itself when run without it.
"""

import json
import time

import pytest

from .conftest import STACK_NAMES, ansible_playbook, reference_vars
from .read_back import differences, read_back

FAULTS = {"fault_rate": 0.2, "fault_seed": 16, "fault_kinds": ["throttle"], "fault_operations": None}


def converge(aws, collections_path, playbook):
    """ansible-playbook storagekit.aws.<playbook> against the endpoint with converge_clean's variables; (the json
    callback's stats, requests)."""
    since = aws.requests()["summary"]["last_seq"] or 0
    started = time.monotonic()
    variables = reference_vars(playbook, aws.url, **{f"{playbook}_name": STACK_NAMES[playbook]})
    result = ansible_playbook(f"storagekit.aws.{playbook}", collections_path, "ansible.builtin.json",
                              "-e", json.dumps(variables))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    print(playbook, f"{time.monotonic() - started:.1f} s", flush=True)
    return json.loads(result.stdout)["stats"]["localhost"], aws.requests(since=since)["requests"]


@pytest.mark.newest_line_only
@pytest.mark.parametrize("playbook", [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in sorted(STACK_NAMES)])
def test_converges_under_throttling_to_the_state_of_a_clean_run(aws, boto3_client, collections_path, clean_read_backs,
                                                                converge_clean, playbook):
    started = time.monotonic()
    if playbook not in clean_read_backs:  # no test converged it on this worker before
        converge_clean(playbook)
    clean = clean_read_backs[playbook]

    aws.reset()
    aws.configure(**FAULTS)
    stats, requests = converge(aws, collections_path, playbook)
    throttled = [r for r in requests if r["fault"]]
    assert stats["failures"] == 0 and stats["changed"] > 0
    assert len(throttled) >= 0.1 * len(requests), "the endpoint throttled too little to prove anything"
    assert len({r["service"] for r in throttled}) >= 3, throttled

    stats, requests = converge(aws, collections_path, playbook)
    assert stats["changed"] == 0
    assert [r for r in requests if r["fault"]], "the no-change run was not throttled"
    assert [f"{r['service']}:{r['operation']}" for r in requests if r["write"]] == []

    aws.configure(fault_rate=0)
    assert differences(clean, read_back(boto3_client, STACK_NAMES[playbook])) == []
    print(f"{playbook}: {time.monotonic() - started:.0f} s")
