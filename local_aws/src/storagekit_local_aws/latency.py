"""Latency model: resources take time to become ready, as on AWS.

Moto makes every resource ACTIVE at once, so a module that forgets to wait, or that calls
UpdateTable on a table AWS still creates, passes against moto and fails on AWS. With a latency
set, resources created through the endpoint report CREATING for that long, and the calls AWS
refuses in that state are refused here too.

The model keeps only timers. What "creating" looks like for a service is declared by a
LatencyHook in that service's extension module (see extensions/dynamodb.py); adding a service
is a new hook there, nothing here.

Settings (EndpointConfig "latency_seconds"): None (off), a number of seconds for every kind,
or a dict per resource kind such as {"dynamodb:table": 3, "dynamodb:index": 1, "*": 0.5}.
"""

import threading
import time


class LatencyHook:
    """What one service's resources do while they are still being created.

    `kinds` names the resource kinds the hook times ("dynamodb:table"); they are the keys of a
    per-kind latency_seconds dict.
    """

    service = None
    kinds = ()

    def refuse(self, exchange, model):
        """Before the call reaches moto: a Reply to refuse it (as AWS would), or None."""
        return None

    def observe(self, exchange, model):
        """After moto or an extension answered: start or drop timers and show pending states."""


class LatencyModel:
    """Timers per (kind, key) and the hooks that use them."""

    def __init__(self, config, hooks=()):
        self.config = config
        self.hooks = list(hooks)
        self._lock = threading.Lock()
        self._ready_at = {}

    def seconds(self, kind):
        """How long a resource of this kind takes to create under the current setting."""
        setting = self.config["latency_seconds"]
        if setting is None:
            return 0.0
        if isinstance(setting, dict):
            return setting.get(kind, setting.get("*", 0.0))
        return setting

    def start(self, kind, key):
        """A resource was just created; it stays pending for seconds(kind)."""
        seconds = self.seconds(kind)
        if seconds > 0:
            with self._lock:
                self._ready_at[(kind, key)] = time.monotonic() + seconds

    def pending(self, kind, key):
        """True while the resource is still being created."""
        with self._lock:
            ready_at = self._ready_at.get((kind, key))
            if ready_at is not None and ready_at <= time.monotonic():
                del self._ready_at[(kind, key)]
                ready_at = None
        return ready_at is not None

    def pending_keys(self, kind, prefix):
        """Keys of pending resources of a kind whose key starts with prefix."""
        with self._lock:
            keys = [k for (knd, k) in self._ready_at if knd == kind and k.startswith(prefix)]
        return [k for k in keys if self.pending(kind, k)]

    def forget(self, kind, key):
        """Drop the timer of a deleted resource."""
        with self._lock:
            self._ready_at.pop((kind, key), None)

    def forget_all(self, kind, prefix):
        """Drop the timers of deleted resources whose keys start with prefix."""
        with self._lock:
            for timer in [t for t in self._ready_at if t[0] == kind and t[1].startswith(prefix)]:
                del self._ready_at[timer]

    def reset(self):
        with self._lock:
            self._ready_at.clear()

    def _hooks_for(self, call):
        return [hook for hook in self.hooks if hook.service == call.service]

    def refuse(self, exchange):
        for hook in self._hooks_for(exchange.call):
            reply = hook.refuse(exchange, self)
            if reply is not None:
                return reply
        return None

    def observe(self, exchange):
        for hook in self._hooks_for(exchange.call):
            hook.observe(exchange, self)
