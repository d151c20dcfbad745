# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The end of every state-based module's main(): bring the resource to the state asked for and exit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError


def run_state(module, what, present, absent, *args):
    """Call ``absent(module, *args)`` or ``present(module, *args)`` as O(state) says and exit with the result.

    An AWS error fails the module with "Failed to manage ``what``", and an error of the amazon.aws
    readers (access denied, unreadable document) with their own message.
    """
    try:
        if module.params["state"] == "absent":
            result = absent(module, *args)
        else:
            result = present(module, *args)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to manage {0}".format(what))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)
