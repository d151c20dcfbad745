"""Command line for the test Kubernetes API server (the console script storagekit-kube-api).

    storagekit-kube-api up --dir DIR [--port 0] [--cluster-name N] [--token T]   start in the background
    storagekit-kube-api down --dir DIR                                           stop it
    storagekit-kube-api serve [--dir DIR] [--port N] [--cluster-name N] [--token T]  run in the foreground

`up` prints the URL and writes DIR/url, DIR/ca.crt, DIR/ca.b64 (base64 PEM, as EKS gives
certificateAuthority.data), DIR/kubeconfig (token auth), DIR/pid and DIR/server.log.
`python -m storagekit_kube_api` is the same command.
"""

import argparse
import json
import signal
import ssl
import sys
import threading
import urllib.request

from storagekit_local_aws.background_server import BackgroundServer

from .server import DEFAULT_CLUSTER_NAME, KubeAPI


def _healthy(directory):
    try:
        url = (directory / "url").read_text().strip()
        context = ssl.create_default_context(cafile=str(directory / "ca.crt"))
        with urllib.request.urlopen(url + "/_kube_api/health", timeout=2, context=context) as response:
            return json.loads(response.read()).get("status") == "ok"
    except (OSError, ValueError, ssl.SSLError):
        return False


SERVER = BackgroundServer(module="storagekit_kube_api", title="Kubernetes API",
                          files=("url", "ca.crt", "ca.b64", "kubeconfig", "pid"), healthy=_healthy)


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


def up(directory, port, cluster_name, token, timeout=60):
    """Start `serve` as a detached process and wait until its health check answers."""
    serve_args = ["--port", str(port), "--cluster-name", cluster_name]
    if token:
        serve_args += ["--token", token]
    return SERVER.up(directory, serve_args, timeout)


def down(directory, timeout=10):
    """Stop the server started by `up` in this directory."""
    return SERVER.down(directory, timeout)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="storagekit-kube-api", description=__doc__.splitlines()[0])
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
