"""In-memory log of the API requests the server answered.

Tests read it to prove what a run did, e.g. that a check-mode run wrote nothing: a write is
any create, update, patch or delete that was not a dry run. Sequence numbers never restart.
"""

import threading
import time
from collections import Counter

WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def add(self, method, path, verb, kind, namespace, name, dry_run, status, content_type=None):
        with self._lock:
            self._seq += 1
            self._entries.append({
                "seq": self._seq, "time": time.time(), "method": method, "path": path, "verb": verb,
                "kind": kind, "namespace": namespace, "name": name,
                "write": verb in WRITE_VERBS and not dry_run, "dry_run": dry_run, "status": status,
                "content_type": content_type,
            })

    def entries(self, since=0):
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > since]

    def clear(self):
        with self._lock:
            count = len(self._entries)
            self._entries = []
            return count


def summarize(entries):
    """Counts of reads, writes, dry-run writes and requests per "verb Kind"."""
    writes = sum(1 for e in entries if e["write"])
    dry_runs = sum(1 for e in entries if e["dry_run"])
    by_verb = Counter(f'{e["verb"]} {e["kind"]}' if e["kind"] else e["verb"] for e in entries)
    return {
        "total": len(entries), "writes": writes, "dry_run_writes": dry_runs,
        "reads": len(entries) - writes - dry_runs, "by_verb": dict(sorted(by_verb.items())),
        "last_seq": entries[-1]["seq"] if entries else None,
    }
