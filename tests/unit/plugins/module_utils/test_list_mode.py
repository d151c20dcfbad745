"""list_spec, list_exclusive, list_mode_options, for_state and fail_on_problems: the list mode's spec and the small shared steps."""

import pytest

from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_exclusive
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_mode_options
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_spec
from ansible_collections.storagekit.aws.plugins.module_utils.runner import for_state

ITEM_SPEC = dict(
    parent_id=dict(type="str", required=True),
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    size=dict(type="int"),
)


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = params

    def fail_json(self, msg):
        raise Failed(msg)


def test_list_spec_makes_name_and_shared_options_optional_and_excludes_the_rest():
    spec = list_spec(ITEM_SPEC, "things", shared=["parent_id"])
    exclusive = list_exclusive(ITEM_SPEC, "things", shared=["parent_id"])
    assert spec["name"] == dict(type="str")
    assert spec["parent_id"] == dict(type="str")
    assert spec["things"] == dict(type="list", elements="dict")
    assert spec["parallelism"] == dict(type="int", default=10)
    assert spec["size"] == ITEM_SPEC["size"]
    assert exclusive == [["things", "name"], ["things", "size"]]
    assert ITEM_SPEC["name"]["required"] is True  # the item spec is not changed


def test_list_mode_options_require_name_or_the_list():
    options = list_mode_options(ITEM_SPEC, "things", shared=["parent_id"])
    assert options == dict(
        argument_spec=list_spec(ITEM_SPEC, "things", shared=["parent_id"]),
        required_one_of=[["name", "things"]],
        mutually_exclusive=list_exclusive(ITEM_SPEC, "things", shared=["parent_id"]),
    )


def test_for_state_picks_the_action_of_the_state():
    assert for_state(FakeModule(state="present"), "make", "remove") == "make"
    assert for_state(FakeModule(state="absent"), "make", "remove") == "remove"


def test_fail_on_problems_names_them_all_and_passes_none():
    fail_on_problems(FakeModule(), [])
    with pytest.raises(Failed, match=r"^Invalid options: a is wrong; b is wrong\.$"):
        fail_on_problems(FakeModule(), ["a is wrong", "b is wrong"])
