"""filter_errors: the listed errors become AnsibleFilterError naming the filter; others pass through."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.plugin_utils.filters import filter_errors


@filter_errors("halve", ValueError)
def halve(value):
    """Half of an even number."""
    if value % 2:
        raise ValueError("{0} is odd".format(value))
    return value // 2


def test_returns_the_result():
    assert halve(4) == 2
    assert halve.__name__ == "halve"


def test_a_listed_error_names_the_filter():
    with pytest.raises(AnsibleFilterError, match="^halve: 3 is odd$"):
        halve(3)


def test_other_errors_pass_through():
    with pytest.raises(TypeError):
        halve("x")
