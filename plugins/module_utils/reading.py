# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading AWS answers: every page of a list call, the one resource of a describe call or None.

Every call goes through the client's retry decorator (``aws_retry=True``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def all_items(call, key, next_key="NextToken", request_key=None, **request):
    """Every item under ``key`` of the pages of ``call(aws_retry=True, **request)``.

    The next page is asked for with the answer's ``next_key`` sent back as ``request_key``
    (``next_key`` itself unless the service names them differently, as EFS's NextMarker/Marker).
    """
    request_key = request_key or next_key
    items = []
    while True:
        page = call(aws_retry=True, **request)
        items.extend(page.get(key) or [])
        if not page.get(next_key):
            return items
        request[request_key] = page[next_key]


def described(call, key, not_found, **request):
    """``call(aws_retry=True, **request)[key]``, or None when AWS answers with the error code ``not_found``."""
    try:
        return call(aws_retry=True, **request)[key]
    except is_boto3_error_code(not_found):
        return None


def first_described(call, key, not_found, **request):
    """The first item of the list ``described`` finds, or None when AWS answers ``not_found`` or lists nothing."""
    items = described(call, key, not_found, **request)
    return items[0] if items else None
