"""API calls and wall time of a stack's 39 CloudWatch alarms: amazon.aws.cloudwatch_metric_alarm, one task per
alarm, against storagekit.aws.cloudwatch_alarms, one task for all; a first run and a no-change run of each.

Counts come from the local endpoint's request log. Usage: .venv/bin/python benchmarks/cloudwatch_alarms.py
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from storagekit_local_aws import LocalAWS

REPO = Path(__file__).resolve().parents[1]


def run_playbook(endpoint, module):
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(REPO / ".venv" / "collections"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_ENDPOINT_URL=endpoint,
    )
    env.pop("AWS_PROFILE", None)
    command = [str(Path(sys.executable).parent / "ansible-playbook"), str(REPO / "benchmarks/files/alarms_bench.yml"),
               "-e", "endpoint=" + endpoint, "-e", "module=" + module]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.monotonic() - started


def main():
    rows = []
    with LocalAWS() as endpoint:
        assert urlparse(endpoint.url).hostname == "127.0.0.1"
        for module in ("stock", "ours"):
            endpoint.reset()
            for label in ("first run", "no-change run"):
                endpoint.clear_requests()
                seconds = run_playbook(endpoint.url, module)
                summary = endpoint.requests()["summary"]
                rows.append(dict(module=module, run=label, seconds=round(seconds, 1), reads=summary["reads"],
                                 writes=summary["writes"], calls=summary["by_operation"]))
    print(json.dumps(dict(load_average=os.getloadavg()[0], runs=rows), indent=2))


if __name__ == "__main__":
    main()
