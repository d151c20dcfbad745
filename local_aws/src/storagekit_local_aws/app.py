"""The endpoint's WSGI application: moto's server behind the project's middleware.

For every SigV4-signed AWS call, in this order: identify it (operations.py), maybe fail it
(faults.py), maybe refuse it because a resource is still being created (latency.py), maybe
answer it here because moto lacks it (extensions/), else let moto answer and fill in what moto
leaves out (extensions/), show pending states (latency.py), and log it (request_log.py).
Unsigned requests for a distribution's host name get its content (cloudfront_edge.py).
"""

import contextlib
import io
import os
import time
import traceback

from werkzeug.wsgi import get_input_stream

from . import control
from .cloudfront_edge import Edge
from .config import EndpointConfig
from .data_servers import DataServers
from .exchange import Exchange
from .extensions import EXTENSIONS
from .faults import FaultInjector
from .latency import LatencyModel
from .operations import identify
from .request_log import RequestLog
from .responses import Reply, error_reply


def read_body(environ):
    """Read the whole request body and put it back, so moto can read it again."""
    body = get_input_stream(environ).read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


class LocalAWSApp:
    """moto plus the request log, fault injection, the latency model and the extensions."""

    def __init__(self, config=None, request_log_path=None, state_dir=None):
        from moto.server import DomainDispatcherApplication, create_backend_app

        self.moto = DomainDispatcherApplication(create_backend_app)
        self.config = config or EndpointConfig.from_env()
        self.requests = RequestLog(request_log_path or os.environ.get("LOCAL_AWS_REQUEST_LOG"))
        self.faults = FaultInjector(self.config)
        self.data = DataServers(state_dir)
        self.extensions = {cls.service: cls() for cls in EXTENSIONS}
        for extension in self.extensions.values():
            extension.data = self.data
        hooks = [hook for ext in self.extensions.values() for hook in ext.latency_hooks]
        self.latency = LatencyModel(self.config, hooks)
        self.edge = Edge(self.extensions["cloudfront"])

    def reset(self):
        """Forget the project's state; moto's own reset runs alongside (POST /moto-api/reset)."""
        for extension in self.extensions.values():
            extension.reset()
        self.data.stop_all()
        self.latency.reset()
        self.requests.clear()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        body = read_body(environ)
        if path.startswith(control.PREFIX):
            return control.handle(self, environ, body).send(start_response)
        if path.startswith("/moto-api"):
            if path == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
                self.reset()
            return self.moto(environ, start_response)
        call = identify(environ, body)
        if call is None:  # not a signed AWS call: a site request to a distribution, or moto's
            site = self.edge.answer(environ)
            return site.send(start_response) if site else self.moto(environ, start_response)
        exchange = Exchange(environ, body, call)
        try:
            reply, fault = self.answer(exchange)
        except Exception:
            # A bug here must show in the server log, and reach the client as an AWS error.
            traceback.print_exc()
            reply, fault = error_reply(call, "InternalFailure", "local AWS endpoint error", 500), None
            if reply is None:
                raise
        self.requests.add(call, reply.status, fault)
        return reply.send(start_response)

    def answer(self, exchange):
        """(Reply, fault kind or None) for one AWS call."""
        fault = self.faults.pick(exchange.call)
        if fault:
            return self.faults.reply(exchange.call, fault), fault
        self.delay(exchange.call)
        extension = self.extensions.get(exchange.call.service)
        atomic = extension is not None and exchange.call.operation in extension.atomic
        with extension.create_lock if atomic else contextlib.nullcontext():
            return self.answer_unfaulted(exchange, extension)

    def delay(self, call):
        """Take as long as the call_delay_seconds setting says this call takes, before anything happens."""
        delays = self.config["call_delay_seconds"] or {}
        seconds = delays.get(call.name, delays.get(call.operation, 0))
        if seconds:
            time.sleep(seconds)

    def answer_unfaulted(self, exchange, extension):
        reply = self.latency.refuse(exchange)
        if reply is not None:
            return reply, None
        if extension is not None:
            reply = extension.handle(exchange)
        if reply is not None:
            # An extension answered; the latency hooks still see it, to show pending states.
            exchange.reply = reply
            self.latency.observe(exchange)
            return exchange.reply, None
        exchange.reply = self.call_moto(exchange.environ)
        if extension is not None:
            extension.rewrite(exchange)
        self.latency.observe(exchange)
        return exchange.reply, None

    def call_moto(self, environ):
        """Run moto's WSGI app and collect its whole answer."""
        started = {}
        chunks = []

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers
            return chunks.append

        result = self.moto(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return Reply(int(started["status"].split()[0]), list(started["headers"]), b"".join(chunks))
