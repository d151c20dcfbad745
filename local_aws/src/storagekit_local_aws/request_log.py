"""In-memory log of the AWS calls the endpoint answered.

Benchmarks and Molecule verify steps read it to count reads and writes per operation
(e.g. "a no-change run writes nothing"). Sequence numbers never restart, so a reader can ask
for everything after the last number it saw even across a clear or a reset.
"""

import json
import threading
import time
from collections import Counter


class RequestLog:
    """Thread-safe list of entries; optionally also appended to a JSON-lines file."""

    def __init__(self, path=None):
        self.path = path
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def add(self, call, status, fault=None):
        """Record one answered call and return its entry."""
        with self._lock:
            self._seq += 1
            entry = {
                "seq": self._seq,
                "time": time.time(),
                "service": call.service,
                "operation": call.operation,
                "region": call.region,
                "write": call.write,
                "status": status,
                "fault": fault,
            }
            self._entries.append(entry)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")
        return entry

    def entries(self, since=0):
        """Copies of the entries whose seq is greater than `since`."""
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > since]

    def clear(self):
        """Drop all entries; return how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries = []
            return count

    @property
    def last_seq(self):
        with self._lock:
            return self._seq


def summarize(entries):
    """Counts of reads, writes and calls per "service:Operation"."""
    writes = sum(1 for e in entries if e["write"])
    by_operation = Counter(f'{e["service"]}:{e["operation"]}' for e in entries)
    return {
        "total": len(entries),
        "reads": len(entries) - writes,
        "writes": writes,
        "by_operation": dict(sorted(by_operation.items())),
        "last_seq": entries[-1]["seq"] if entries else None,
    }
