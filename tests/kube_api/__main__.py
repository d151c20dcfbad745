"""Command line for the test Kubernetes API server.

    python -m kube_api up --dir DIR [--port 0] [--cluster-name N] [--token T]   start in the background
    python -m kube_api down --dir DIR                                           stop it
    python -m kube_api serve [--dir DIR] [--port N] [--cluster-name N] [--token T]  run in the foreground

`up` prints the URL and writes DIR/url, DIR/ca.crt, DIR/ca.b64 (base64 PEM, as EKS gives
certificateAuthority.data), DIR/kubeconfig (token auth), DIR/pid and DIR/server.log.
Run with PYTHONPATH=tests from the repository root.
"""

import argparse
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from .server import DEFAULT_CLUSTER_NAME, KubeAPI

TESTS_DIR = Path(__file__).resolve().parent.parent
FILES = ("url", "ca.crt", "ca.b64", "kubeconfig", "pid")


def _healthy(directory):
    try:
        url = (directory / "url").read_text().strip()
        context = ssl.create_default_context(cafile=str(directory / "ca.crt"))
        with urllib.request.urlopen(url + "/_kube_api/health", timeout=2, context=context) as response:
            return json.loads(response.read()).get("status") == "ok"
    except (OSError, ValueError, ssl.SSLError):
        return False


def serve(port, directory, cluster_name, token):
    """Run in the foreground until SIGTERM or Ctrl-C; write DIR's files once listening."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with KubeAPI(port=port, cluster_name=cluster_name, token=token, quiet=False) as api:
        if directory:
            api.write_files(directory)
        print(f"Kubernetes API for cluster {cluster_name} on {api.url}", file=sys.stderr, flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


def _is_ours(pid):
    """Only signal a process that is still our server (the pid may have been reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"kube_api" in cmdline and b"serve" in cmdline


def up(directory, port, cluster_name, token, timeout=60):
    """Start `serve` as a detached process and wait until its health check answers."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pid_file = directory / "pid"
    if pid_file.exists() and _is_ours(int(pid_file.read_text())) and _healthy(directory):
        print((directory / "url").read_text().strip())
        return 0
    for name in FILES:
        (directory / name).unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "kube_api", "serve", "--port", str(port), "--dir", str(directory),
               "--cluster-name", cluster_name]
    if token:
        command += ["--token", token]
    with open(directory / "server.log", "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                   start_new_session=True)
    pid_file.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"Kubernetes API exited; see {directory / 'server.log'}", file=sys.stderr)
            return 1
        if (directory / "url").exists() and _healthy(directory):
            print((directory / "url").read_text().strip())
            return 0
        time.sleep(0.1)
    print(f"Kubernetes API not healthy after {timeout} s; see {directory / 'server.log'}", file=sys.stderr)
    process.terminate()
    return 1


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
    for name in FILES:
        (directory / name).unlink(missing_ok=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kube_api", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("up", "start in the background"), ("serve", "run in the foreground")):
        p = commands.add_parser(name, help=help_text)
        p.add_argument("--dir", required=name == "up")
        p.add_argument("--port", type=int, default=0)
        p.add_argument("--cluster-name", default=DEFAULT_CLUSTER_NAME)
        p.add_argument("--token", help="the fixed bearer token (default: a random one, in DIR/kubeconfig)")
    p = commands.add_parser("down", help="stop the background server")
    p.add_argument("--dir", required=True)
    args = parser.parse_args(argv)

    if args.command == "up":
        return up(args.dir, args.port, args.cluster_name, args.token)
    if args.command == "serve":
        return serve(args.port, args.dir, args.cluster_name, args.token)
    return down(args.dir)


if __name__ == "__main__":
    sys.exit(main())
