"""API calls and wall time of the serverless reference playbook: first run, no-change run, check run.

Counts come from the local endpoint's request log, so they are what the playbook sent, not an
estimate. Usage: .venv/bin/python benchmarks/role_api_calls.py [--latency SECONDS] [--runs N]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from storagekit_local_aws import LocalAWS

REPO = Path(__file__).resolve().parents[1]


def run_playbook(endpoint, *extra):
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
    command = [
        str(Path(sys.executable).parent / "ansible-playbook"),
        "storagekit.aws.serverless_app",
        "-e", "serverless_app_aws_endpoint_url=" + endpoint,
        "-e", "serverless_app_name=bench",
    ] + list(extra)
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds a new table stays CREATING")
    args = parser.parse_args()
    rows = []
    with LocalAWS() as endpoint:
        assert urlparse(endpoint.url).hostname == "127.0.0.1"
        endpoint.configure(latency_seconds=args.latency)
        for label, extra in (("first run", ()), ("no-change run", ()), ("check mode, no change", ("--check",))):
            endpoint.clear_requests()
            seconds = run_playbook(endpoint.url, *extra)
            summary = endpoint.requests()["summary"]
            ours = dict((k, v) for k, v in summary["by_operation"].items() if not k.startswith("kms:"))
            rows.append(dict(run=label, seconds=round(seconds, 2), reads=summary["reads"], writes=summary["writes"],
                             dynamodb_and_autoscaling_calls=ours, kms_calls=summary["total"] - sum(ours.values())))
    print(json.dumps(dict(latency_seconds=args.latency, runs=rows), indent=2))


if __name__ == "__main__":
    main()
