# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The state option of modules that create, change or delete a resource.

    A module that says more about what V(absent) deletes or refuses gives its own O(state) description,
    which replaces this one; the type, choices and default stay the fragment's.
    """

    DOCUMENTATION = r"""
options:
  state:
    description:
      - Whether the resource should exist.
    type: str
    choices: [present, absent]
    default: present
"""
