"""Command line for the local AWS endpoint.

    python -m local_aws up --dir DIR [--port 0]     start in the background, print the URL
    python -m local_aws down --dir DIR              stop it
    python -m local_aws serve [--port N] [--dir DIR]  run in the foreground
    python -m local_aws requests --dir DIR [--since N]  print the request log summary as JSON

`up` writes DIR/url, DIR/pid and DIR/server.log (the server's own output). Run with
PYTHONPATH=tests from the repository root.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from .server import LocalAWS

TESTS_DIR = Path(__file__).resolve().parent.parent


def _get_json(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def _healthy(url):
    try:
        return _get_json(url + "/_local_aws/health").get("status") == "ok"
    except OSError:
        return False


def _write_atomic(path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def serve(port, directory=None):
    """Run in the foreground until SIGTERM or Ctrl-C; write DIR/url once listening."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with LocalAWS(port=port, quiet=False) as aws:
        if directory:
            _write_atomic(Path(directory) / "url", aws.url + "\n")
        print(f"local AWS endpoint on {aws.url}", file=sys.stderr, flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


def up(directory, port, timeout=60):
    """Start `serve` as a detached process and wait until its health check answers."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    running = _running_url(directory)
    if running:
        print(running)
        return 0
    for name in ("url", "pid"):
        (directory / name).unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    with open(directory / "server.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "local_aws", "serve", "--port", str(port), "--dir", str(directory)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True,
        )
    _write_atomic(directory / "pid", f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"local AWS endpoint exited; see {directory / 'server.log'}", file=sys.stderr)
            return 1
        url_file = directory / "url"
        if url_file.exists() and _healthy(url_file.read_text().strip()):
            print(url_file.read_text().strip())
            return 0
        time.sleep(0.1)
    print(f"local AWS endpoint not healthy after {timeout} s; see {directory / 'server.log'}",
          file=sys.stderr)
    process.terminate()
    return 1


def _is_ours(pid):
    """Only signal a process that is still our server (the pid may have been reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"local_aws" in cmdline and b"serve" in cmdline


def _running_url(directory):
    """The URL of a healthy server already started in this directory, else None."""
    pid_file, url_file = directory / "pid", directory / "url"
    if pid_file.exists() and url_file.exists() and _is_ours(int(pid_file.read_text())):
        url = url_file.read_text().strip()
        return url if _healthy(url) else None
    return None


def down(directory, timeout=10):
    """Stop the server started by `up` in this directory."""
    directory = Path(directory)
    pid_file = directory / "pid"
    if not pid_file.exists():
        print(f"no {pid_file}: nothing to stop", file=sys.stderr)
        return 0
    pid = int(pid_file.read_text())
    if _is_ours(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _is_ours(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _is_ours(pid):
            os.kill(pid, signal.SIGKILL)
    for name in ("url", "pid"):
        (directory / name).unlink(missing_ok=True)
    return 0


def requests(directory, since):
    """Print the request log summary (reads, writes, per operation) as JSON."""
    url = (Path(directory) / "url").read_text().strip()
    print(json.dumps(_get_json(f"{url}/_local_aws/requests?since={since}", timeout=30)["summary"],
                     indent=2))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m local_aws", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("up", help="start in the background")
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p = commands.add_parser("down", help="stop the background server")
    p.add_argument("--dir", required=True)
    p = commands.add_parser("serve", help="run in the foreground")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir")
    p = commands.add_parser("requests", help="print the request log summary")
    p.add_argument("--dir", required=True)
    p.add_argument("--since", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "up":
        return up(args.dir, args.port)
    if args.command == "down":
        return down(args.dir)
    if args.command == "serve":
        return serve(args.port, args.dir)
    return requests(args.dir, args.since)


if __name__ == "__main__":
    sys.exit(main())
