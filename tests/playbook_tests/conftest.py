"""Running ansible-playbook against the local endpoint with this checkout as storagekit.aws.

Every play points the collection's module group at the endpoint with module_defaults and sets
AWS_ENDPOINT_URL to a closed loopback port, so that anything ignoring module_defaults fails
instead of reaching AWS.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .read_back import read_back

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEAD_LOOPBACK = "http://127.0.0.1:9"
# The stacks that converge_clean makes: test_destroy destroys them, test_throttling compares its throttled runs with them.
STACK_NAMES = {"serverless_app": "sk-sls", "web_app_stack": "sk-web"}


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    """A collections path in which storagekit.aws is this checkout."""
    root = tmp_path_factory.mktemp("collections")
    (root / "ansible_collections" / "storagekit").mkdir(parents=True)
    (root / "ansible_collections" / "storagekit" / "aws").symlink_to(REPO)
    return root


def ansible_playbook(playbook, collections_path, callback, *options):
    """Run ansible-playbook on localhost with the given stdout callback; returns the CompletedProcess."""
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        ANSIBLE_STDOUT_CALLBACK=callback,
        ANSIBLE_NOCOLOR="1",
        # Anything that ignored module_defaults would go here and fail: a closed loopback port.
        AWS_ENDPOINT_URL=DEAD_LOOPBACK,
    )
    return subprocess.run(
        [str(BIN / "ansible-playbook"), *options, "-i", "localhost,", "-c", "local", str(playbook)],
        capture_output=True, text=True, env=env, check=False,
    )


def reference_vars(name, endpoint, **extra_vars):
    """The extra variables of a run of reference playbook `name` against `endpoint`: the endpoint's region, the
    shortest key deletion window and the playbook's own Python, then `extra_vars`."""
    assert endpoint.startswith("http://127.0.0.1:")
    variables = {f"{name}_aws_endpoint_url": endpoint, f"{name}_aws_region": "us-east-1",
                 f"{name}_kms_key_pending_window": 7, "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    variables.update(extra_vars)
    return variables


def run_reference(collections_path, endpoint, name, **extra_vars):
    """ansible-playbook storagekit.aws.<name> from this checkout against ``endpoint``; returns (rc, output)."""
    result = ansible_playbook(REPO / "playbooks" / f"{name}.yml", collections_path, "ansible.builtin.default",
                              "-e", json.dumps(reference_vars(name, endpoint, **extra_vars)))
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="session")
def clean_read_backs():
    """The read-back of each reference playbook that converge_clean converged on this worker, by playbook: a
    converge from scratch costs minutes, so test_throttling compares with the one a test before it made."""
    return {}


@pytest.fixture
def converge_clean(aws, boto3_client, collections_path, clean_read_backs):
    """converge_clean(playbook): converges the reference playbook as STACK_NAMES[playbook] on this test's clean
    endpoint and records its read-back in clean_read_backs; returns the run's output."""
    def converge(playbook):
        assert aws.requests()["summary"]["total"] == 0, "the endpoint is not clean"
        name = STACK_NAMES[playbook]
        rc, output = run_reference(collections_path, aws.url, playbook, **{f"{playbook}_name": name})
        assert rc == 0, output[-5000:]
        clean_read_backs[playbook] = read_back(boto3_client, name)
        return output
    return converge


def run_role_verbosely(tmp_path, collections_path, endpoint, role, role_vars, results_var):
    """Apply `role` with `role_vars` at -vvv with the default text output, then show `results_var`
    with debug; asserts success and returns stdout + stderr."""
    assert endpoint.startswith("http://127.0.0.1:")
    play = {
        "hosts": "localhost",
        "gather_facts": False,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "module_defaults": {"group/storagekit.aws.aws": {"endpoint_url": endpoint, "region": "us-east-1"}},
        "roles": [{"role": role, "vars": role_vars}],
        "post_tasks": [{"ansible.builtin.debug": {"var": results_var}}],
    }
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    result = ansible_playbook(playbook, collections_path, "ansible.builtin.default", "-vvv")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    return output


def private_network(boto3_client, cidr_prefix, group_name):
    """(two private subnet ids in two zones, a security group id) in a new VPC cidr_prefix.0.0/16."""
    ec2 = boto3_client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=f"{cidr_prefix}.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in ((f"{cidr_prefix}.0.0/20", "us-east-1a"), (f"{cidr_prefix}.16.0/20", "us-east-1b"))
    ]
    group_id = ec2.create_security_group(VpcId=vpc_id, GroupName=group_name, Description=group_name)["GroupId"]
    return subnet_ids, group_id


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "newest_line_only: a whole-stack behaviour test that the floor line (LINE=floor) does not repeat"
    )
