# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Polling until an asynchronous AWS resource is ready, kept apart from the actions that start it.

Botocore's waiters poll at a fixed, slow pace and often look at one status field only (a
DynamoDB table is "ACTIVE" while a new index is still backfilling). This poller checks a
caller-supplied predicate every ``first_delay`` seconds at first (one second suits a table; a
database could start at ten), then a quarter of the time waited so far, at most MAX_DELAY: a
resource is seen at most a quarter of its wait late, and long waits are not polled too often.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

FIRST_DELAY = 1.0
MAX_DELAY = 15.0


def next_delay(elapsed, first_delay=FIRST_DELAY):
    """Seconds until the next poll after ``elapsed`` seconds of waiting."""
    return min(MAX_DELAY, max(first_delay, elapsed / 4.0))


def wait_until(module, read, is_ready, timeout, what, first_delay=FIRST_DELAY):
    """Call ``read`` until ``is_ready(value)`` holds; fail the module after ``timeout`` seconds.

    Returns the last value read, so the caller needs no extra describe call afterwards.
    """
    clock, sleep = time.monotonic, time.sleep
    started = clock()
    while True:
        value = read()
        if is_ready(value):
            return value
        elapsed = clock() - started
        delay = next_delay(elapsed, first_delay)
        if elapsed + delay > timeout:
            module.fail_json(msg="Timed out after {0} seconds waiting for {1}.".format(timeout, what))
        sleep(delay)


def wait_deleted(module, read, what):
    """Call ``read`` until it finds nothing (None), for at most O(wait_timeout) seconds; ``what`` names the resource."""
    return wait_until(module, read, lambda value: value is None, module.params["wait_timeout"], "{0} to be deleted".format(what))
