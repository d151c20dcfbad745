"""KubeAPI: the test API server on https://127.0.0.1 from a background thread."""

import base64
import json
import secrets
import ssl
import threading
import urllib.request
from pathlib import Path

import yaml
from werkzeug.serving import WSGIRequestHandler, make_server

from . import tls
from .app import KubeApp
from .auth import Authenticator

DEFAULT_CLUSTER_NAME = "storagekit-test"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class KubeAPI:
    """The server; use as a context manager or call start() and stop().

    Only 127.0.0.1 is served. Requests need `Authorization: Bearer TOKEN` with `token`, or an
    EKS token made for `cluster_name` with one of `aws_credentials` ({access key: secret}).
    """

    def __init__(self, port=0, cluster_name=DEFAULT_CLUSTER_NAME, token=None, aws_credentials=None,
                 quiet=True):
        self.host = "127.0.0.1"
        self.port = port
        self.cluster_name = cluster_name
        self.token = token or secrets.token_urlsafe(24)
        self.quiet = quiet
        self.authenticator = Authenticator(self.token, cluster_name, aws_credentials)
        self.certificates = tls.generate(self.host)
        self.app = None
        self._server = None
        self._thread = None

    @property
    def url(self):
        if self._server is None:
            raise RuntimeError("KubeAPI is not running")
        return f"https://{self.host}:{self.port}"

    @property
    def ca_pem(self):
        return self.certificates.ca_pem.decode()

    @property
    def ca_b64(self):
        """The CA as EKS gives it in cluster.certificateAuthority.data: base64 of the PEM."""
        return base64.b64encode(self.certificates.ca_pem).decode()

    def start(self):
        self._server = make_server(self.host, self.port, None, threaded=True,
                                   request_handler=_QuietHandler if self.quiet else WSGIRequestHandler,
                                   ssl_context=self.certificates.ssl_context())
        self.port = self._server.server_port
        self.app = KubeApp(self.authenticator, f"{self.host}:{self.port}")
        self._server.app = self.app
        # A short poll interval: stop() waits for it, and tests start a server each.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="kube-api", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def kubeconfig(self, context="test"):
        """A kubeconfig (as text) that reaches this server with the fixed token."""
        return yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": self.cluster_name,
                          "cluster": {"server": self.url, "certificate-authority-data": self.ca_b64}}],
            "users": [{"name": "test-admin", "user": {"token": self.token}}],
            "contexts": [{"name": context, "context": {"cluster": self.cluster_name, "user": "test-admin"}}],
        }, sort_keys=False)

    def write_files(self, directory):
        """Write url, ca.crt, ca.b64 and kubeconfig into directory; return it as a Path."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("ca.crt", self.ca_pem), ("ca.b64", self.ca_b64 + "\n"),
                           ("kubeconfig", self.kubeconfig()), ("url", self.url + "\n")):
            tmp = directory / f".{name}.tmp"
            tmp.write_text(text)
            tmp.chmod(0o600)
            tmp.replace(directory / name)
        return directory

    # --- the control API over HTTPS, the same path any client takes ----------------------

    def _call(self, method, path):
        context = ssl.create_default_context(cadata=self.ca_pem)
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            return json.loads(response.read())

    def health(self):
        return self._call("GET", "/_kube_api/health")

    def requests(self, since=0):
        """The request log after `since`: {"requests": [...], "summary": {...}}."""
        return self._call("GET", f"/_kube_api/requests?since={since}")

    def clear_requests(self):
        return self._call("DELETE", "/_kube_api/requests")
