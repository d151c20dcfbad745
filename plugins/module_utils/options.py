# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Argument spec entries that several modules share, as their documentation fragments describe them,
and the one failure for options that break rules an argument spec cannot state.

TAG_OPTIONS goes with the amazon.aws.tags fragment and wait_options() with the storagekit.aws.wait one.
S3_RULE_OPTIONS are the id, status and prefix filter of the rules S3 keeps in a bucket's configurations
(lifecycle rules, Intelligent-Tiering configurations).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

TAG_OPTIONS = dict(
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
)

S3_RULE_OPTIONS = dict(
    id=dict(type="str", required=True),
    status=dict(type="str", choices=["enabled", "disabled"], default="enabled"),
    prefix=dict(type="str"),
)


def wait_options(wait=True, timeout=900):
    """The O(wait) and O(wait_timeout) options, with the module's defaults."""
    return dict(
        wait=dict(type="bool", default=wait),
        wait_timeout=dict(type="int", default=timeout),
    )


def repeated(values):
    """Whether a value stands more than once in the list ``values`` (names an argument spec cannot keep unique)."""
    return len(set(values)) != len(values)


def fail_on_problems(module, problems, invalid="options"):
    """Fail naming every problem at once, before any call, when there is one: "Invalid ``invalid``: ..."."""
    if problems:
        module.fail_json(msg="Invalid {0}: {1}.".format(invalid, "; ".join(problems)))
