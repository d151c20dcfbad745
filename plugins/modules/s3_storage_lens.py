#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: s3_storage_lens
short_description: An S3 Storage Lens configuration with its metrics export
version_added: 0.1.0
description:
  - Creates, updates, tags and deletes an S3 Storage Lens configuration through S3 Control, with check mode and
    diff. Neither amazon.aws nor community.aws has a module for it.
  - The configuration covers the whole account or the buckets and regions it includes (or all but those it
    excludes); activity metrics and advanced cost-optimization metrics are advanced (paid) metrics, off unless
    asked for; prefix-level storage metrics; a daily export of the metrics to a reporting bucket as CSV or
    Parquet, encrypted with SSE-S3 or SSE-KMS.
  - The configuration is compared in the shape of the options, so a metric AWS answers without and one it
    answers as disabled are the same. A no-change run reads the configuration (and its tags when O(tags) is set)
    and writes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  id:
    description: Id of the configuration (1 to 64 letters, digits, C(-), C(_), C(.)).
    type: str
    required: true
  account_id:
    description: Account of the configuration; the caller's (read with STS) when unset.
    type: str
  enabled:
    description: Whether the configuration collects metrics.
    type: bool
    default: true
  include_buckets:
    description: Only these buckets (names or ARNs).
    type: list
    elements: str
  include_regions:
    description: Only buckets in these regions.
    type: list
    elements: str
  exclude_buckets:
    description: All buckets but these (names or ARNs); not with O(include_buckets) or O(include_regions).
    type: list
    elements: str
  exclude_regions:
    description: All buckets but those in these regions.
    type: list
    elements: str
  activity_metrics:
    description: Activity metrics (requests, bytes transferred) of the account and each bucket; advanced metrics.
    type: bool
    default: false
  advanced_cost_optimization_metrics:
    description: Advanced cost-optimization metrics (incomplete multipart uploads, noncurrent versions, ...).
    type: bool
    default: false
  prefix_metrics:
    description: Prefix-level storage metrics of each bucket; none when unset.
    type: dict
    suboptions:
      delimiter:
        description: Delimiter of the prefixes.
        type: str
        default: /
      max_depth:
        description: Deepest prefix level to report (1 to 10).
        type: int
        default: 5
      min_storage_bytes_percentage:
        description: Only prefixes that hold at least this percentage of the bucket's bytes (1 to 100).
        type: float
        default: 1.0
  export:
    description: Daily export of the metrics to a bucket; none when unset.
    type: dict
    suboptions:
      bucket:
        description: Name or ARN of the reporting bucket.
        type: str
        required: true
      format:
        description: File format of the export.
        type: str
        choices: [CSV, Parquet]
        default: CSV
      prefix:
        description: Key prefix of the export files.
        type: str
      account_id:
        description: Account that owns the reporting bucket; the configuration's account when unset.
        type: str
      encryption:
        description: Encryption of the export files.
        type: str
        choices: [sse_s3, sse_kms]
        default: sse_s3
      kms_key_arn:
        description: ARN of the KMS key of O(export.encryption=sse_kms).
        type: str
  state:
    description: Whether the configuration exists.
notes:
  - With O(endpoint_url) set (a local or private endpoint), the account id is not put in front of the host name
    as S3 Control does on AWS.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Storage Lens of the shop's buckets, exported as Parquet with SSE-KMS
  storagekit.aws.s3_storage_lens:
    id: shop-storage-lens
    include_buckets: [shop-uploads, shop-assets]
    activity_metrics: true
    advanced_cost_optimization_metrics: true
    prefix_metrics:
      max_depth: 3
    export:
      bucket: shop-reports
      prefix: storage-lens
      format: Parquet
      encryption: sse_kms
      kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags:
      application: shop
"""

RETURN = r"""
storage_lens:
  description: The configuration after the run in the shape of the options (predicted in check mode); empty when
    it does not exist.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the configuration.
      type: str
    account_id:
      description: Account of the configuration.
      type: str
    enabled:
      description: Whether it collects metrics.
      type: bool
    export:
      description: The export (C(bucket_arn), C(format), C(prefix), C(account_id), C(encryption), C(kms_key_arn)) or null.
      type: dict
    tags:
      description: Tags; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.storagekit.aws.plugins.module_utils import storage_lens
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import apply_tag_options
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags
from ansible_collections.storagekit.aws.plugins.module_utils.retries import caller_account
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state

