# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Many resources of one kind in one module run: a bounded pool of threads and one result per item.

A module process costs far more than the API calls of one resource, so a list of tables or buckets is
handled by one module run, at most O(parallelism) items at a time (10 by default, as Terraform's). boto3
clients are thread-safe and sessions are not: the clients are made once, before the items start, and every
item shares them. Each item sees an ItemModule: its own options, the run's check and diff mode, and a
failure that ends that item only. The run fails at the end, naming every failed item.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

try:
    import botocore
    from botocore.config import Config
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import next_delay

DEFAULT_PARALLELISM = 10
PARALLELISM_OPTION = dict(parallelism=dict(type="int", default=DEFAULT_PARALLELISM))


def check_parallelism(module):
    if module.params["parallelism"] < 1:
        module.fail_json(msg="parallelism must be 1 or more.")


def list_spec(item_spec, key, shared=()):
    """The argument spec of a module that takes one item's options or a list of items under ``key``.

    ``name`` and the ``shared`` options (an item without them takes the module's) are optional at module
    level.
    """
    spec = dict(item_spec, name=dict(type="str"), **PARALLELISM_OPTION)
    spec[key] = dict(type="list", elements="dict")
    for option in shared:
        spec[option] = dict(type=item_spec[option]["type"])
    return spec


def list_exclusive(item_spec, key, shared=()):
    """The mutually_exclusive pairs of list_spec: an item option without a default (``shared`` ones aside),
    set beside the list, would be silently unused."""
    return [[key, option] for option, option_spec in item_spec.items()
            if "default" not in option_spec and option not in shared]


def list_mode_options(item_spec, key, shared=()):
    """The AnsibleAWSModule arguments of a module with a list mode: list_spec, list_exclusive, and ``name`` or
    ``key`` required."""
    return dict(
        argument_spec=list_spec(item_spec, key, shared),
        required_one_of=[["name", key]],
        mutually_exclusive=list_exclusive(item_spec, key, shared),
    )


def items_client(module, service, catch_extra_error_codes=None):
    """One client of ``service`` for all items, with a connection for each item that runs at the same time.

    Made once, before the items start: boto3 sessions are not thread-safe, the clients they make are.
    """
    config = Config(max_pool_connections=max(10, module.params["parallelism"]))
    return aws_client(module, service, catch_extra_error_codes, config=config)


class ItemFailed(Exception):
    """The failure of one item: its message and the values fail_json would have returned."""

    def __init__(self, msg, **values):
        super(ItemFailed, self).__init__(msg)
        self.values = dict(values, msg=msg)


def aws_error_message(exception, msg=None):
    """``msg: error`` as AnsibleAWSModule.fail_json_aws words it."""
    text = str(getattr(exception, "message", None) or exception)
    return "{0}: {1}".format(msg, text) if msg else text


class ItemModule:
    """The module as one item of a list sees it.

    The clients the module makes before the pool are passed to the items. A client an item asks for
    itself (a KMS client to check a key, say) is made once for all items, under a lock: boto3 sessions
    are not thread-safe, the clients they make are.
    """

    _client_lock = threading.Lock()

    def __init__(self, module, params):
        self._module = module
        self.params = params
        self.check_mode = module.check_mode
        self._diff = module._diff

    def client(self, service, retry_decorator=None, **extra_params):
        with self._client_lock:
            made = self._module.__dict__.setdefault("_item_clients", {})
            key = (service, extra_params.get("region"))  # a client of another region is another client
            if key not in made:
                made[key] = self._module.client(service, retry_decorator=retry_decorator, **extra_params)
            return made[key]

    @property
    def region(self):
        return self._module.region

    def fail_json(self, msg, **values):
        raise ItemFailed(msg, **values)

    def fail_json_aws(self, exception, msg=None, **values):
        error = getattr(exception, "response", {}).get("Error", {})
        if error.get("Code"):
            values.setdefault("error_code", error["Code"])
        raise ItemFailed(aws_error_message(exception, msg), **values)

    def fail_json_aws_error(self, exception):
        if exception.exception:
            self.fail_json_aws(exception.exception, msg=exception.message)
        self.fail_json(msg=exception.message)

    def warn(self, msg):
        self._module.warn("{0}: {1}".format(self.params.get("name"), msg))

    def require_botocore_at_least(self, desired, **kwargs):
        self._module.require_botocore_at_least(desired, **kwargs)


class Item:
    """One item of the list: its module view, what its last step returned, and its failure, if any."""

    def __init__(self, module, params, label):
        self.module = ItemModule(module, params)
        self.name = params["name"]
        self.label = label
        self.value = None
        self.error = None


def validated_items(module, items, spec, label):
    """An Item per element of ``items``, validated against ``spec`` (defaults applied, types converted).

    Every invalid item is named in one failure, before any call to AWS.
    """
    validator = ArgumentSpecValidator(spec)
    valid, errors = [], []
    for index, params in enumerate(items):
        result = validator.validate(params)
        if result.error_messages:
            name = params.get("name") if isinstance(params, dict) else None
            errors.append("item {0} ({1}): {2}".format(index, name or "no name", "; ".join(result.error_messages)))
        else:
            valid.append(Item(module, result.validated_parameters, label(result.validated_parameters)))
    names = [params.get("name") for params in items if isinstance(params, dict) and params.get("name")]
    twice = sorted(set(n for n in names if names.count(n) > 1))
    if twice:
        errors.append("each name may appear once: {0}".format(", ".join(twice)))
    if errors:
        module.fail_json(msg="Invalid items: {0}".format(" | ".join(errors)))
    return valid


def _guarded(item, step):
    try:
        item.value = step(item)
    except ItemFailed as e:
        item.error = e.values
    except AnsibleAWSError as e:
        item.error = dict(msg=aws_error_message(e.exception, e.message) if e.exception else e.message)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        item.error = dict(msg=aws_error_message(e, "Failed to manage {0}".format(item.label)))
    except Exception as e:  # pylint: disable=broad-except
        # One item's unexpected error must not hide the results of the others.
        item.error = dict(msg="Failed to manage {0}: {1}".format(item.label, e), exception=traceback.format_exc())


def run_step(items, step, parallelism=DEFAULT_PARALLELISM):
    """``item.value = step(item)`` for every item that has not failed, at most ``parallelism`` at a time.

    An item whose step raises keeps the error in ``item.error`` and takes no further step.
    """
    todo = [item for item in items if item.error is None]
    if parallelism <= 1 or len(todo) <= 1:
        for item in todo:
            _guarded(item, step)
        return
    with ThreadPoolExecutor(max_workers=min(parallelism, len(todo))) as executor:
        list(executor.map(lambda item: _guarded(item, step), todo))


def wait_all(items, read, is_ready, timeout, what, parallelism=DEFAULT_PARALLELISM, first_delay=1.0):
    """One wait for all ``items``: each round reads every item not ready yet, then sleeps once for all.

    ``read(item)`` returns the resource, ``is_ready(value)`` says when to stop polling it,
    ``timeout(item)`` is the item's limit in seconds and ``what(item)`` names what it waits for.
    Sets ``item.value`` to the last value read; an item past its limit fails with a timeout.
    """
    started = time.monotonic()
    waiting = [item for item in items if item.error is None]
    while waiting:
        run_step(waiting, read, parallelism)
        elapsed = time.monotonic() - started
        still = []
        for item in waiting:
            if item.error is not None or is_ready(item.value):
                continue
            if elapsed + next_delay(elapsed, first_delay) > timeout(item):
                item.error = dict(msg="Timed out after {0} seconds waiting for {1}.".format(timeout(item), what(item)))
                continue
            still.append(item)
        waiting = still
        if waiting:
            time.sleep(next_delay(elapsed, first_delay))


def finish(module, items, key, kind):
    """Exit with one result per item under ``key``; fail naming every failed item of ``kind``.

    A result is the item's step value (``changed``, the resource, its ``diff``) with its name, or
    ``failed`` and ``msg``. The task's diff lists the items' diffs, each headed with its name.
    """
    results, diffs, failed = [], [], []
    for item in items:
        if item.error is not None:
            results.append(dict(item.error, name=item.name, changed=False, failed=True))
            failed.append("{0} ({1})".format(item.name, item.error["msg"]))
            continue
        # An item has no value when another item's checks stopped the run before it started.
        result = dict(item.value or dict(changed=False), name=item.name)
        results.append(result)
        if "diff" in result:
            diffs.append(dict(result["diff"], before_header=item.label, after_header=item.label))
    values = {key: results, "changed": any(r["changed"] for r in results)}
    if module._diff:
        values["diff"] = diffs
    if failed:
        module.fail_json(msg="Failed to manage {0} of {1} {2}: {3}".format(
            len(failed), len(items), kind, "; ".join(failed)), **values)
    module.exit_json(**values)


def run_checked(module, items, validate, manage, key, kind):
    """``validate(item)`` for every item, one after another; then, only when none failed, ``manage(items)``;
    then finish(). An invalid item so stops the run before the first write of any item."""
    run_step(items, validate, parallelism=1)
    if not any(item.error for item in items):
        manage(items)
    finish(module, items, key, kind)


def in_pool(module, step):
    """A ``manage`` for run_checked that runs ``step(item)`` for every item, at most O(parallelism) at a time."""
    return lambda items: run_step(items, step, module.params["parallelism"])


def run_list(module, key, item_spec, label, kind, validate, manage):
    """The list mode of a module: the items under ``key`` validated against ``item_spec``, then run_checked.

    ``label`` names an item in messages, formatted with its name (``"S3 bucket {0}"``). Exits the module.
    """
    check_parallelism(module)
    items = validated_items(module, module.params[key], item_spec, lambda params: label.format(params["name"]))
    run_checked(module, items, validate, manage, key, kind)
