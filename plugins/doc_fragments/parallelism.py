# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The parallelism option of modules that take a list of resources in one run (module_utils/pool.py)."""

    DOCUMENTATION = r"""
options:
  parallelism:
    description:
      - With a list of resources, how many of them are read and changed at the same time.
    type: int
    default: 10
    version_added: 0.2.0
"""
