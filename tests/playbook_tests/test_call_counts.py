"""A no-change run of a reference playbook that has no Molecule scenario makes no more AWS calls than recorded.

The playbooks with a scenario (web_app_stack, serverless_app, eks_platform_storage) are counted in their
scenario's idempotence run (extensions/molecule/shared/call_counts.py), which converges them anyway; this test
does the same for the others: converge once against the local endpoint, run again, and compare the second run's
calls, from the endpoint's request log, with tests/playbook_tests/call_counts.json (plus 10 %). The counts are
deterministic (no faults, no latency), so a rise means a module or role reads more than it used to.

Re-record after a change that lowers (or knowingly raises) the counts:

    STORAGEKIT_RECORD_CALL_COUNTS=1 .venv/bin/python -m pytest -p no:cacheprovider tests/playbook_tests/test_call_counts.py
    STORAGEKIT_RECORD_CALL_COUNTS=1 tests/molecule.sh web_app_stack serverless_app eks_platform_storage

which rewrites call_counts.json with each playbook's total, reads, writes, calls by operation and wall time
(the wall time is for information; only the total is checked).
"""

import importlib.util
import json
import os
import re
import subprocess
import time

import pytest

from .conftest import BIN, DEAD_LOOPBACK, REPO

pytestmark = pytest.mark.newest_line_only

RECORDING = os.environ.get("STORAGEKIT_RECORD_CALL_COUNTS") == "1"


def _load_call_counts():
    """The scenarios' call counting (extensions/molecule/shared/call_counts.py): one comparison for both."""
    spec = importlib.util.spec_from_file_location(
        "call_counts", REPO / "extensions" / "molecule" / "shared" / "call_counts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


call_counts = _load_call_counts()


def reference_vars(name):
    """The extra variables of each reference playbook's run (besides its endpoint)."""
    return {
        "static_website": {
            "static_website_domain": "www.calls.example",
            "static_website_hosted_zone": "calls.example",
            "static_website_site_dir": str(REPO / "tests" / "demo_site"),
        },
    }[name]


def run_playbook(collections_path, endpoint, name, extra_vars):
    """ansible-playbook storagekit.aws.<name> against ``endpoint``; (seconds, recap counts)."""
    assert endpoint.startswith("http://127.0.0.1:")
    extra = dict(extra_vars, ansible_python_interpreter="{{ ansible_playbook_python }}")
    extra[name + "_aws_endpoint_url"] = endpoint
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", AWS_ENDPOINT_URL=DEAD_LOOPBACK)
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "ansible-playbook"), "storagekit.aws." + name, "-i", "localhost,", "-c", "local",
         "-e", json.dumps(extra)],
        capture_output=True, text=True, env=env, check=False,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    line = re.search(r"^localhost\s*:(.*)$", result.stdout, re.MULTILINE)
    return seconds, {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(1))}


@pytest.fixture
def prepared(request, aws, boto3_client):
    """What a playbook needs before it runs (its hosted zone); its extra variables."""
    name = request.param
    extra = reference_vars(name)
    if name == "static_website":
        # The site's hosted zone stands in for one the user already has.
        boto3_client("route53").create_hosted_zone(Name="calls.example", CallerReference="calls")
    return name, extra


@pytest.mark.parametrize("prepared", ["static_website"], indirect=True)
def test_no_change_run_makes_no_more_calls_than_recorded(prepared, aws, collections_path):
    name, extra = prepared
    run_playbook(collections_path, aws.url, name, extra)
    before = aws.requests()["summary"]["last_seq"] or 0
    seconds, recap = run_playbook(collections_path, aws.url, name, extra)
    entry = call_counts.entry_of(aws.requests(since=before)["summary"], seconds)
    assert recap["changed"] == 0 and entry["writes"] == 0, (recap, entry["by_operation"])
    if RECORDING:
        call_counts.record(name, entry)
        return
    assert call_counts.excess(name, entry) is None, call_counts.excess(name, entry)
