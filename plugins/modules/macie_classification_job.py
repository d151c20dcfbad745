#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: macie_classification_job
short_description: An Amazon Macie sensitive data discovery job over named buckets, found by its name
version_added: 0.1.0
description:
  - Creates, tags and cancels a Macie classification job that looks for sensitive data in the objects of the
    buckets it names, once or on a daily, weekly or monthly schedule, with Macie's recommended managed data
    identifiers and the custom data identifiers it names. Neither amazon.aws nor community.aws has a module for it.
  - Every bucket is checked to exist (C(HeadBucket)) and every custom data identifier to exist before any write;
    a job over a bucket that does not exist is refused.
  - Macie cannot change a job's definition once it exists (only its status); a different definition is refused
    before any write. Cancel it first (O(state=absent)), then create it again.
  - A no-change run lists the jobs, reads the one found (and its tags) and writes nothing.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the job; unique among the account's jobs that are not cancelled or complete.
    type: str
    required: true
  buckets:
    description: Names of the buckets to analyse, of O(account_id). Required to create the job.
    type: list
    elements: str
    default: []
  account_id:
    description: Account that owns O(buckets); the caller's (read with STS) when unset.
    type: str
  schedule:
    description: C(once) runs the job one time; C(daily), C(weekly) or C(monthly) runs it on that schedule.
    type: str
    choices: [once, daily, weekly, monthly]
    default: once
  day_of_week:
    description: Day of a O(schedule=weekly) job.
    type: str
    choices: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]
    default: MONDAY
  day_of_month:
    description: Day of a O(schedule=monthly) job (1 to 31).
    type: int
    default: 1
  initial_run:
    description: Whether a scheduled job also analyses the existing objects at once.
    type: bool
    default: true
  sampling_percentage:
    description: Percentage of the objects to analyse (1 to 100).
    type: int
    default: 100
  custom_data_identifiers:
    description: Names of the custom data identifiers (M(storagekit.aws.macie_custom_data_identifier)) to use.
    type: list
    elements: str
    default: []
  description:
    description: Description of the job.
    type: str
    default: ""
  state:
    description: C(present) makes the job; C(absent) cancels it (Macie keeps cancelled jobs for 90 days).
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
- name: A weekly job over the shop's confidential buckets
  storagekit.aws.macie_classification_job:
    name: shop-confidential
    buckets: [shop-uploads, shop-invoices]
    schedule: weekly
    day_of_week: SUNDAY
    custom_data_identifiers: [shop-customer-number]
    tags:
      application: shop
"""

RETURN = r"""
job:
  description: The job after the run (predicted in check mode); empty when there is none.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the job.
      type: str
    id:
      description: Id of the job (empty in check mode before it exists).
      type: str
    status:
      description: Status of the job as Macie answers it (C(RUNNING), C(IDLE), C(USER_PAUSED), ...).
      type: str
    tags:
      description: Tags; only when O(tags) is set.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.changes import remove_one
from ansible_collections.storagekit.aws.plugins.module_utils.macie import find_identifier
from ansible_collections.storagekit.aws.plugins.module_utils.macie import find_job
from ansible_collections.storagekit.aws.plugins.module_utils.macie import manage_tags
from ansible_collections.storagekit.aws.plugins.module_utils.macie import name_problems
from ansible_collections.storagekit.aws.plugins.module_utils.names import run_named_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import fail_on_problems
from ansible_collections.storagekit.aws.plugins.module_utils.resource_tags import with_tags
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.retries import caller_account
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import bucket_name_problem

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    buckets=dict(type="list", elements="str", default=[]),
    account_id=dict(type="str"),
    schedule=dict(type="str", choices=["once", "daily", "weekly", "monthly"], default="once"),
    day_of_week=dict(type="str", choices=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"],
                     default="MONDAY"),
    day_of_month=dict(type="int", default=1),
    initial_run=dict(type="bool", default=True),
    sampling_percentage=dict(type="int", default=100),
    custom_data_identifiers=dict(type="list", elements="str", default=[]),
    description=dict(type="str", default=""),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    **TAG_OPTIONS
)


def option_problems(params):
    problems = name_problems(params["name"], 500)
    if params["state"] == "absent":
        return problems
    if not params["buckets"]:
        problems.append("buckets must name at least one bucket")
    for bucket in params["buckets"]:
        problem = bucket_name_problem(bucket)
        if problem:
            problems.append("bucket name {0!r} is not valid: a bucket name {1}".format(bucket, problem))
    if not 1 <= params["sampling_percentage"] <= 100:
        problems.append("sampling_percentage must be from 1 to 100")
    if params["schedule"] == "monthly" and not 1 <= params["day_of_month"] <= 31:
        problems.append("day_of_month must be from 1 to 31")
    return problems


