# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Desired-versus-current comparison that only looks at what the user set.

An option left unset (``None``) never causes a change, so a module can be pointed at a
resource managed partly elsewhere and touch only the facets it was given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def without_unset(value):
    """Drop ``None`` values from dicts, recursively, so only what the user set remains."""
    if isinstance(value, dict):
        return dict((k, without_unset(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [without_unset(v) for v in value]
    return value


def differs(desired, current):
    """True when a value set in ``desired`` is not the same in ``current``.

    Dicts compare only the keys set in ``desired``; lists compare item by item and must be of
    equal length; everything else compares with ``==``.
    """
    if desired is None:
        return False
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return True
        return any(differs(v, current.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        if not isinstance(current, list) or len(desired) != len(current):
            return True
        return any(differs(d, c) for d, c in zip(desired, current))
    return desired != current


def same_engine_version(desired, current):
    """``16`` matches ``16.4``: a major or major.minor version the user gave is a prefix of AWS's."""
    if not current:
        return False
    return current == desired or current.startswith(desired + ".")


def changed_facets(desired, current, facets):
    """The ``{facet: (before, after)}`` pairs of ``facets`` whose desired value differs from current."""
    changes = {}
    for facet in facets:
        want = desired.get(facet)
        have = current.get(facet)
        if differs(want, have):
            changes[facet] = (have, without_unset(want))
    return changes
