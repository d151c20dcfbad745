"""The Galaxy tarball installed as a user installs it: with dependency resolution, beside ansible-core and only
the collections galaxy.yml declares, then the reference playbooks run from that copy, in check mode on an empty
local endpoint, for real, and once more to show that nothing changes.

Galaxy is out of reach, so the declared collections come from the copies the `ansible` package bundles, packed
into tarballs as `ansible-galaxy collection download` would leave them. ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
hides the bundled copies from the playbook runs: what runs is ansible-core plus what was installed.
"""

import hashlib
import io
import json
import os
import re
import ssl
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import ansible_collections
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GALAXY = yaml.safe_load((REPO / "galaxy.yml").read_text())
# Where the ansible package keeps its collections (other entries of the namespace path may come first).
BUNDLED = next(Path(p) for p in ansible_collections.__path__ if (Path(p) / "amazon" / "aws" / "MANIFEST.json").is_file())
# Collections that come with ansible-core itself or are this one.
BUILT_IN = {"ansible.builtin", "ansible.legacy", "storagekit.aws"}


def run(*command, check=True, env=None):
    return subprocess.run(
        [str(c) for c in command], check=check, capture_output=True, text=True,
        env=dict(os.environ, ANSIBLE_NOCOLOR="1", **(env or {})),
    )


# A module, group or action-group name: a task key, a module_defaults key or an extend_group list item.
NAMED_AT_LINE_START = re.compile(r"^\s*(?:- )?(?:group/)?([a-z]\w*\.[a-z]\w*)\.[a-z]\w*\s*(?::|$)", re.MULTILINE)
# A filter, lookup or test inside a template.
NAMED_IN_TEMPLATE = re.compile(r"(?:\|\s*|lookup\(\s*['\"]|query\(\s*['\"]|is\s+)([a-z]\w*\.[a-z]\w*)\.[a-z]\w*")


def referenced_collections():
    """Every collection named by a fully qualified module, group or plugin name in the shipped content."""
    found = set()
    for path in [*REPO.glob("roles/**/*.yml"), *REPO.glob("playbooks/*.yml"), REPO / "meta" / "runtime.yml"]:
        text = path.read_text()
        found.update(NAMED_AT_LINE_START.findall(text), NAMED_IN_TEMPLATE.findall(text))
    return found - BUILT_IN


def test_galaxy_declares_every_collection_the_content_uses():
    assert referenced_collections() <= set(GALAXY["dependencies"]), referenced_collections()
    # And the ones we know the content calls, so the scan above cannot silently find nothing.
    assert {"amazon.aws", "community.aws", "kubernetes.core"} <= referenced_collections()


def bundled_version(name):
    manifest = json.loads((BUNDLED / name.replace(".", "/") / "MANIFEST.json").read_text())
    return manifest["collection_info"]["version"]


