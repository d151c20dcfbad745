"""A small in-memory Kubernetes API server for tests (see README.md)."""

from .server import KubeAPI

__all__ = ["KubeAPI"]
