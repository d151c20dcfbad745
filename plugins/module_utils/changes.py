# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a module run changes: the changed flag, the diff, and the writes check mode must skip.

Every storagekit.aws module funnels its writes through one ChangeSet so that check mode and
diff mode behave the same everywhere and a write can never slip past check mode.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags


class ChangeSet:
    """Records changed facets as before/after pairs and runs their writes outside check mode."""

    def __init__(self, module):
        self.module = module
        self.changed = False
        self.before = {}
        self.after = {}

    def apply(self, facet, before, after, write=None):
        """Mark ``facet`` as changing from ``before`` to ``after``; call ``write`` unless in check mode."""
        self.changed = True
        self.before[facet] = before
        self.after[facet] = after
        if write is not None and not self.module.check_mode:
            return write()
        return None

    @property
    def writes_allowed(self):
        return not self.module.check_mode

    def result(self, **values):
        """The module result: ``changed``, the ``diff`` when asked for, and ``values``."""
        result = dict(changed=self.changed)
        result.update(values)
        if self.module._diff:
            result["diff"] = dict(before=self.before, after=self.after)
        return result


def apply_tag_changes(changes, current, desired, purge, untag=None, tag=None, replace=None):
    """Record the tag changes as the ``tags`` facet and make them outside check mode.

    ``untag(keys)`` and ``tag(tags_dict)`` are the service's own calls, since every AWS service
    spells tagging differently; a service that replaces the whole tag set in one call gives
    ``replace(tags_dict)`` instead, called with the tags after the run. Returns the tags after the run.
    """
    current = current or {}
    to_set, to_remove = compare_aws_tags(current, desired, purge)
    if not to_set and not to_remove:
        return current
    after = dict((k, v) for k, v in current.items() if k not in to_remove)
    after.update(to_set)

    def write():
        if replace is not None:
            replace(after)
            return
        if to_remove:
            untag(to_remove)
        if to_set:
            tag(to_set)

    changes.apply("tags", current, after, write)
    return after


def apply_tag_options(module, changes, read_current, untag=None, tag=None, replace=None):
    """apply_tag_changes with O(tags) and O(purge_tags) of the TAG_OPTIONS; the tags after the run.

    When O(tags) is unset the tags are not managed: ``read_current()`` is not called and the
    result is None.
    """
    if module.params["tags"] is None:
        return None
    return apply_tag_changes(changes, read_current(), module.params["tags"], module.params["purge_tags"], untag, tag, replace)


def apply_arn_tag_options(module, changes, client, list_tags, resource, tags_key, keys_key):
    """apply_tag_options for a service that tags a resource by its ARN with tags as a dict.

    ``list_tags`` is the service's list call; it, TagResource and UntagResource name the resource with
    ``resource`` (``dict(ResourceArn=arn)``, spelled as the service spells it). ``tags_key`` names the tags in the
    list answer and in TagResource, ``keys_key`` the keys in UntagResource.
    """
    return apply_tag_options(
        module,
        changes,
        lambda: list_tags(aws_retry=True, **resource).get(tags_key) or {},
        lambda keys: client.untag_resource(aws_retry=True, **dict(resource, **{keys_key: list(keys)})),
        lambda tags: client.tag_resource(aws_retry=True, **dict(resource, **{tags_key: tags})),
    )


def put_resource(module, changes, facet, found, current, wanted, create, update, result_of, manage_tags):
    """Create or update a resource and bring its tags to O(tags); the module's result for it.

    ``found`` is the resource as read (None when there is none: ``create()`` makes it, with O(tags)); ``update()``
    writes ``wanted`` where ``current`` differs (None: nothing of the resource is updated). ``result_of(answer)`` is
    the result, with the resource's C(arn), for the create call's answer (empty in check mode) or for ``found``; it
    runs after the create or update call and before the tags. ``manage_tags(arn)`` is apply_tag_options with the
    service's tag calls.
    """
    if found is None:
        return with_tags(module, result_of(changes.apply(facet, None, wanted, create) or {}))
    if update is not None and current != wanted:
        changes.apply(facet, current, wanted, update)
    resource = result_of(found)
    return with_tags(module, resource, lambda: manage_tags(resource["arn"]))


def remove_found(module, key, found, delete, *args):
    """The result of O(state=absent): ``key`` empty, after ``delete(module, changes, found, *args)`` when found.

    ``found`` is the resource as read (None when there is none: nothing changes then). ``delete``
    records its writes in ``changes`` and may return more result values.
    """
    changes = ChangeSet(module)
    values = {key: {}}
    if found is not None:
        values.update(delete(module, changes, found, *args) or {})
    return changes.result(**values)


def remove_one(module, key, facet, found, before, delete):
    """remove_found of a resource one call deletes: ``facet`` goes from ``before(found)`` to None by ``delete(found)``."""
    return remove_found(module, key, found, lambda module_, changes, found_: changes.apply(
        facet, before(found_), None, lambda: delete(found_)))