ARGUMENT_SPEC = dict(
    id=dict(type="str", required=True),
    account_id=dict(type="str"),
    enabled=dict(type="bool", default=True),
    include_buckets=dict(type="list", elements="str"),
    include_regions=dict(type="list", elements="str"),
    exclude_buckets=dict(type="list", elements="str"),
    exclude_regions=dict(type="list", elements="str"),
    activity_metrics=dict(type="bool", default=False),
    advanced_cost_optimization_metrics=dict(type="bool", default=False),
    prefix_metrics=dict(type="dict", options=dict(
        delimiter=dict(type="str", default="/"),
        max_depth=dict(type="int", default=5),
        min_storage_bytes_percentage=dict(type="float", default=1.0),
    )),
    export=dict(type="dict", options=dict(
        bucket=dict(type="str", required=True),
        format=dict(type="str", choices=["CSV", "Parquet"], default="CSV"),
        prefix=dict(type="str"),
        account_id=dict(type="str"),
        encryption=dict(type="str", choices=["sse_s3", "sse_kms"], default="sse_s3"),
        kms_key_arn=dict(type="str", no_log=False),
    )),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def read(client, config_id, account):
    return described(client.get_storage_lens_configuration, "StorageLensConfiguration", "NoSuchConfiguration",
                     ConfigId=config_id, AccountId=account)


def read_tags(client, config_id, account):
    tags = client.get_storage_lens_configuration_tagging(aws_retry=True, ConfigId=config_id, AccountId=account).get("Tags")
    return boto3_tag_list_to_ansible_dict(tags or [])


def manage_tags(module, changes, client, account):
    """O(tags) / O(purge_tags); S3 Control replaces the whole tag set in one call."""
    config_id = module.params["id"]

    def put(tags):
        client.put_storage_lens_configuration_tagging(
            aws_retry=True, ConfigId=config_id, AccountId=account, Tags=ansible_dict_to_boto3_tag_list(tags))

    return apply_tag_options(module, changes, lambda: read_tags(client, config_id, account), replace=put)


def ensure_present(module, client):
    params = module.params
    account = caller_account(module, params["account_id"])
    changes = ChangeSet(module)
    wanted = storage_lens.wanted_summary(params, account)
    current = read(client, params["id"], account)
    result = dict(wanted, id=params["id"], account_id=account)
    if current is None:
        extra = dict(Tags=ansible_dict_to_boto3_tag_list(params["tags"])) if params["tags"] else {}
        changes.apply("configuration", None, wanted, lambda: client.put_storage_lens_configuration(
            aws_retry=True, ConfigId=params["id"], AccountId=account,
            StorageLensConfiguration=storage_lens.configuration(params["id"], wanted), **extra))
        return changes.result(storage_lens=with_tags(module, result))
    have = storage_lens.summary(current)
    if have != wanted:
        changes.apply("configuration", have, wanted, lambda: client.put_storage_lens_configuration(
            aws_retry=True, ConfigId=params["id"], AccountId=account,
            StorageLensConfiguration=storage_lens.configuration(params["id"], wanted, current.get("StorageLensArn"))))
    return changes.result(storage_lens=with_tags(module, result, lambda: manage_tags(module, changes, client, account)))


def ensure_absent(module, client):
    account = caller_account(module, module.params["account_id"])
    changes = ChangeSet(module)
    config_id = module.params["id"]
    current = read(client, config_id, account)
    if current is not None:
        changes.apply("configuration", storage_lens.summary(current), None, lambda: client.delete_storage_lens_configuration(
            aws_retry=True, ConfigId=config_id, AccountId=account))
    return changes.result(storage_lens={})


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    problems = storage_lens.option_problems(module.params)
    if problems:
        module.fail_json(msg="Invalid Storage Lens options: {0}.".format("; ".join(problems)))
    client = storage_lens.s3control_client(module)
    run_state(module, "S3 Storage Lens configuration {0}".format(module.params["id"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
