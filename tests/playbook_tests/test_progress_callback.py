"""The storagekit.aws.progress callback says which long task is still running, and for how long."""

import re

import yaml

from .conftest import ansible_playbook


def test_a_long_task_is_reported_while_it_runs_and_when_it_ends(tmp_path, collections_path, monkeypatch):
    play = {"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Short task", "ansible.builtin.debug": {"msg": "quick"}},
        {"name": "Wait for something slow - thing-1", "ansible.builtin.pause": {"seconds": 3}},
    ]}
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump([play], sort_keys=False))
    monkeypatch.setenv("ANSIBLE_CALLBACKS_ENABLED", "storagekit.aws.progress")
    monkeypatch.setenv("STORAGEKIT_PROGRESS_INTERVAL", "1")
    result = ansible_playbook(playbook, collections_path, "ansible.builtin.default")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("[progress]")]
    running = [line for line in lines if "still running" in line]
    assert len(running) >= 2, result.stdout
    assert all(re.fullmatch(r"\[progress\] still running after \ds on localhost: Wait for something slow - thing-1", line)
               for line in running), running
    assert re.fullmatch(r"\[progress\] finished after \ds on localhost: Wait for something slow - thing-1", lines[-1])
    assert "Short task" not in "\n".join(lines)
    assert "ERROR" not in result.stderr
