"""Start and stop a test server as a detached process with its state in a directory.

Both test servers (storagekit_local_aws, storagekit_kube_api) have an `up` / `down` command line
that Molecule and the Makefile call: `up` starts `python -m MODULE serve ... --dir DIR` in the background,
writes DIR/pid and DIR/server.log and prints the URL the server writes to DIR/url once it
answers its health check; `down` stops it and removes its files.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class BackgroundServer:
    module: str  # run as `python -m MODULE serve`
    title: str  # names the server in messages
    files: tuple  # what `up` and `down` remove from DIR (the server's own files and pid)
    healthy: Callable  # healthy(directory) -> True once the server in DIR answers

    def up(self, directory, serve_args, timeout=60):
        """Start `serve` with `serve_args` as a detached process and wait until it is healthy."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        running = self._running_url(directory)
        if running:
            print(running)
            return 0
        for name in self.files:
            (directory / name).unlink(missing_ok=True)
        command = [sys.executable, "-m", self.module, "serve", *serve_args, "--dir", str(directory)]
        with open(directory / "server.log", "ab") as log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                       start_new_session=True)
        write_atomic(directory / "pid", f"{process.pid}\n")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                print(f"{self.title} exited; see {directory / 'server.log'}", file=sys.stderr)
                return 1
            url_file = directory / "url"
            if url_file.exists() and self.healthy(directory):
                print(url_file.read_text().strip())
                return 0
            time.sleep(0.1)
        print(f"{self.title} not healthy after {timeout} s; see {directory / 'server.log'}", file=sys.stderr)
        process.terminate()
        return 1

    def down(self, directory, timeout=10):
        """Stop the server started by `up` in this directory."""
        directory = Path(directory)
        pid_file = directory / "pid"
        if not pid_file.exists():
            print(f"no {pid_file}: nothing to stop", file=sys.stderr)
            return 0
        pid = int(pid_file.read_text())
        if self._is_ours(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self._is_ours(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if self._is_ours(pid):
                os.kill(pid, signal.SIGKILL)
        for name in self.files:
            (directory / name).unlink(missing_ok=True)
        return 0

    def status(self, directory):
        """{"url", "pid", "running"} of the server started by `up` in this directory; url and pid are
        None when their files are missing, running is True only while the pid is still our server."""
        directory = Path(directory)
        pid_file, url_file = directory / "pid", directory / "url"
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        url = url_file.read_text().strip() if url_file.exists() else None
        return {"url": url, "pid": pid, "running": pid is not None and self._is_ours(pid)}

    def _is_ours(self, pid):
        """Only signal a process that is still our server (the pid may have been reused)."""
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return self.module.encode() in cmdline and b"serve" in cmdline

    def _running_url(self, directory):
        """The URL of a healthy server already started in this directory, else None."""
        pid_file, url_file = directory / "pid", directory / "url"
        if pid_file.exists() and url_file.exists() and self._is_ours(int(pid_file.read_text())):
            return url_file.read_text().strip() if self.healthy(directory) else None
        return None


def write_atomic(path, text):
    """Write a file that a reader polling for it never sees half written."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)
