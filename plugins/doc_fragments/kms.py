# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The KMS key option of modules whose resource AWS encrypts at rest with a key fixed at creation."""

    DOCUMENTATION = r"""
options:
  kms_key_id:
    description:
      - The KMS key that encrypts the data at rest, as key id, key ARN, alias name (V(alias/name)) or alias ARN.
      - When unset, AWS uses the AWS managed key of the service (for example C(aws/rds)).
      - AWS sets the key when it creates the resource and cannot change it afterwards. A different key for an
        existing resource is an error, reported before any write. The notes say how a key given as an alias or
        key id is compared with the key ARN that AWS reports.
    type: str
"""