def pack_installed_collection(source, target):
    """A Galaxy tarball of an installed collection. The `ansible` package leaves out some files its
    FILES.json lists (CI and test folders), which ansible-galaxy refuses to install, so FILES.json and the
    MANIFEST.json checksum of it are written anew for the files that are there."""
    files = [{"name": ".", "ftype": "dir", "chksum_type": None, "chksum_sha256": None, "format": 1}]
    paths = sorted(p for p in source.rglob("*") if "__pycache__" not in p.parts and p.name not in ("FILES.json", "MANIFEST.json"))
    for path in paths:
        entry = {"name": str(path.relative_to(source)), "format": 1}
        if path.is_dir():
            entry.update(ftype="dir", chksum_type=None, chksum_sha256=None)
        else:
            entry.update(ftype="file", chksum_type="sha256", chksum_sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        files.append(entry)
    files_json = json.dumps({"files": files, "format": 1}).encode()
    manifest = json.loads((source / "MANIFEST.json").read_text())
    manifest["file_manifest_file"]["chksum_sha256"] = hashlib.sha256(files_json).hexdigest()
    with tarfile.open(target, "w:gz") as archive:
        for name, data in (("MANIFEST.json", json.dumps(manifest).encode()), ("FILES.json", files_json)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for path in paths:
            archive.add(path, arcname=str(path.relative_to(source)), recursive=False)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    """Our built tarball and one tarball per declared dependency, as a download directory holds them."""
    out = tmp_path_factory.mktemp("artifacts")
    run(BIN / "ansible-galaxy", "collection", "build", "--output-path", out, REPO)
    (ours,) = out.glob("storagekit-aws-*.tar.gz")
    dependencies = []
    for name in GALAXY["dependencies"]:
        target = out / f"{name.replace('.', '-')}-{bundled_version(name)}.tar.gz"
        pack_installed_collection(BUNDLED / name.replace(".", "/"), target)
        dependencies.append(target)
    return ours, dependencies


def test_the_tarball_alone_does_not_resolve_offline(artifacts, tmp_path):
    ours = artifacts[0]
    result = run(BIN / "ansible-galaxy", "collection", "install", "--offline", "-p", tmp_path, ours,
                 check=False, env={"ANSIBLE_COLLECTIONS_PATH": str(tmp_path), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"})
    assert result.returncode != 0
    assert "amazon.aws" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(artifacts, tmp_path_factory):
    """A collections path made by one dependency-resolving install of our tarball and the declared ones."""
    ours, dependencies = artifacts
    target = tmp_path_factory.mktemp("collections")
    run(BIN / "ansible-galaxy", "collection", "install", "--offline", "-p", target, ours, *dependencies,
        env={"ANSIBLE_COLLECTIONS_PATH": str(target), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"})
    return target


def test_install_resolves_the_declared_dependencies(installed):
    listing = run(BIN / "ansible-galaxy", "collection", "list", "--format", "json",
                  env={"ANSIBLE_COLLECTIONS_PATH": str(installed), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"})
    # ansible-core 2.19 lists a collection of its own (ansible._protomatter): only installed ones count here.
    found = {name: info["version"] for location in json.loads(listing.stdout).values() for name, info in location.items()
             if not name.startswith("ansible.")}
    assert found == {"storagekit.aws": GALAXY["version"], **{name: bundled_version(name) for name in GALAXY["dependencies"]}}


def playbook(installed, endpoint, name, *options):
    """ansible-playbook storagekit.aws.<name> from the installed copy only, on localhost, against `endpoint`."""
    assert endpoint.startswith("http://127.0.0.1:")
    return run(
        BIN / "ansible-playbook", f"storagekit.aws.{name}", "-i", "localhost,", "-c", "local",
        "-e", f"{name}_aws_endpoint_url={endpoint}", "-e", "ansible_python_interpreter={{ ansible_playbook_python }}",
        *options, check=False,
        env={"ANSIBLE_COLLECTIONS_PATH": str(installed), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
             "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default"},
    )


def recap(result):
    """The PLAY RECAP counts of localhost."""
    line = re.search(r"^localhost\s*:(.*)$", result.stdout, re.MULTILINE)
    assert line, result.stdout[-3000:] + result.stderr[-3000:]
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(1))}


REFERENCE_RUNS = {
    "serverless_app": ["-e", "serverless_app_name=installcheck"],
    # Monitoring on: its alarms and dashboard are predicted in check mode before anything exists, too.
    "web_app_stack": ["-e", "web_app_stack_name=installcheck", "-e", "web_app_stack_monitoring=true",
                      "-e", "web_app_stack_alarm_email=oncall@example.com"],
    "static_website": ["-e", "static_website_domain=www.installcheck.example", "-e", "static_website_hosted_zone=installcheck.example",
                       "-e", f"static_website_site_dir={REPO / 'tests' / 'demo_site'}"],
}


@pytest.mark.parametrize("name", sorted(REFERENCE_RUNS))
def test_reference_playbook_from_the_installed_copy(installed, aws, boto3_client, name):
    if name == "static_website":
        # The site's hosted zone stands in for one the user already has.
        boto3_client("route53").create_hosted_zone(Name="installcheck.example", CallerReference="installcheck")
    before_preview = aws.requests()["summary"]["last_seq"] or 0
    preview = playbook(installed, aws.url, name, *REFERENCE_RUNS[name], "--check", "--diff")
    preview_recap = recap(preview)
    assert preview.returncode == 0 and preview_recap["failed"] == 0, preview.stdout[-4000:]
    assert preview_recap["changed"] > 0
    if name == "serverless_app":
        # Values AWS makes (ARNs, stream labels) are named as such in the preview, not guessed.
        assert "known after apply" in preview.stdout
    preview_calls = aws.requests(since=before_preview)["summary"]
    assert preview_calls["reads"] > 0 and preview_calls["writes"] == 0, preview_calls["by_operation"]
    applied = playbook(installed, aws.url, name, *REFERENCE_RUNS[name])
    assert applied.returncode == 0 and recap(applied)["failed"] == 0, applied.stdout[-4000:]
    assert aws.requests(since=before_preview)["summary"]["writes"] > 0
    assert_rerun_changes_nothing(installed, aws, name, *REFERENCE_RUNS[name])


def assert_rerun_changes_nothing(installed, aws, name, *options):
    """Run the playbook again: on this line of Ansible too, nothing changes and nothing is written."""
    before_rerun = aws.requests()["summary"]["last_seq"]
    rerun = playbook(installed, aws.url, name, *options)
    assert rerun.returncode == 0 and recap(rerun)["failed"] == 0, rerun.stdout[-4000:]
    assert recap(rerun)["changed"] == 0, re.findall(r"^changed: .*$", rerun.stdout, re.MULTILINE)
    rerun_calls = aws.requests(since=before_rerun)["summary"]
    assert rerun_calls["writes"] == 0, rerun_calls["by_operation"]


@pytest.fixture
def eks_cluster(aws, boto3_client, tmp_path):
    """An EKS cluster on the local endpoint whose API server is the test Kubernetes API server, with the
    private subnets and NFS security group of eks_cluster.py and the Pod Identity agent add-on."""
    name = "sk-installcheck"
    kube_dir = tmp_path / "kube_api"
    url = run(BIN / "storagekit-kube-api", "up", "--dir", kube_dir, "--cluster-name", name).stdout.strip()
    assert url.startswith("https://127.0.0.1:")
    try:
        aws.configure(eks_cluster_endpoint={"url": url, "certificate_authority_data": (kube_dir / "ca.b64").read_text().strip()})
        run(BIN / "python", REPO / "extensions" / "molecule" / "shared" / "eks_cluster.py", aws.url, "create", name)
        eks, ec2 = boto3_client("eks"), boto3_client("ec2")
        versions = eks.describe_addon_versions(addonName="eks-pod-identity-agent", kubernetesVersion="1.32")
        default = [v["addonVersion"] for v in versions["addons"][0]["addonVersions"]
                   if any(c["defaultVersion"] for c in v["compatibilities"])][0]
        eks.create_addon(clusterName=name, addonName="eks-pod-identity-agent", addonVersion=default)
        subnets = ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [f"{name}-private-*"]}])["Subnets"]
        groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{name}-efs"]}])["SecurityGroups"]
        yield kube_dir, {
            "eks_platform_storage_cluster_name": name,
            "eks_platform_storage_efs_subnet_ids": sorted(s["SubnetId"] for s in subnets),
            "eks_platform_storage_efs_security_group_ids": [g["GroupId"] for g in groups],
            "eks_cluster_access_path": str(tmp_path / "eks.kubeconfig"),
            # The chart repository is out of reach here: the stand-in chart of the test tree, same name.
            "efs_csi_driver_chart_repo_url": "",
            "efs_csi_driver_chart_ref": str(REPO / "tests" / "charts" / "aws-efs-csi-driver"),
            "efs_csi_driver_helm_binary_path": str(REPO / ".tools" / "helm"),
            # Nothing runs controllers on the test API server, so nothing would ever be ready.
            "efs_csi_driver_helm_wait": False,
        }
    finally:
        run(BIN / "storagekit-kube-api", "down", "--dir", kube_dir, check=False)


def kube_api_requests(kube_dir):
    """The summary of the test Kubernetes API server's request log (reads, writes, dry-run writes)."""
    url = (kube_dir / "url").read_text().strip()
    assert url.startswith("https://127.0.0.1:")
    context = ssl.create_default_context(cafile=str(kube_dir / "ca.crt"))
    with urllib.request.urlopen(url + "/_kube_api/requests", timeout=30, context=context) as response:
        return json.loads(response.read())["summary"]


def test_eks_platform_storage_from_the_installed_copy(installed, aws, eks_cluster):
    kube_dir, variables = eks_cluster
    settings = ["-e", json.dumps(variables)]
    before_preview = aws.requests()["summary"]["last_seq"] or 0
    kube_before = kube_api_requests(kube_dir)["writes"]
    preview = playbook(installed, aws.url, "eks_platform_storage", *settings, "--check", "--diff")
    assert preview.returncode == 0 and recap(preview)["failed"] == 0, preview.stdout[-4000:]
    assert recap(preview)["changed"] > 0
    preview_calls = aws.requests(since=before_preview)["summary"]
    assert preview_calls["reads"] > 0 and preview_calls["writes"] == 0, preview_calls["by_operation"]
    kube_calls = kube_api_requests(kube_dir)
    assert kube_calls["writes"] == kube_before, kube_calls["by_verb"]
    applied = playbook(installed, aws.url, "eks_platform_storage", *settings)
    assert applied.returncode == 0 and recap(applied)["failed"] == 0, applied.stdout[-4000:]
    assert aws.requests(since=before_preview)["summary"]["writes"] > 0
    assert_rerun_changes_nothing(installed, aws, "eks_platform_storage", *settings)
