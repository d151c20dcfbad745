"""A reference playbook run through ansible-runner the way AWX / Automation Controller runs a job template.

AWX writes a private data directory (project/ with the project's files, inventory/hosts, env/extravars with the
job template's extra variables, env/envvars with what the credentials inject) and calls ansible_runner.run() on
it; the job's events and artifacts are what AWX shows. Here the project is docs/awx_project (the wrapper playbook
of storagekit.aws.serverless_app and its inventory line), the credential is a dummy AWS key pair, and the
playbook's endpoint variable points at the local endpoint.
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from ansible.release import __version__ as ansible_version

from .conftest import DEAD_LOOPBACK, REPO

ansible_runner = pytest.importorskip("ansible_runner", reason="ansible-runner is not installed (pip install ansible-runner)")

ANSIBLE_CORE = tuple(int(part) for part in ansible_version.split(".")[:2])
AWX_PROJECT = REPO / "docs" / "awx_project"
NAME = "sk-runner-sls"


def assert_local(url):
    assert urlparse(url).hostname == "127.0.0.1", f"not a local endpoint: {url}"


def private_data_dir(root, endpoint_url, collections_path):
    """The directory AWX prepares for a job: project, inventory, extra variables and environment."""
    project = root / "project"
    project.mkdir(parents=True)
    shutil.copy(AWX_PROJECT / "serverless_app.yml", project / "serverless_app.yml")
    (root / "inventory").mkdir()
    shutil.copy(AWX_PROJECT / "inventory" / "hosts", root / "inventory" / "hosts")
    (root / "env").mkdir()
    extravars = {
        "serverless_app_name": NAME,
        "serverless_app_aws_region": "us-east-1",
        "serverless_app_aws_endpoint_url": endpoint_url,
        "serverless_app_kms_key_pending_window": 7,
    }
    (root / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    envvars = {
        # What AWX's "Amazon Web Services" credential injects (dummy values: the endpoint is local).
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
        # Anything that ignored the playbook's endpoint variable would go here and fail, never to AWS.
        "AWS_ENDPOINT_URL": DEAD_LOOPBACK,
        # This venv's ansible-playbook, where an execution environment has its own on PATH.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "ANSIBLE_NOCOLOR": "1",
    }
    (root / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    return extravars


def test_serverless_app_runs_as_an_awx_job(aws, boto3_client, collections_path, tmp_path):
    assert_local(aws.url)
    root = tmp_path / "job"
    extravars = private_data_dir(root, aws.url, collections_path)
    assert_local(extravars["serverless_app_aws_endpoint_url"])

    result = ansible_runner.run(private_data_dir=str(root), playbook="serverless_app.yml", ident="1", quiet=True)

    events = list(result.events)
    stdout = result.stdout.read()
    assert (result.status, result.rc) == ("successful", 0), stdout[-5000:]

    stats = [e for e in events if e["event"] == "playbook_on_stats"]
    assert len(stats) == 1
    data = stats[0]["event_data"]
    assert data["failures"] == {} and data["dark"] == {}
    assert data["ok"]["localhost"] > 0 and data["changed"]["localhost"] > 0
    assert result.stats["failures"] == {}

    ok = [e["event_data"] for e in events if e["event"] == "runner_on_ok"]
    assert {e["host"] for e in ok} == {"localhost"}
    ok_tasks = {e["task"] for e in ok}
    playbook = yaml.safe_load((REPO / "playbooks" / "serverless_app.yml").read_text())[0]
    present = next(t for t in playbook["tasks"] if t.get("name") == "Create or update the storage")["block"]
    # Included roles and task files show up as their own tasks, not as one "ok" event of their own.
    included = ("ansible.builtin.include_role", "ansible.builtin.include_tasks")
    expected = {"Check the state"} | {t["name"] for t in present if not any(key in t for key in included)}
    # A templated name reaches the events rendered: "{{ serverless_app_size }}" is the size the job ran with.
    patterns = {re.sub(r"\\\{\\\{.*?\\\}\\\}", ".+", re.escape(name)) for name in expected}
    missing = {p for p in patterns if not any(re.fullmatch(p, task) for task in ok_tasks)}
    assert not missing, missing
    # The roles' tasks ran too: the tables and the buckets, through the collection's modules.
    resolved = {e["resolved_action"] for e in ok}
    assert {"storagekit.aws.dynamodb_table", "storagekit.aws.s3_bucket", "storagekit.aws.kms_key"} <= resolved
    # Every module call the events show went to the local endpoint given in the extra variables. ansible-core
    # 2.19 reports the module arguments in the events; 2.21 leaves them out at this verbosity, and there the
    # resources found on the endpoint below (with AWS_ENDPOINT_URL on a closed port) are the proof.
    endpoints = [
        e["res"]["invocation"]["module_args"]["endpoint_url"]
        for e in ok
        if "endpoint_url" in e.get("res", {}).get("invocation", {}).get("module_args", {})
    ]
    assert set(endpoints) <= {aws.url}
    if ANSIBLE_CORE <= (2, 19):
        assert endpoints

    # The artifacts AWX keeps for the job.
    artifacts = Path(result.config.artifact_dir)
    assert artifacts == root / "artifacts" / "1"
    job_events = sorted((artifacts / "job_events").glob("*.json"))
    assert len(job_events) == len(events)
    assert {json.loads(p.read_text())["event"] for p in job_events} >= {"playbook_on_start", "runner_on_ok", "playbook_on_stats"}
    assert (artifacts / "rc").read_text().strip() == "0"
    assert (artifacts / "status").read_text().strip() == "successful"
    assert "PLAY RECAP" in (artifacts / "stdout").read_text()

    # And the resources are on the endpoint.
    table = boto3_client("dynamodb").describe_table(TableName=f"{NAME}-items")["Table"]
    assert table["TableStatus"] == "ACTIVE" and table["StreamSpecification"]["StreamEnabled"]
    boto3_client("s3").head_bucket(Bucket=f"{NAME}-static")
