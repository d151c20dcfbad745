# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resources a module finds by a name that AWS does not keep unique (Cost Explorer, Macie).

Two resources with the module's name leave it no way to tell which one to manage: it fails naming the count.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state


class DuplicateName(ValueError):
    """More than one resource carries the name."""


def only_one(found, what, name):
    """The one item of ``found``, None when there is none; DuplicateName when ``what`` (plural) share ``name``."""
    if len(found) > 1:
        raise DuplicateName("{0} {1} named {2!r}; name them apart first".format(len(found), what, name))
    return found[0] if found else None


def run_named_state(module, what, plural, present, absent, client):
    """run_state for the resource ``what`` named O(name); a name on several resources fails as ``plural``: ..."""
    try:
        run_state(module, "{0} {1}".format(what, module.params["name"]), present, absent, client)
    except DuplicateName as e:
        module.fail_json(msg="{0}: {1}".format(plural, e))
