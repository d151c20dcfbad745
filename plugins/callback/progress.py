# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Progress of long tasks: which are still running, and for how long."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: progress
type: aggregate
short_description: Says which long tasks are still running, and for how long
description:
  - While a task runs longer than O(interval) seconds, prints every O(interval) seconds which task is still running on
    which host and for how long, and when it ends, how long it took. Creating an RDS instance, an ElastiCache group,
    an EFS file system or a CloudFront distribution takes 5 to 20 minutes on AWS, during which the task header alone
    would be the only line on the screen.
  - The wait tasks of the collection's roles name the resource they wait for, so the line says what is pending.
  - Runs beside any stdout callback. Enable it with C(callbacks_enabled = storagekit.aws.progress) in the
    C([defaults]) section of C(ansible.cfg), or C(ANSIBLE_CALLBACKS_ENABLED=storagekit.aws.progress).
author:
  - storagekit.aws maintainers (@storagekit)
requirements:
  - enable in configuration
options:
  interval:
    description: Seconds between two reports on a running task; the first comes after as many seconds.
    type: float
    default: 60
    env:
      - name: STORAGEKIT_PROGRESS_INTERVAL
    ini:
      - section: callback_storagekit_progress
        key: interval
"""

import threading
import time

from ansible.plugins.callback import CallbackBase


def elapsed(seconds):
    """1m05s, or 42s under a minute."""
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


class CallbackModule(CallbackBase):
    """A background thread looks once a second at the running tasks and reports the ones due."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "storagekit.aws.progress"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._running = {}  # (host name, task uuid) -> {"name", "started", "next", "items", "reported"}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._interval = 60.0

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._interval = max(float(self.get_option("interval")), 0.5)

    def _watch(self):
        while not self._stop.wait(min(1.0, self._interval / 2)):
            now = time.monotonic()
            with self._lock:
                due = [(key, run) for key, run in self._running.items() if now >= run["next"]]
                for key, run in due:
                    run["next"] = now + self._interval
                    run["reported"] = True
            for (host, _uuid), run in due:
                items = f", {run['items']} loop items done" if run["items"] else ""
                self._display.display(
                    f"[progress] still running after {elapsed(now - run['started'])} on {host}{items}: {run['name']}"
                )

    def v2_playbook_on_start(self, playbook):
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="storagekit-progress", daemon=True)
            self._thread.start()

    def v2_runner_on_start(self, host, task):
        now = time.monotonic()
        with self._lock:
            self._running[(host.get_name(), task._uuid)] = {
                "name": task.get_name().strip(), "started": now, "next": now + self._interval,
                "items": 0, "reported": False,
            }

    def _item_done(self, result):
        with self._lock:
            run = self._running.get((result._host.get_name(), result._task._uuid))
            if run:
                run["items"] += 1

    v2_runner_item_on_ok = v2_runner_item_on_failed = v2_runner_item_on_skipped = _item_done

    def _task_done(self, result, *args, **kwargs):
        host = result._host.get_name()
        with self._lock:
            run = self._running.pop((host, result._task._uuid), None)
        if run and run["reported"]:
            self._display.display(
                f"[progress] finished after {elapsed(time.monotonic() - run['started'])} on {host}: {run['name']}"
            )

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_skipped = v2_runner_on_unreachable = _task_done

    def v2_playbook_on_stats(self, stats):
        self._stop.set()
        with self._lock:
            self._running.clear()
