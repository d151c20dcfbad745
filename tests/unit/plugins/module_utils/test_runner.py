"""run: exits with the action's result; an AWS error fails with "Failed to <what>"."""

import botocore.exceptions
import pytest

from ansible_collections.storagekit.aws.plugins.module_utils.runner import run
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state


class Exited(Exception):
    pass


class FakeModule:
    def __init__(self, state="present"):
        self.params = dict(state=state)

    def exit_json(self, **result):
        raise Exited(("exit", result))

    def fail_json_aws(self, error, msg):
        raise Exited(("fail", msg, type(error).__name__))


def test_exits_with_the_result_of_the_action():
    with pytest.raises(Exited) as e:
        run(FakeModule(), "read things", lambda module, x: dict(changed=False, x=x), 1)
    assert e.value.args[0] == ("exit", dict(changed=False, x=1))


def test_an_aws_error_fails_naming_what_failed():
    def action(module):
        raise botocore.exceptions.ClientError(dict(Error=dict(Code="AccessDenied", Message="no")), "ListThings")

    with pytest.raises(Exited) as e:
        run(FakeModule(), "read things", action)
    assert e.value.args[0] == ("fail", "Failed to read things", "ClientError")


@pytest.mark.parametrize("state", ["present", "absent"])
def test_run_state_runs_what_the_state_asks_for(state):
    with pytest.raises(Exited) as e:
        run_state(FakeModule(state), "thing x", lambda module: dict(ran="present"), lambda module: dict(ran="absent"))
    assert e.value.args[0] == ("exit", dict(ran=state))
