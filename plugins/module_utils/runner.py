# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The end of every module's main(): run the module's work, fail on an AWS error, exit with the result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError


def run(module, what, action, *args):
    """Exit with the result of ``action(module, *args)``.

    An AWS error fails the module with "Failed to ``what``", and an error of the amazon.aws readers
    (access denied, unreadable document) with their own message.
    """
    try:
        result = action(module, *args)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to {0}".format(what))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


def for_state(module, present, absent):
    """``absent`` or ``present``, as O(state) says."""
    return absent if module.params["state"] == "absent" else present


def run_state(module, what, present, absent, *args):
    """Run ``absent`` or ``present`` as O(state) says; an AWS error fails with "Failed to manage ``what``"."""
    run(module, "manage " + what, for_state(module, present, absent), *args)
