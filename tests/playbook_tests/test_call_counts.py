"""A no-change run of each reference playbook makes no more AWS calls than recorded (plus 10 %).

Each playbook converges once against the local endpoint, then runs again; the second run's calls, from the
endpoint's request log, are compared with tests/playbook_tests/call_counts.json. The counts are deterministic
(no faults, no latency), so a rise means a module or role reads more than it used to.

Re-record after a change that lowers (or knowingly raises) the counts:

    STORAGEKIT_RECORD_CALL_COUNTS=1 .venv/bin/python -m pytest -p no:cacheprovider tests/playbook_tests/test_call_counts.py

which rewrites call_counts.json with each playbook's total, reads, writes, calls by operation and wall time
(the wall time is for information; only the total is checked).
"""

import json
import os
import re
import subprocess
import time

import pytest

from .conftest import BIN, DEAD_LOOPBACK, REPO

pytestmark = pytest.mark.newest_line_only

RECORDED = REPO / "tests" / "playbook_tests" / "call_counts.json"
RECORDING = os.environ.get("STORAGEKIT_RECORD_CALL_COUNTS") == "1"
MARGIN = 1.10
EKS_CLUSTER = "sk-calls"


def reference_vars(name):
    """The extra variables of each reference playbook's run (besides its endpoint)."""
    return {
        "serverless_app": {"serverless_app_name": "sk-calls-sls", "serverless_app_kms_key_pending_window": 7},
        "web_app_stack": {"web_app_stack_name": "sk-calls-web", "web_app_stack_kms_key_pending_window": 7},
        "static_website": {
            "static_website_domain": "www.calls.example",
            "static_website_hosted_zone": "calls.example",
            "static_website_site_dir": str(REPO / "tests" / "demo_site"),
        },
        "eks_platform_storage": {
            "eks_platform_storage_cluster_name": EKS_CLUSTER,
            # The chart repository is out of reach here: the stand-in chart of the test tree, same name.
            "efs_csi_driver_chart_repo_url": "",
            "efs_csi_driver_chart_ref": str(REPO / "tests" / "charts" / "aws-efs-csi-driver"),
            "efs_csi_driver_helm_binary_path": str(REPO / ".tools" / "helm"),
            # Nothing runs controllers on the test API server, so nothing would ever be ready.
            "efs_csi_driver_helm_wait": False,
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
def eks_cluster(aws, boto3_client, tmp_path):
    """An EKS cluster whose API server is the test Kubernetes API server, with private subnets, an NFS security
    group and the Pod Identity agent add-on; the playbook's variables for them."""
    kube_dir = tmp_path / "kube_api"
    url = subprocess.run([str(BIN / "storagekit-kube-api"), "up", "--dir", str(kube_dir), "--cluster-name", EKS_CLUSTER],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert url.startswith("https://127.0.0.1:")
    try:
        aws.configure(eks_cluster_endpoint={"url": url, "certificate_authority_data": (kube_dir / "ca.b64").read_text().strip()})
        subprocess.run([str(BIN / "python"), str(REPO / "extensions" / "molecule" / "shared" / "eks_cluster.py"), aws.url,
                        "create", EKS_CLUSTER], capture_output=True, text=True, check=True)
        eks, ec2 = boto3_client("eks"), boto3_client("ec2")
        versions = eks.describe_addon_versions(addonName="eks-pod-identity-agent", kubernetesVersion="1.32")
        default = [v["addonVersion"] for v in versions["addons"][0]["addonVersions"]
                   if any(c["defaultVersion"] for c in v["compatibilities"])][0]
        eks.create_addon(clusterName=EKS_CLUSTER, addonName="eks-pod-identity-agent", addonVersion=default)
        subnets = ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [EKS_CLUSTER + "-private-*"]}])["Subnets"]
        groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [EKS_CLUSTER + "-efs"]}])["SecurityGroups"]
        yield {
            # The test API server's own kubeconfig (a static token): an STS token built by the playbook is valid
            # for 60 s there, which a slow run on a busy machine outlasts.
            "eks_platform_storage_kubeconfig": str(kube_dir / "kubeconfig"),
            "eks_platform_storage_efs_subnet_ids": sorted(s["SubnetId"] for s in subnets),
            "eks_platform_storage_efs_security_group_ids": [g["GroupId"] for g in groups],
        }
    finally:
        subprocess.run([str(BIN / "storagekit-kube-api"), "down", "--dir", str(kube_dir)], capture_output=True, check=False)


@pytest.fixture
def prepared(request, aws, boto3_client):
    """What a playbook needs before it runs: its hosted zone or its EKS cluster; its extra variables."""
    name = request.param
    extra = reference_vars(name)
    if name == "static_website":
        # The site's hosted zone stands in for one the user already has.
        boto3_client("route53").create_hosted_zone(Name="calls.example", CallerReference="calls")
    if name == "eks_platform_storage":
        extra.update(request.getfixturevalue("eks_cluster"))
    return name, extra


def record(name, entry):
    counts = json.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    counts[name] = entry
    RECORDED.write_text(json.dumps(dict(sorted(counts.items())), indent=2, sort_keys=False) + "\n")


@pytest.mark.parametrize("prepared", ["eks_platform_storage", "serverless_app", "static_website", "web_app_stack"],
                         indirect=True)
def test_no_change_run_makes_no_more_calls_than_recorded(prepared, aws, collections_path):
    name, extra = prepared
    run_playbook(collections_path, aws.url, name, extra)
    before = aws.requests()["summary"]["last_seq"] or 0
    seconds, recap = run_playbook(collections_path, aws.url, name, extra)
    summary = aws.requests(since=before)["summary"]
    entry = dict(total=summary["total"], reads=summary["reads"], writes=summary["writes"], seconds=round(seconds, 1),
                 by_operation=dict(sorted(summary["by_operation"].items())))
    assert recap["changed"] == 0 and summary["writes"] == 0, (recap, summary["by_operation"])
    if RECORDING:
        record(name, entry)
        return
    recorded = json.loads(RECORDED.read_text())[name]
    limit = int(recorded["total"] * MARGIN)
    more = dict((op, (recorded["by_operation"].get(op, 0), count)) for op, count in entry["by_operation"].items()
                if count > recorded["by_operation"].get(op, 0))
    assert entry["total"] <= limit, (
        "{0}: a no-change run made {1} calls, recorded {2} (limit {3}); more than recorded (recorded, now): {4}. "
        "If that is intended, re-record as the docstring of this file says.".format(
            name, entry["total"], recorded["total"], limit, more)
    )
