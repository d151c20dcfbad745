"""Only what the user set is compared."""

from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import same_engine_version
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset


def test_unset_values_never_differ():
    assert not differs(None, "anything")
    assert not differs(dict(a=None), dict(a=1))
    assert not differs(dict(a=1), dict(a=1, b=2))


def test_set_values_differ_recursively():
    assert differs(dict(a=dict(b=1)), dict(a=dict(b=2)))
    assert differs(dict(a=1), dict())
    assert differs(dict(a=1), None)
    assert differs(False, None)


def test_lists_compare_item_by_item_and_by_length():
    assert not differs([dict(name="x", c=None)], [dict(name="x", c=5)])
    assert differs([1, 2], [2, 1])
    assert differs([1], [1, 2])
    assert differs([1], "1")


def test_without_unset_drops_none_recursively():
    assert without_unset(dict(a=None, b=dict(c=None, d=1), e=[dict(f=None)])) == dict(b=dict(d=1), e=[dict()])


def test_changed_facets_gives_before_and_after():
    desired = dict(a=1, b=None, c=dict(x=1, y=None))
    current = dict(a=2, b=3, c=dict(x=1, y=9))
    assert changed_facets(desired, current, ("a", "b", "c")) == dict(a=(2, 1))


def test_an_engine_version_matches_the_versions_it_is_a_prefix_of():
    assert same_engine_version("16", "16.4")
    assert same_engine_version("7.1", "7.1")
    assert not same_engine_version("1", "16.4")
    assert not same_engine_version("16", None)
