#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: s3_bucket_intelligent_tiering
short_description: Manage the S3 Intelligent-Tiering archive configurations of a bucket
version_added: 0.1.0
description:
  - Creates, updates and deletes the S3 Intelligent-Tiering archive configurations of a bucket, which move
    objects of the C(INTELLIGENT_TIERING) storage class that have not been accessed for a number of days
    to the Archive Access and Deep Archive Access tiers.
  - The configurations are read with one paginated C(ListBucketIntelligentTieringConfigurations) call;
    only configurations that differ are written. A run that changes nothing makes no write call.
  - Objects only use Intelligent-Tiering once they are stored in that storage class, for example through
    a lifecycle transition (see M(amazon.aws.s3_lifecycle)) or by uploading them with it.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  configurations:
    description:
      - The archive configurations. Each one is written as a whole, so an option left out of an item
        takes its default rather than keeping the value in AWS.
      - With O(state=absent), only O(configurations[].id) is used; omit O(configurations) to remove them all.
    type: list
    elements: dict
    suboptions:
      id:
        description: Identifier of the configuration, unique in the bucket (up to 64 characters).
        type: str
        required: true
      status:
        description: Whether the configuration is in effect.
        type: str
        choices: [enabled, disabled]
        default: enabled
      prefix:
        description: Only objects whose key starts with this prefix. All objects when unset.
        type: str
      tags:
        description: Only objects that carry all of these tags.
        type: dict
      archive_access_days:
        description:
          - Days without access after which an object moves to the Archive Access tier (90 to 730).
          - At least one of O(configurations[].archive_access_days) and
            O(configurations[].deep_archive_access_days) is required with O(state=present).
        type: int
      deep_archive_access_days:
        description:
          - Days without access after which an object moves to the Deep Archive Access tier (180 to 730),
            more than O(configurations[].archive_access_days) when both are set.
        type: int
  purge_configurations:
    description:
      - With O(state=present), delete configurations of the bucket that are not in O(configurations).
    type: bool
    default: true
  state:
    description:
      - V(present) makes the bucket's configurations match O(configurations).
      - V(absent) deletes the listed configurations, or all of them when O(configurations) is omitted.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.s3_bucket_name
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
"""

EXAMPLES = r"""
- name: Archive Loki chunks after 90 days and deep-archive them after 180 days without access
  storagekit.aws.s3_bucket_intelligent_tiering:
    bucket: acme-loki-chunks
    configurations:
      - id: archive-chunks
        prefix: fake/
        archive_access_days: 90
        deep_archive_access_days: 180

- name: Deep-archive only objects tagged as cold, and keep any other configuration
  storagekit.aws.s3_bucket_intelligent_tiering:
    bucket: acme-backups
    purge_configurations: false
    configurations:
      - id: cold
        tags:
          temperature: cold
        deep_archive_access_days: 365

- name: Remove all archive configurations of a bucket
  storagekit.aws.s3_bucket_intelligent_tiering:
    bucket: acme-backups
    state: absent
"""

RETURN = r"""
configurations:
  description: The bucket's archive configurations after the run (predicted in check mode), sorted by id.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Identifier of the configuration.
      type: str
      sample: archive-chunks
    status:
      description: C(enabled) or C(disabled).
      type: str
      sample: enabled
    prefix:
      description: Key prefix the configuration applies to, when it has one.
      type: str
      sample: fake/
    tags:
      description: Tags an object must carry for the configuration to apply, when it has some.
      type: dict
    archive_access_days:
      description: Days without access before the Archive Access tier, when set.
      type: int
      sample: 90
    deep_archive_access_days:
      description: Days without access before the Deep Archive Access tier, when set.
      type: int
      sample: 180
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils import s3_analytics
from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.options import S3_RULE_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import check_bucket_name
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run

