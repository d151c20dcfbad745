"""Helpers for the server's tests: an HTTP client and ansible-playbook runs against the server."""

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[3]  # the checkout, linked as storagekit.aws
BIN = Path(sys.executable).parent


class KubeHTTP:
    """Plain HTTPS calls to the server, so each test sees exactly what goes over the wire."""

    def __init__(self, api, token=None):
        self.url = api.url
        self.session = requests.Session()
        self.ca_file = str(api.files / "ca.crt")  # per request: REQUESTS_CA_BUNDLE would beat a session's
        self.session.headers["Authorization"] = f"Bearer {token or api.token}"

    def request(self, method, path, body=None, content_type="application/json", **params):
        data = body if isinstance(body, bytes) or body is None else json.dumps(body)
        headers = {"Content-Type": content_type} if data is not None else {}
        return self.session.request(method, self.url + path, data=data, headers=headers, params=params,
                                    verify=self.ca_file, timeout=10)

    def get(self, path, **params):
        return self.request("GET", path, **params)

    def post(self, path, body, **params):
        return self.request("POST", path, body, **params)

    def put(self, path, body, **params):
        return self.request("PUT", path, body, **params)

    def patch(self, path, body, content_type, **params):
        return self.request("PATCH", path, body, content_type, **params)

    def delete(self, path, body=None, **params):
        return self.request("DELETE", path, body, **params)


def collections_path(tmp_path):
    """This checkout as storagekit.aws, then the venv's site-packages, whose ansible_collections
    hold the kubernetes.core bundled with ansible; nothing else is searched."""
    root = tmp_path / "collections"
    (root / "ansible_collections" / "storagekit").mkdir(parents=True, exist_ok=True)
    link = root / "ansible_collections" / "storagekit" / "aws"
    if not link.exists():
        link.symlink_to(REPO)
    return os.pathsep.join([str(root), sysconfig.get_paths()["purelib"]])


def run_playbook(tmp_path, kube_api, tasks, check=False, expect_failure=False):
    """Run `tasks` on localhost with module_defaults pointing kubernetes.core at kube_api."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(
        textwrap.dedent(
            """\
            - hosts: localhost
              gather_facts: false
              vars:
                ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
              module_defaults:
                group/kubernetes.core.k8s:
                  kubeconfig: {kubeconfig}
                group/kubernetes.core.helm:
                  kubeconfig: {kubeconfig}
              tasks:
            """
        ).format(kubeconfig=kube_api.files / "kubeconfig")
        + textwrap.indent(tasks, "    ")
    )
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=collections_path(tmp_path),
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
        ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
        HELM_CACHE_HOME=str(tmp_path / "helm" / "cache"),
        HELM_CONFIG_HOME=str(tmp_path / "helm" / "config"),
        HELM_DATA_HOME=str(tmp_path / "helm" / "data"),
        KUBECONFIG=os.devnull,
    )
    command = [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
    result = subprocess.run(command + (["--check"] if check else []), capture_output=True, text=True,
                            env=env, check=False, timeout=120)
    assert (result.returncode != 0) == expect_failure, result.stdout[-4000:] + result.stderr[-3000:]
    return [task["hosts"]["localhost"] for task in json.loads(result.stdout)["plays"][0]["tasks"]]
