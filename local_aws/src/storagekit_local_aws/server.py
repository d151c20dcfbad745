"""LocalAWS: the local AWS endpoint served on 127.0.0.1 from a background thread."""

import json
import threading
import urllib.request

from werkzeug.serving import make_server

from .app import LocalAWSApp

ALLOWED_HOSTS = ("127.0.0.1", "localhost")


def _request_handler(quiet):
    """moto's request handler (it keeps header names with underscores), optionally silent."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    if not quiet:
        return MotoRequestHandler

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    return QuietHandler


class LocalAWS:
    """The endpoint; use as a context manager or call start() and stop().

    Only 127.0.0.1 is served, so nothing pointed at it can ever reach real AWS or anything else.
    """

    def __init__(self, port=0, host="127.0.0.1", config=None, quiet=True, state_dir=None):
        if host not in ALLOWED_HOSTS:
            raise ValueError(f"LocalAWS serves only 127.0.0.1, not {host!r}")
        self.host = "127.0.0.1"
        self.port = port
        self.quiet = quiet
        self.app = LocalAWSApp(config=config, state_dir=state_dir)
        self.startup_settings = self.app.config.as_dict()
        self._server = None
        self._thread = None

    @property
    def url(self):
        if self._server is None:
            raise RuntimeError("LocalAWS is not running")
        return f"http://{self.host}:{self.port}"

    def start(self):
        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_request_handler(self.quiet)
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-aws", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None
        self.app.data.close()  # the database and cache servers never outlive the endpoint

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- conveniences over HTTP, so they take the same path as any other client --------------

    def _call(self, method, path, data=None):
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(self.url + path, data=body, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text.strip() else None

    def reset(self):
        """Clear moto, the extensions, the latency timers and the request log."""
        self._call("POST", "/moto-api/reset")

    def configure(self, **settings):
        """Change fault/latency settings; returns all settings."""
        return self._call("POST", "/_local_aws/config", settings)

    def requests(self, since=0):
        """The request log after `since`: {"requests": [...], "summary": {...}}."""
        return self._call("GET", f"/_local_aws/requests?since={since}")

    def servers(self):
        """The running database and cache servers: [{"name", "kind", "address", "port", "pid", "running"}]."""
        return self._call("GET", "/_local_aws/servers")

    def clear_requests(self):
        return self._call("DELETE", "/_local_aws/requests")
