# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The wait/wait_timeout options of modules whose AWS operations finish asynchronously."""

    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until the resource has reached its final state (for example C(ACTIVE)) before returning.
      - With O(wait=false) the module returns as soon as AWS has accepted the request, so several
        slow resources can be created side by side and waited for together afterwards.
      - Changes that AWS only accepts on a settled resource are still waited for.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait for the resource before failing.
    type: int
    default: 900
"""
