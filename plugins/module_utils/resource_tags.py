# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``tags`` of a module's result, the same way in every module that takes O(tags) and O(purge_tags)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def with_tags(module, resource, manage=None):
    """``resource``, a module's result, with its ``tags`` when O(tags) is set.

    ``manage()`` brings the tags of a resource that exists to O(tags) and returns them (None when unmanaged);
    without it the resource was created in this run, with O(tags).
    """
    if manage is not None:
        tags = manage()
    else:
        tags = None if module.params["tags"] is None else dict(module.params["tags"])
    if tags is not None:
        resource["tags"] = tags
    return resource