def missing_buckets(module, buckets):
    """The buckets HeadBucket does not find."""
    s3 = aws_client(module, "s3")
    missing = []
    for bucket in buckets:
        try:
            s3.head_bucket(aws_retry=True, Bucket=bucket)
        except is_boto3_error_code(("404", "NoSuchBucket", "NotFound")):
            missing.append(bucket)
    return missing


def schedule_frequency(params):
    if params["schedule"] == "daily":
        return dict(dailySchedule={})
    if params["schedule"] == "weekly":
        return dict(weeklySchedule=dict(dayOfWeek=params["day_of_week"]))
    return dict(monthlySchedule=dict(dayOfMonth=params["day_of_month"]))


def wanted_job(params, account, custom_ids):
    """The definition of the job, as CreateClassificationJob takes it and DescribeClassificationJob answers it."""
    job = dict(
        name=params["name"], description=params["description"],
        jobType="ONE_TIME" if params["schedule"] == "once" else "SCHEDULED",
        s3JobDefinition=dict(bucketDefinitions=[dict(accountId=account, buckets=sorted(params["buckets"]))]),
        samplingPercentage=params["sampling_percentage"], customDataIdentifierIds=sorted(custom_ids),
        managedDataIdentifierSelector="RECOMMENDED",
    )
    if params["schedule"] != "once":
        job.update(scheduleFrequency=schedule_frequency(params), initialRun=params["initial_run"])
    return job


def definition(job):
    """The part of a job Macie cannot change, in one shape for both sides."""
    buckets = [dict(accountId=d.get("accountId"), buckets=sorted(d.get("buckets") or []))
               for d in (job.get("s3JobDefinition") or {}).get("bucketDefinitions") or []]
    result = dict(description=job.get("description") or "", jobType=job.get("jobType"), buckets=buckets,
                  samplingPercentage=job.get("samplingPercentage"),
                  customDataIdentifierIds=sorted(job.get("customDataIdentifierIds") or []))
    if job.get("jobType") == "SCHEDULED":
        schedule = dict((k, v) for k, v in (job.get("scheduleFrequency") or {}).items() if v is not None)
        result.update(scheduleFrequency=schedule, initialRun=bool(job.get("initialRun")))
    return result


def identifier_ids(module, client):
    """The ids of O(custom_data_identifiers); a name with no identifier is refused before any write. In check mode
    an identifier the same run is about to make stands in with its name."""
    ids, missing = [], []
    for name in module.params["custom_data_identifiers"]:
        found = find_identifier(client, name)
        if found is None:
            missing.append(name)
        ids.append(found["id"] if found else name)
    if missing and not module.check_mode:
        module.fail_json(msg="Custom data identifiers not found: {0}".format(", ".join(missing)))
    return ids


def ensure_present(module, client):
    params = module.params
    missing = missing_buckets(module, params["buckets"])
    if missing:
        module.fail_json(msg="Job {0}: buckets not found: {1}; a classification job needs existing buckets".format(
            params["name"], ", ".join(missing)), missing_buckets=missing)
    changes = ChangeSet(module)
    wanted = wanted_job(params, caller_account(module, params["account_id"]), identifier_ids(module, client))
    found = find_job(client, params["name"])
    result = dict(name=params["name"], id="", status="")
    if found is None:
        request = dict(wanted)
        if params["tags"]:
            request["tags"] = params["tags"]
        made = changes.apply("job", None, definition(wanted), lambda: client.create_classification_job(
            aws_retry=True, **request)) or {}
        result["id"] = made.get("jobId", "")
        return changes.result(job=with_tags(module, result))
    current = client.describe_classification_job(aws_retry=True, jobId=found["jobId"])
    result.update(id=found["jobId"], status=current.get("jobStatus", ""))
    if definition(current) != definition(wanted):
        module.fail_json(msg="Job {0} is {1}, not {2}; Macie cannot change a job: cancel it first (state=absent)".format(
            params["name"], definition(current), definition(wanted)))
    return changes.result(job=with_tags(module, result, lambda: manage_tags(module, changes, client, current["jobArn"])))


def ensure_absent(module, client):
    return remove_one(module, "job", "job", find_job(client, module.params["name"]),
                      lambda found: dict(name=found["name"], id=found["jobId"], status=found["jobStatus"]),
                      lambda found: client.update_classification_job(aws_retry=True, jobId=found["jobId"], jobStatus="CANCELLED"))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    fail_on_problems(module, option_problems(params), "classification job " + params["name"])
    client = aws_client(module, "macie2")
    run_named_state(module, "Macie classification job", "Macie classification jobs", ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
