"""Two converges of one playbook at the same moment against one endpoint, as two AWX jobs of one job
template run when both are launched at once: afterwards each resource exists once and both runs succeeded.

On AWS a create takes a while; here the endpoint's call_delay_seconds makes each create take
CREATE_SECONDS, so both runs look for a resource before either has created it and every create races.
The modules then rely on AWS's idempotency tokens and unique names (CallerReference, IdempotencyToken,
CreationToken, ClientToken, origin access control and bucket names, one mount target per zone).
"""

import json
import os
import subprocess
import time

import pytest
import yaml

from .conftest import BIN, DEAD_LOOPBACK, REPO, private_network

pytestmark = pytest.mark.newest_line_only

CREATE_SECONDS = 2
CREATES = [
    "s3:CreateBucket",
    "cloudfront:CreateOriginAccessControl",
    "acm:RequestCertificate",
    "cloudfront:CreateDistributionWithTags",
    "efs:CreateFileSystem",
    "efs:CreateMountTarget",
    "efs:CreateAccessPoint",
]
DOMAIN = "www.race.example"
BUCKET = "www-race-example-site"


def start_playbook(collections_path, playbook, *options):
    """ansible-playbook started in the background on localhost; returns the Popen."""
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
        ANSIBLE_NOCOLOR="1",
        # Anything that ignored the endpoint setting would go here and fail: a closed loopback port.
        AWS_ENDPOINT_URL=DEAD_LOOPBACK,
    )
    return subprocess.Popen(
        [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local",
         "-e", "ansible_python_interpreter={{ ansible_playbook_python }}", *options, str(playbook)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )


def run_twice_at_once(aws, collections_path, playbook, *options):
    """Both runs' (return code, output); prints the seconds both took together and the creates made."""
    assert aws.url.startswith("http://127.0.0.1:")
    aws.configure(call_delay_seconds=dict.fromkeys(CREATES, CREATE_SECONDS))
    started = time.monotonic()
    runs = [start_playbook(collections_path, playbook, *options) for dummy in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    elapsed = time.monotonic() - started
    calls = aws.requests()["summary"]["by_operation"]
    print(f"{playbook}: two concurrent runs in {elapsed:.1f} s;", {op: calls[op] for op in CREATES if op in calls})
    for output in outputs:
        print("\n".join(line[:400] for line in output.splitlines() if line.startswith("fatal:")))
    return [(run.returncode, output) for run, output in zip(runs, outputs)]


def assert_both_succeeded(results):
    for code, output in results:
        assert code == 0, output[-5000:]


def test_static_website_twice_at_once_makes_one_of_each(aws, boto3_client, collections_path):
    boto3_client("route53").create_hosted_zone(Name="race.example", CallerReference="race")
    results = run_twice_at_once(
        aws, collections_path, "storagekit.aws.static_website",
        "-e", f"static_website_aws_endpoint_url={aws.url}", "-e", f"static_website_domain={DOMAIN}",
        "-e", "static_website_hosted_zone=race.example", "-e", f"static_website_site_dir={REPO / 'tests' / 'demo_site'}",
    )
    cloudfront, acm, s3 = boto3_client("cloudfront"), boto3_client("acm"), boto3_client("s3")
    distributions = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    controls = cloudfront.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
    certificates = acm.list_certificates()["CertificateSummaryList"]
    counts = dict(
        distributions=len([d for d in distributions if d["Comment"] == BUCKET]),
        origin_access_controls=len([c for c in controls if c["Name"] == BUCKET]),
        certificates=len([c for c in certificates if c["DomainName"] == DOMAIN]),
        buckets=len([b for b in s3.list_buckets()["Buckets"] if b["Name"] == BUCKET]),
    )
    assert counts == dict(distributions=1, origin_access_controls=1, certificates=1, buckets=1), [
        output[-3000:] for code, output in results]
    assert_both_succeeded(results)


def test_efs_file_system_and_access_point_twice_at_once_make_one_of_each(aws, boto3_client, collections_path, tmp_path):
    subnet_ids, group_id = private_network(boto3_client, "10.61", "race-efs")
    play = {
        "name": "EFS for an EKS cluster",
        "hosts": "localhost",
        "gather_facts": False,
        "module_defaults": {"group/storagekit.aws.aws": {"endpoint_url": aws.url, "region": "us-east-1"}},
        "tasks": [
            {
                "name": "File system with mount targets, policy and backups",
                "storagekit.aws.efs_file_system": {
                    "name": "race-efs",
                    "mount_targets": [{"subnet_id": s, "security_groups": [group_id]} for s in subnet_ids],
                    "file_system_policy": "secure",
                    "backup_policy": "enabled",
                    "lifecycle": {"transition_to_ia": "AFTER_30_DAYS"},
                    "tags": {"team": "platform"},
                },
                "register": "fs",
            },
            {
                "name": "Access point",
                "storagekit.aws.efs_access_point": {
                    "name": "race-app",
                    "file_system_id": "{{ fs.file_system_id }}",
                    "posix_user": {"uid": 1000, "gid": 1000},
                    "root_directory": {"path": "/app", "creation_info": {"owner_uid": 1000, "owner_gid": 1000, "permissions": "0750"}},
                },
            },
        ],
    }
    playbook = tmp_path / "efs.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    results = run_twice_at_once(aws, collections_path, playbook)
    efs = boto3_client("efs")
    systems = efs.describe_file_systems()["FileSystems"]
    counts = dict(file_systems=len(systems))
    if len(systems) == 1:
        fs_id = systems[0]["FileSystemId"]
        counts["mount_targets"] = len(efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"])
        counts["access_points"] = len(efs.describe_access_points(FileSystemId=fs_id)["AccessPoints"])
    assert counts == dict(file_systems=1, mount_targets=2, access_points=1), [output[-3000:] for code, output in results]
    assert_both_succeeded(results)
    print(json.dumps(counts))
