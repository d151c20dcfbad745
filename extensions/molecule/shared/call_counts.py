"""A no-change run of a reference playbook makes no more AWS calls than recorded (plus 10 %).

Molecule's idempotence step runs the scenario's converge again on the converged stack. Its last play calls
this script with the request-log position where the run began: a run that wrote something (the first converge)
is not compared; a run with zero writes (the idempotence run) is compared with
tests/playbook_tests/call_counts.json, which also holds the counts of the playbooks that have no scenario
(tests/playbook_tests/test_call_counts.py).

    call_counts.py ENDPOINT SINCE PLAYBOOK SECONDS first|rerun

A rerun (the scenario converged before: Molecule's idempotence run) must not write at all: any write fails it.

With STORAGEKIT_RECORD_CALL_COUNTS=1 the run's counts are written to the file instead of compared. The counts
are deterministic (no faults, no latency in scenarios), so a rise means a module or role reads more than it did.
"""

import json
import os
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

RECORDED = Path(__file__).resolve().parents[3] / "tests" / "playbook_tests" / "call_counts.json"
MARGIN = 1.10


def run_summary(endpoint, since):
    """The request log's summary of the calls after position ``since``."""
    if urlparse(endpoint).hostname != "127.0.0.1":
        sys.exit("refusing to read anything but the local endpoint on 127.0.0.1: " + endpoint)
    with urllib.request.urlopen("{0}/_local_aws/requests?since={1}".format(endpoint.rstrip("/"), since), timeout=30) as reply:
        return json.load(reply)["summary"]


def entry_of(summary, seconds):
    return dict(total=summary["total"], reads=summary["reads"], writes=summary["writes"], seconds=round(seconds, 1),
                by_operation=dict(sorted(summary["by_operation"].items())))


def record(playbook, entry):
    counts = json.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    counts[playbook] = entry
    RECORDED.write_text(json.dumps(dict(sorted(counts.items())), indent=2) + "\n")


def excess(playbook, entry):
    """None when the run is within the recorded total plus the margin, else what to tell the user."""
    recorded = json.loads(RECORDED.read_text())[playbook]
    limit = int(recorded["total"] * MARGIN)
    if entry["total"] <= limit:
        return None
    more = {op: (recorded["by_operation"].get(op, 0), count) for op, count in entry["by_operation"].items()
            if count > recorded["by_operation"].get(op, 0)}
    return ("{0}: a no-change run made {1} calls, recorded {2} (limit {3}); more than recorded (recorded, now): {4}. "
            "If that is intended, re-record: STORAGEKIT_RECORD_CALL_COUNTS=1 tests/molecule.sh SCENARIO".format(
                playbook, entry["total"], recorded["total"], limit, more))


def main(endpoint, since, playbook, seconds, run="first"):
    entry = entry_of(run_summary(endpoint, int(since)), float(seconds))
    if entry["writes"] and run == "rerun":
        print("{0}: the rerun of a converged stack wrote {1} times: {2}".format(
            playbook, entry["writes"], entry["by_operation"]))
        return 1
    if entry["writes"]:
        print("{0}: this run wrote ({1} writes), so it is not a no-change run: not compared".format(playbook, entry["writes"]))
        return 0
    if os.environ.get("STORAGEKIT_RECORD_CALL_COUNTS") == "1":
        record(playbook, entry)
        print("{0}: recorded {1} calls".format(playbook, entry["total"]))
        return 0
    problem = excess(playbook, entry)
    if problem:
        print(problem)
        return 1
    print("{0}: a no-change run made {1} calls ({2} reads), within the recorded {3} plus 10 %".format(
        playbook, entry["total"], entry["reads"], json.loads(RECORDED.read_text())[playbook]["total"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
