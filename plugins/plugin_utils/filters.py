# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way the collection's filters report bad input: an AnsibleFilterError that names the filter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError


def filter_errors(name, *errors):
    """Turn ``errors`` raised by the decorated filter into AnsibleFilterError(``name: message``)."""

    def decorate(function):
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except errors as e:
                raise AnsibleFilterError("{0}: {1}".format(name, e))

        return wrapped

    return decorate
