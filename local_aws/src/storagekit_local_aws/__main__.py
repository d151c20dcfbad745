"""Command line for the local AWS endpoint (the console script storagekit-local-aws).

    storagekit-local-aws up --dir DIR [--port 0]        start in the background, print the URL
    storagekit-local-aws status --dir DIR               print URL, pid and health as JSON
    storagekit-local-aws requests --dir DIR [--since N] print the request log summary as JSON
    storagekit-local-aws reset --dir DIR                clear all state (POST /moto-api/reset)
    storagekit-local-aws down --dir DIR                 stop it
    storagekit-local-aws serve [--port N] [--dir DIR]   run in the foreground

`up` writes DIR/url, DIR/pid and DIR/server.log (the server's own output).
`python -m storagekit_local_aws` is the same command.
"""

import argparse
import json
import signal
import sys
import threading
import urllib.request
from pathlib import Path

from .background_server import BackgroundServer, write_atomic
from .data_servers import sweep
from .server import LocalAWS


def _get_json(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def _healthy(directory):
    try:
        url = (Path(directory) / "url").read_text().strip()
        return _get_json(url + "/_local_aws/health").get("status") == "ok"
    except OSError:
        return False


SERVER = BackgroundServer(module="storagekit_local_aws", title="local AWS endpoint", files=("url", "pid"),
                          healthy=_healthy)


def serve(port, directory=None):
    """Run in the foreground until SIGTERM or Ctrl-C; write DIR/url once listening."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    state_dir = Path(directory) / "servers" if directory else None
    with LocalAWS(port=port, quiet=False, state_dir=state_dir) as aws:
        if directory:
            write_atomic(Path(directory) / "url", aws.url + "\n")
        print(f"local AWS endpoint on {aws.url}", file=sys.stderr, flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


def up(directory, port, timeout=60):
    """Start `serve` as a detached process and wait until its health check answers. Database and cache
    servers that an endpoint which crashed in this directory left running are killed first."""
    if not SERVER.status(directory)["running"]:
        killed = sweep(Path(directory) / "servers")
        if killed:
            print(f"stopped {killed} data server(s) left by a crashed endpoint", file=sys.stderr)
    return SERVER.up(directory, ["--port", str(port)], timeout)


def down(directory, timeout=10):
    """Stop the server started by `up` in this directory."""
    return SERVER.down(directory, timeout)


def status(directory):
    """Print {"url", "pid", "running", "health"} as JSON; 0 if the server answers its health check, else 1.

    health is the answer of /_local_aws/health ({"status": "ok", "moto_version": ...}), or null."""
    state = SERVER.status(directory)
    state["health"] = None
    if state["running"] and state["url"]:
        try:
            state["health"] = _get_json(state["url"] + "/_local_aws/health")
        except (OSError, ValueError):
            pass
    print(json.dumps(state, indent=2))
    return 0 if state["health"] and state["health"].get("status") == "ok" else 1


def requests(directory, since):
    """Print the request log summary (reads, writes, per operation) as JSON."""
    url = (Path(directory) / "url").read_text().strip()
    print(json.dumps(_get_json(f"{url}/_local_aws/requests?since={since}", timeout=30)["summary"],
                     indent=2))
    return 0


def reset(directory):
    """Clear moto, the extensions, the latency timers and the request log (POST /moto-api/reset)."""
    url = (Path(directory) / "url").read_text().strip()
    request = urllib.request.Request(url + "/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="storagekit-local-aws", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("up", help="start in the background")
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p = commands.add_parser("down", help="stop the background server")
    p.add_argument("--dir", required=True)
    p = commands.add_parser("status", help="print URL, pid and health as JSON")
    p.add_argument("--dir", required=True)
    p = commands.add_parser("reset", help="clear all state (POST /moto-api/reset)")
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
    if args.command == "status":
        return status(args.dir)
    if args.command == "reset":
        return reset(args.dir)
    if args.command == "serve":
        return serve(args.port, args.dir)
    return requests(args.dir, args.since)


if __name__ == "__main__":
    sys.exit(main())
