"""The Galaxy tarball: built without test and development files, installable offline, and usable."""

import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NOT_SHIPPED = (".ci/", ".venv", ".config/", "tests/", "local_aws/", "extensions/molecule/", "Makefile",
               "requirements-test", ".local_aws")
# An import of the local AWS endpoint package, of the test Kubernetes API server, or of moto.
ENDPOINT_IMPORT = re.compile(rb"^\s*(from|import)\s+(storagekit_local_aws|storagekit_kube_api|moto)\b", re.MULTILINE)


def run(*command, **kwargs):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1")
    env.update(kwargs.pop("env", {}))
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env, **kwargs)


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    run(str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out), str(REPO))
    (built,) = out.glob("storagekit-aws-*.tar.gz")
    return built


def test_tarball_ships_the_collection_and_nothing_else(tarball):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    for expected in (
        "MANIFEST.json",
        "meta/runtime.yml",
        "plugins/modules/dynamodb_table.py",
        "plugins/modules/dynamodb_table_info.py",
        "plugins/module_utils/changes.py",
        "plugins/doc_fragments/wait.py",
        "roles/dynamodb_table/meta/argument_specs.yml",
        "playbooks/serverless_app.yml",
        "playbooks/static_website.yml",
        "playbooks/vars/web_app_stack_presets.yml",
        "plugins/filter/cost_estimate.py",
        "plugins/module_utils/cost_prices.py",
        "hacking/update_prices.py",
        "roles/s3_static_website/meta/argument_specs.yml",
        "plugins/modules/cloudfront_s3_distribution.py",
        "README.md",
        "COPYING",
        "changelogs/changelog.yaml",
        "meta/execution-environment.yml",
        "requirements.txt",
        "bindep.txt",
    ):
        assert expected in names
    shipped_clutter = [n for n in names if n.startswith(NOT_SHIPPED) or "__pycache__" in n]
    assert shipped_clutter == []


def test_tarball_holds_no_endpoint_code(tarball):
    """The local AWS endpoint (local_aws/) is a test tool: none of its files, and nothing importing it or moto."""
    with tarfile.open(tarball) as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        assert [m.name for m in members if m.name.startswith("local_aws") or "storagekit_local_aws" in m.name] == []
        importing = [m.name for m in members if ENDPOINT_IMPORT.search(archive.extractfile(m).read())]
    assert importing == []


def test_tarball_installs_offline_and_its_modules_document_themselves(tarball, tmp_path):
    target = tmp_path / "collections"
    run(str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "--no-deps", "--force", "-p", str(target), str(tarball))
    installed = target / "ansible_collections" / "storagekit" / "aws"
    assert (installed / "plugins" / "modules" / "dynamodb_table.py").is_file()
    # Only the installed copy is on the path: the docs render from it, with the amazon.aws fragments.
    env = {"ANSIBLE_COLLECTIONS_PATH": str(target)}
    doc = run(str(BIN / "ansible-doc"), "storagekit.aws.dynamodb_table", env=env).stdout
    assert "point_in_time_recovery" in doc and "purge_tags" in doc and "wait_timeout" in doc
    listing = run(str(BIN / "ansible-doc"), "-l", "storagekit.aws", env=env).stdout
    assert "storagekit.aws.dynamodb_table_info" in listing
    role_doc = run(str(BIN / "ansible-doc"), "-t", "role", "storagekit.aws.dynamodb_table", env=env).stdout
    assert "dynamodb_table_tables" in role_doc
