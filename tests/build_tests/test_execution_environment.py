"""The execution environment for AWX / Automation Controller: `ansible-builder create` makes its build context.

No image is built here (that needs podman or docker and the network); the tests check what ansible-builder
generates from execution-environment.yml, and that its introspection of the built collection finds the
collection's own Python and system dependencies through meta/execution-environment.yml.
"""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
VERSION = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
TARBALL = f"storagekit-aws-{VERSION}.tar.gz"

pytest.importorskip("ansible_builder", reason="ansible-builder is not installed in this Python environment (pip install ansible-builder)")


def run(*command, cwd=None):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1")
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def ee_definition():
    return yaml.safe_load((REPO / "execution-environment.yml").read_text())


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    """`ansible-builder create` on a copy of the definition and the files it names, with the collection
    tarball built where the definition expects it (build/), so nothing is written into the checkout."""
    source = tmp_path_factory.mktemp("ee")
    for name in ("execution-environment.yml", "requirements.txt", "bindep.txt"):
        shutil.copy(REPO / name, source / name)
    run(str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(source / "build"), str(REPO))
    assert (source / "build" / TARBALL).is_file()
    out = source / "context"
    run(str(BIN / "ansible-builder"), "create", "--file", str(source / "execution-environment.yml"),
        "--context", str(out), "--output-filename", "Containerfile", cwd=source)
    return out


def test_definition_uses_schema_3_and_the_collection_of_this_version(ee_definition):
    assert ee_definition["version"] == 3
    collections = ee_definition["dependencies"]["galaxy"]["collections"]
    assert {"name": f"collections/{TARBALL}", "type": "file"} in collections, "tarball name != galaxy.yml version"
    assert [f["src"] for f in ee_definition["additional_build_files"]] == [f"build/{TARBALL}"]
    dependencies = yaml.safe_load((REPO / "galaxy.yml").read_text())["dependencies"]
    assert set(dependencies) <= {c["name"] for c in collections}


def test_containerfile_has_the_base_image_ansible_and_helm(context, ee_definition):
    containerfile = (context / "Containerfile").read_text()
    base = ee_definition["images"]["base_image"]["name"]
    # The default base image, overridable with --build-arg EE_BASE_IMAGE=...
    assert f'ARG EE_BASE_IMAGE="{base}"' in containerfile
    assert "FROM $EE_BASE_IMAGE AS base" in containerfile
    install_refs = next(line for line in containerfile.splitlines() if line.startswith("ARG ANSIBLE_INSTALL_REFS="))
    assert "ansible-core" in install_refs and "ansible-runner" in install_refs
    # The galaxy stage installs requirements.yml; the builder stage introspects the collections with our files.
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert "--user-pip=requirements.txt --user-bindep=bindep.txt" in containerfile
    # helm: a pinned version, checked against a SHA-256 given at build time, in the final image.
    final = containerfile.split("FROM base AS final", 1)[1]
    assert "ARG HELM_VERSION=v3." in final and "ARG HELM_SHA256=" in final
    helm_step = next(line for line in final.splitlines() if "get.helm.sh" in line)
    assert 'test -n "$HELM_SHA256"' in helm_step and "hashlib.sha256" in helm_step
    assert "/usr/local/bin/helm" in helm_step and helm_step.endswith("helm version --short")
    assert final.index("helm version --short") < final.index("USER 1000")


def test_context_has_the_collections_python_and_system_requirements(context):
    build = context / "_build"
    requirements = yaml.safe_load((build / "requirements.yml").read_text())
    names = [c["name"] for c in requirements["collections"]]
    assert names == [f"collections/{TARBALL}", "amazon.aws", "community.aws", "kubernetes.core"]
    with tarfile.open(build / "collections" / TARBALL) as archive:
        assert "meta/execution-environment.yml" in archive.getnames()
    python = (build / "requirements.txt").read_text()
    for package in ("boto3", "botocore", "kubernetes"):
        assert f"\n{package}>=" in python
    bindep = (build / "bindep.txt").read_text()
    assert "python3 [platform:rpm platform:dpkg]" in bindep
    assert "ca-certificates [platform:rpm platform:dpkg]" in bindep


def test_introspection_reads_the_collections_own_dependencies(context, tmp_path):
    """What the builder stage runs: ansible-builder's introspect script over the installed collections finds
    storagekit.aws's requirements.txt and bindep.txt through its meta/execution-environment.yml."""
    collections = tmp_path / "collections"
    run(str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "--no-deps", "--force", "-p", str(collections),
        str(context / "_build" / "collections" / TARBALL))
    pip_out, bindep_out = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    run(sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect", str(collections),
        f"--write-pip={pip_out}", f"--write-bindep={bindep_out}")
    python = pip_out.read_text()
    declared = [line for line in (REPO / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert {"boto3", "botocore", "kubernetes"} <= {line.split(">")[0] for line in declared}
    for requirement in declared:
        assert f"{requirement}  # from collection storagekit.aws" in python
    assert "ca-certificates [platform:rpm platform:dpkg]  # from collection storagekit.aws" in bindep_out.read_text()
