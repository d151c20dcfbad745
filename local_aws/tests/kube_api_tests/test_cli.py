"""`storagekit-kube-api up/down`: the files it writes work for clients, as an EKS endpoint's would."""

import base64
import subprocess
import sys
from pathlib import Path

import yaml
from kubernetes import client, config

from .test_auth import eks_token

COMMAND = Path(sys.executable).parent / "storagekit-kube-api"


def _cli(*args):
    return subprocess.run([str(COMMAND), *args], capture_output=True, text=True, check=False, timeout=60)


def test_up_writes_files_and_down_stops(tmp_path):
    directory = tmp_path / "kube"
    started = _cli("up", "--dir", str(directory), "--cluster-name", "demo", "--token", "fixed-token")
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url.startswith("https://127.0.0.1:") and (directory / "url").read_text().strip() == url
        assert base64.b64decode((directory / "ca.b64").read_text()) == (directory / "ca.crt").read_bytes()
        kubeconfig = yaml.safe_load((directory / "kubeconfig").read_text())
        assert kubeconfig["users"][0]["user"]["token"] == "fixed-token"
        assert _cli("up", "--dir", str(directory)).stdout.strip() == url  # already running: same server

        api = client.CoreV1Api(config.new_client_from_config(str(directory / "kubeconfig")))
        assert "default" in {n.metadata.name for n in api.list_namespace().items}

        eks = client.Configuration(host=url)
        eks.ssl_ca_cert = str(directory / "ca.crt")
        eks.api_key = {"authorization": "Bearer " + eks_token("demo")}
        with client.ApiClient(eks) as api_client:
            assert client.VersionApi(api_client).get_code().git_version == "v1.32.3"
    finally:
        stopped = _cli("down", "--dir", str(directory))
    assert stopped.returncode == 0
    assert not (directory / "pid").exists() and not (directory / "url").exists()
    assert (directory / "server.log").exists()
