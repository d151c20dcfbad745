#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: s3_bucket_analytics
short_description: S3 storage class analysis and request metrics configurations of a bucket
version_added: 0.1.0
description:
  - Creates, updates and deletes the storage class analysis (analytics) configurations of a bucket, with a daily
    CSV export to a reporting bucket, and its CloudWatch request metrics configurations (filters), for the whole
    bucket or a prefix and/or tags. Neither amazon.aws nor community.aws manages them.
  - Each kind is read with one paginated list call, and only when its option is set; only configurations that
    differ are written. A run that changes nothing makes no write call.
  - The reporting bucket's policy must let C(s3.amazonaws.com) put the export objects; the module does not
    change it.
  - With O(buckets), one run manages the configurations of a list of buckets, at most O(parallelism) at a time.
    Each bucket has its own result, diff and error; a failed bucket does not stop the others, and the task fails
    naming every failed bucket.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  bucket:
    description: Name of the bucket. Required unless O(buckets) is set.
    type: str
  buckets:
    description:
      - A list of buckets to manage in this one run, instead of O(bucket) and the other options.
      - Each item takes C(name), the name of the bucket, and the options O(analytics), O(purge_analytics),
        O(metrics), O(purge_metrics) and O(state) of this module, with the same defaults; the module-level
        O(analytics) and O(metrics) cannot be set beside it.
      - Every item is checked before the first call to AWS; an invalid item fails the task before any write.
    type: list
    elements: dict
    version_added: 0.2.0
  analytics:
    description:
      - Storage class analysis configurations. Unset leaves them alone.
      - With O(state=absent), only O(analytics[].id) is used; an empty list removes them all.
    type: list
    elements: dict
    suboptions:
      id:
        description: Identifier of the configuration, unique in the bucket (up to 64 characters).
        type: str
        required: true
      prefix:
        description: Only objects whose key starts with this prefix. All objects when unset.
        type: str
      tags:
        description: Only objects that carry all of these tags.
        type: dict
      export_bucket:
        description: Name of the bucket the daily CSV export goes to; no export when unset.
        type: str
      export_prefix:
        description: Key prefix of the export objects.
        type: str
      export_account_id:
        description: Account that owns O(analytics[].export_bucket), when another account does.
        type: str
  purge_analytics:
    description: Delete the analytics configurations not listed in O(analytics).
    type: bool
    default: true
  metrics:
    description:
      - Request metrics configurations (C(AWS/S3) request metrics in CloudWatch, C(FilterId) the id). Unset
        leaves them alone.
      - With O(state=absent), only O(metrics[].id) is used; an empty list removes them all.
    type: list
    elements: dict
    suboptions:
      id:
        description: Identifier of the configuration, unique in the bucket (up to 64 characters), such as C(EntireBucket).
        type: str
        required: true
      prefix:
        description: Only requests for keys with this prefix. The whole bucket when unset.
        type: str
      tags:
        description: Only requests for objects that carry all of these tags.
        type: dict
  purge_metrics:
    description: Delete the metrics configurations not listed in O(metrics).
    type: bool
    default: true
  state:
    description: Whether the listed configurations exist.
extends_documentation_fragment:
  - storagekit.aws.parallelism
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Storage class analysis exported to the reporting bucket, and request metrics of the whole bucket
  storagekit.aws.s3_bucket_analytics:
    bucket: shop-uploads
    analytics:
      - id: whole-bucket
        export_bucket: shop-reports
        export_prefix: storage-class-analysis/shop-uploads/
    metrics:
      - id: EntireBucket
      - id: invoices
        prefix: invoices/

- name: The same for several buckets in one task, four at a time
  storagekit.aws.s3_bucket_analytics:
    parallelism: 4
    buckets:
      - name: shop-uploads
        metrics:
          - id: EntireBucket
      - name: shop-invoices
        metrics:
          - id: EntireBucket
          - id: invoices
            prefix: invoices/
"""

RETURN = r"""
analytics:
  description: The analytics configurations after the run (predicted in check mode); only when O(analytics) is set.
  returned: when O(analytics) is set
  type: list
  elements: dict
  sample: [{"id": "whole-bucket", "prefix": null, "tags": {}, "export_bucket": "shop-reports",
            "export_prefix": "sca/", "export_account_id": null}]
