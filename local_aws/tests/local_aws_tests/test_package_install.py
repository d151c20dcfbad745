"""The package as a user gets it: `pip install <path>` (not editable) into a new venv, then its command.

The new venv sees the dev venv's site-packages through a .pth file, so the dependencies (moto, boto3,
...) and the build backend need no download; only this package is built and installed into it, and
the test checks that the command runs the installed copy, not the source tree.
"""

import json
import shutil
import subprocess
import sysconfig
import venv
from pathlib import Path
from urllib.parse import urlparse

import boto3

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # local_aws/, where pyproject.toml is


def run(*command, check=True, cwd=None):
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=120,
                          check=check, cwd=cwd)


def test_pip_install_into_a_new_venv_then_up_status_requests_reset_down(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site_packages / "dev-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    # A copy of the project, so the build leaves nothing (build/, egg-info) in the checkout.
    source = tmp_path / "source"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns("tests", "*.egg-info", "__pycache__", "build"))
    installed = run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", source,
                    check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = run(python, "-c", "import storagekit_local_aws, storagekit_kube_api; "
                "print(storagekit_local_aws.__file__); print(storagekit_kube_api.__file__)", cwd=tmp_path)
    for location in where.stdout.split():
        assert Path(location).is_relative_to(site_packages), location
    command = env_dir / "bin" / "storagekit-local-aws"
    assert (env_dir / "bin" / "storagekit-kube-api").is_file()
    assert "up" in run(env_dir / "bin" / "storagekit-kube-api", "--help").stdout

    state = tmp_path / "endpoint"
    url = run(command, "up", "--dir", state).stdout.strip()
    try:
        assert urlparse(url).hostname == "127.0.0.1"
        status = json.loads(run(command, "status", "--dir", state).stdout)
        assert status["url"] == url and status["running"] and status["health"]["status"] == "ok"
        server_cmdline = Path(f"/proc/{status['pid']}/cmdline").read_bytes().split(b"\0")
        assert server_cmdline[0] == str(python).encode()  # the new venv's interpreter serves

        dynamodb = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        assert urlparse(dynamodb.meta.endpoint_url).hostname == "127.0.0.1"
        assert dynamodb.list_tables()["TableNames"] == []
        summary = json.loads(run(command, "requests", "--dir", state).stdout)
        assert summary["by_operation"] == {"dynamodb:ListTables": 1}

        run(command, "reset", "--dir", state)
        assert json.loads(run(command, "requests", "--dir", state).stdout)["total"] == 0
    finally:
        run(command, "down", "--dir", state)
    stopped = run(command, "status", "--dir", state, check=False)
    assert stopped.returncode == 1 and not json.loads(stopped.stdout)["running"]
