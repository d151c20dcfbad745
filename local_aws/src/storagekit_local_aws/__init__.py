"""The project's local AWS endpoint: moto server plus the project's extensions, a request
log, fault injection and a latency model. See server.LocalAWS and control.py."""

from .config import EndpointConfig
from .operations import identify, is_write
from .server import LocalAWS

__all__ = ["EndpointConfig", "LocalAWS", "identify", "is_write"]