metrics:
  description: The metrics configurations after the run (predicted in check mode); only when O(metrics) is set.
  returned: when O(metrics) is set
  type: list
  elements: dict
  sample: [{"id": "EntireBucket", "prefix": null, "tags": {}}]
buckets:
  description:
    - With O(buckets), one result per bucket in the order given, with C(name), C(changed), C(analytics) and
      C(metrics) as above (and C(diff) in diff mode), or C(failed) and C(msg) for a bucket that failed.
  returned: when O(buckets) is set
  type: list
  elements: dict
  sample: [{"name": "shop-uploads", "changed": false, "metrics": [{"id": "EntireBucket", "prefix": null, "tags": {}}]}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import pool
from ansible_collections.storagekit.aws.plugins.module_utils import s3_analytics
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import check_bucket_name

FILTER_OPTIONS = dict(
    id=dict(type="str", required=True),
    prefix=dict(type="str"),
    tags=dict(type="dict"),
)
ANALYTICS_OPTIONS = dict(
    export_bucket=dict(type="str"),
    export_prefix=dict(type="str"),
    export_account_id=dict(type="str"),
    **FILTER_OPTIONS
)
CONFIGURATION_SPEC = dict(
    analytics=dict(type="list", elements="dict", options=ANALYTICS_OPTIONS),
    purge_analytics=dict(type="bool", default=True),
    metrics=dict(type="list", elements="dict", options=FILTER_OPTIONS),
    purge_metrics=dict(type="bool", default=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
# One item of O(buckets): a bucket by name and its configurations.
ITEM_SPEC = dict(CONFIGURATION_SPEC, name=dict(type="str", required=True))
ARGUMENT_SPEC = dict(
    CONFIGURATION_SPEC,
    bucket=dict(type="str"),
    buckets=dict(type="list", elements="dict"),
    **pool.PARALLELISM_OPTION
)


def validate_options(module, bucket):
    """Refuse bad configurations before any call, all problems at once."""
    params = module.params
    check_bucket_name(module, "bucket", bucket)
    for item in params["analytics"] or []:
        check_bucket_name(module, "analytics[].export_bucket", (item["export_bucket"] or "").replace("arn:aws:s3:::", "") or None)
    problems = []
    for kind in s3_analytics.KINDS:
        if params["state"] == "present":
            problems.extend(s3_analytics.item_problems(kind, params[kind]))
    if problems:
        module.fail_json(msg="Invalid configurations: {0}.".format("; ".join(problems)))


def wanted(params, kind, current):
    """The configurations of ``kind`` the run should leave, by id (None: not managed)."""
    items = params[kind]
    if items is None:
        return None
    if params["state"] == "absent":
        drop = set(current) if not items else set(i["id"] for i in items)
        return dict((i, c) for i, c in current.items() if i not in drop)
    return dict((i["id"], s3_analytics.desired(kind, i)) for i in items)


def ensure(module, client, bucket):
    """Bring the configurations of one bucket in line with the options; its result."""
    changes = ChangeSet(module)
    result = {}
    for kind in s3_analytics.KINDS:
        if module.params[kind] is None:
            continue
        current = s3_analytics.read_existing(module, s3_analytics.read, client, kind, bucket)
        purge = module.params["purge_" + kind] or module.params["state"] == "absent"
        puts, deletes = s3_analytics.plan(current, wanted(module.params, kind, current), purge)
        result[kind] = s3_analytics.apply(changes, client, kind, bucket, current, puts, deletes)
    return changes.result(**result)


def manage_buckets(module):
    """Every bucket of O(buckets): all validated before the first call, then at most O(parallelism) at a time."""
    client = pool.items_client(module, "s3")
    pool.run_list(module, "buckets", ITEM_SPEC, "the analytics and metrics configurations of bucket {0}", "buckets",
                  lambda item: validate_options(item.module, item.name),
                  pool.in_pool(module, lambda item: ensure(item.module, client, item.name)))


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        required_one_of=[["bucket", "buckets"]],
        mutually_exclusive=[["bucket", "buckets"], ["buckets", "analytics"], ["buckets", "metrics"]],
    )
    if module.params["buckets"] is not None:
        manage_buckets(module)
    bucket = module.params["bucket"]
    validate_options(module, bucket)
    client = aws_client(module, "s3")
    run(module, "manage the analytics and metrics configurations of bucket {0}".format(bucket), ensure, client, bucket)


if __name__ == "__main__":
    main()