CONFIGURATION_SPEC = dict(
    tags=dict(type="dict"),
    archive_access_days=dict(type="int"),
    deep_archive_access_days=dict(type="int"),
    **S3_RULE_OPTIONS,
)
ARGUMENT_SPEC = dict(
    bucket=dict(type="str", required=True),
    configurations=dict(type="list", elements="dict", options=CONFIGURATION_SPEC),
    purge_configurations=dict(type="bool", default=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
)
TIERS = (("archive_access_days", "ARCHIVE_ACCESS", 90), ("deep_archive_access_days", "DEEP_ARCHIVE_ACCESS", 180))
MAX_DAYS = 730


# ---------------------------------------------------------------------------------------------
# Validation and the desired state
# ---------------------------------------------------------------------------------------------


def configuration_problems(config, state):
    """What is wrong with one configuration item besides its id, as messages."""
    problems = []
    name = config["id"]
    if state == "absent":
        return problems
    set_tiers = [(option, minimum) for option, _tier, minimum in TIERS if config[option] is not None]
    if not set_tiers:
        problems.append("configuration {0} needs archive_access_days or deep_archive_access_days".format(name))
    for option, minimum in set_tiers:
        if not minimum <= config[option] <= MAX_DAYS:
            problems.append("{0} of configuration {1} must be from {2} to {3}".format(option, name, minimum, MAX_DAYS))
    archive, deep = config["archive_access_days"], config["deep_archive_access_days"]
    if archive is not None and deep is not None and deep <= archive:
        problems.append("deep_archive_access_days of configuration {0} must be more than archive_access_days".format(name))
    if any(not key for key in config["tags"] or {}):
        problems.append("configuration {0} has an empty tag key".format(name))
    return problems


def validate_options(module):
    """Refuse bad configurations before any API call."""
    check_bucket_name(module, "bucket", module.params["bucket"])
    problems = []
    seen = set()
    for config in module.params["configurations"] or []:
        problems.extend(s3_analytics.id_problems(config["id"], seen))
        problems.extend(configuration_problems(config, module.params["state"]))
    if problems:
        module.fail_json(msg="Invalid configurations: {0}.".format("; ".join(problems)))


def desired_configuration(config):
    """An item of O(configurations) in the shape normalize_configuration gives."""
    wanted = dict(id=config["id"], status=config["status"])
    if config["prefix"]:
        wanted["prefix"] = config["prefix"]
    if config["tags"]:
        wanted["tags"] = dict((k, str(v)) for k, v in config["tags"].items())
    for option, _tier, _minimum in TIERS:
        if config[option] is not None:
            wanted[option] = config[option]
    return wanted


# ---------------------------------------------------------------------------------------------
# AWS shapes
# ---------------------------------------------------------------------------------------------


def normalize_configuration(raw):
    config = dict(id=raw["Id"], status=raw["Status"].lower())
    prefix, tags = s3_analytics.filter_options(raw.get("Filter"))
    if prefix:
        config["prefix"] = prefix
    if tags:
        config["tags"] = tags
    days = dict((t["AccessTier"], t["Days"]) for t in raw.get("Tierings") or [])
    for option, tier, _minimum in TIERS:
        if tier in days:
            config[option] = days[tier]
    return config


def configuration_request(config):
    """The IntelligentTieringConfiguration of a normalized configuration."""
    request = dict(
        Id=config["id"],
        Status=config["status"].capitalize(),
        Tierings=[dict(Days=config[option], AccessTier=tier) for option, tier, _minimum in TIERS if option in config],
    )
    config_filter = s3_analytics.s3_filter(config.get("prefix"), config.get("tags"))
    if config_filter:
        request["Filter"] = config_filter
    return request


def list_configurations(client, bucket):
    """The bucket's configurations by id (every page)."""
    return s3_analytics.read_configurations(
        client, "list_bucket_intelligent_tiering_configurations", "IntelligentTieringConfigurationList", bucket,
        normalize_configuration)


# ---------------------------------------------------------------------------------------------
# Planning and writing
# ---------------------------------------------------------------------------------------------


def plan(module, current):
    """The ids to put (with their configuration) and the ids to delete."""
    params = module.params
    listed = params["configurations"]
    if params["state"] == "absent":
        ids = current.keys() if listed is None else [c["id"] for c in listed]
        return {}, sorted(i for i in ids if i in current)
    desired = dict((c["id"], desired_configuration(c)) for c in listed or [])
    return s3_analytics.plan(current, desired, params["purge_configurations"] and listed is not None)


def apply_plan(changes, client, bucket, current, puts, deletes):
    """Record and make the writes; the configurations after the run, sorted by id."""
    return s3_analytics.write_plan(
        changes, lambda config_id: config_id, current, puts, deletes,
        lambda config: client.put_bucket_intelligent_tiering_configuration(
            aws_retry=True, Bucket=bucket, Id=config["id"], IntelligentTieringConfiguration=configuration_request(config)),
        lambda config_id: client.delete_bucket_intelligent_tiering_configuration(aws_retry=True, Bucket=bucket, Id=config_id))


def ensure(module, client, bucket):
    """Bring the configurations in line with the options; the module's result."""
    changes = ChangeSet(module)
    current = s3_analytics.read_existing(module, list_configurations, client, bucket)
    puts, deletes = plan(module, current)
    configurations = apply_plan(changes, client, bucket, current, puts, deletes)
    return changes.result(configurations=configurations)


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    validate_options(module)
    client = aws_client(module, "s3")
    bucket = module.params["bucket"]
    run(module, "manage the Intelligent-Tiering configurations of bucket {0}".format(bucket), ensure, client, bucket)


if __name__ == "__main__":
    main()
