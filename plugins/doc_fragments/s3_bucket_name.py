# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The bucket option of modules that manage the objects or a configuration of one S3 bucket."""

    DOCUMENTATION = r"""
options:
  bucket:
    description:
      - Name of the bucket.
    type: str
    required: true
"""
