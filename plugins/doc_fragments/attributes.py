# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


# Both kinds of module retry the same way (module_utils/retries.py).
RETRY_NOTES = r"""
notes:
  - Every AWS call of the module is retried with jittered backoff (a random sleep up to 1, 2, 4, ... 30 seconds)
    when AWS throttles it (C(ThrottlingException), C(Throttling), C(TooManyRequestsException),
    C(RequestLimitExceeded), C(SlowDown), C(ProvisionedThroughputExceededException), C(PriorRequestNotComplete))
    or answers with a server error (HTTP 5xx).
  - The number of tries of each call is C(retries.total_max_attempts) of O(aws_config), or
    C(retries.max_attempts) + 1 (botocore counts only the retries there), or 10 when neither is set.
    botocore gets O(aws_config) too and retries each try in its own retry mode.
    Set it for every module of a play, ours and those of amazon.aws and community.aws, with
    C(module_defaults) for C(group/storagekit.aws.aws), as the reference playbooks do.
"""

# Modules that create, change or delete AWS resources.
MODULE_ATTRIBUTES = r"""
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module makes read calls only and reports the C(changed) a real run would report.
  diff_mode:
    support: full
    details:
      - The diff holds the before and after value of each facet that changes, and nothing else.
  platform:
    support: full
    platforms: aws
"""

# Modules that only read.
INFO_ATTRIBUTES = r"""
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, and runs the same in check mode.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: aws
"""


class ModuleDocFragment:
    """The check mode, diff mode and platform attributes of the collection's modules, and how they retry.

    Use it after C(ansible.builtin.action_common_attributes), which gives the descriptions. A module
    that supports a mode only in part overrides C(support) and adds C(details) in its own
    C(attributes) section.
    """

    def __init__(self):
        self.DOCUMENTATION = MODULE_ATTRIBUTES + RETRY_NOTES
        self.INFO = INFO_ATTRIBUTES + RETRY_NOTES
