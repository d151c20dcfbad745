# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Data residency: which planned resources would sit outside the regions a team may use.

A plan is a list of ``{resource, region}``; a region may also be given as an ARN (its fourth field), so a DR vault
ARN or a KMS key ARN of another account counts where it lives. One refusal names every offender at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# us-east-1, eu-central-2, us-gov-west-1, cn-north-1 (a key id or an alias is not a region).
REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
SETTING = "storagekit_allowed_regions"


def region_of(value):
    """The region of a region name or of an ARN (``arn:partition:service:region:...``); '' for none (an S3 or IAM
    ARN, a resource name, a key id or alias, which live in the caller's region)."""
    value = (value or "").strip()
    if value.startswith("arn:"):
        parts = value.split(":")
        return parts[3] if len(parts) > 3 else ""
    return value if REGION_NAME.match(value) else ""


def offenders(plan, allowed):
    """The ``(resource, region)`` pairs of ``plan`` whose region is not in ``allowed``, in plan order, once each.

    An empty ``allowed`` restricts nothing; an entry without a region (a global resource) never offends.
    """
    allowed = [region.strip() for region in allowed or [] if region and region.strip()]
    if not allowed:
        return []
    found = []
    for item in plan or []:
        region = region_of(item.get("region"))
        pair = (item.get("resource") or "?", region)
        if region and region not in allowed and pair not in found:
            found.append(pair)
    return found


def refusal(plan, allowed, setting=SETTING):
    """One message naming every offender of ``plan``, or '' when there is none."""
    found = offenders(plan, allowed)
    if not found:
        return ""
    return "{0} allows only {1}; refused before any change, {2} outside them: {3}".format(
        setting, ", ".join(sorted(set(r.strip() for r in allowed if r and r.strip()))), len(found),
        "; ".join("{0} in {1}".format(resource, region) for resource, region in found))
