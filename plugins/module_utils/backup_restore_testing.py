# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup restore testing plans and selections: requests, the shape the module compares, AWS's limits.

A selection by tag is sent as AWS documents it: the wildcard ProtectedResourceArns ["*"] with
ProtectedResourceConditions on ``aws:ResourceTag/<key>``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.storagekit.aws.plugins.module_utils.options import repeated
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,49}$")
TAG_KEY_PREFIX = "aws:ResourceTag/"
# The resource types AWS Backup restore testing restores.
RESOURCE_TYPES = ("Aurora", "DocumentDB", "DynamoDB", "EBS", "EC2", "EFS", "FSx", "Neptune", "RDS", "S3")
MAX_RESOURCE_ARNS = 30


def plan_problems(params):
    """What AWS Backup refuses in the module's plan options, as messages naming the option."""
    problems = []
    if not NAME_PATTERN.match(params["name"]):
        problems.append("name {0}: a restore testing plan name is 1 to 50 letters, digits and underscores, "
                        "starting with a letter".format(params["name"]))
    if not 1 <= params["start_window_hours"] <= 168:
        problems.append("start_window_hours must be between 1 and 168")
    points = params["recovery_point_selection"]
    if not 1 <= points["selection_window_days"] <= 365:
        problems.append("recovery_point_selection.selection_window_days must be between 1 and 365")
    if not points["include_vaults"]:
        problems.append("recovery_point_selection.include_vaults needs one or more vault ARNs or '*'")
    if not points["recovery_point_types"]:
        problems.append("recovery_point_selection.recovery_point_types needs SNAPSHOT, CONTINUOUS or both")
    return problems


def selection_problems(selections):
    """What AWS Backup refuses in the module's O(selections), as messages naming the selection."""
    problems = []
    if repeated([item["name"] for item in selections]):
        problems.append("selection names must be unique")
    for item in selections:
        name, arns = item["name"], item["protected_resource_arns"]
        if not NAME_PATTERN.match(name):
            problems.append("selection {0}: a name is 1 to 50 letters, digits and underscores, starting with a "
                            "letter".format(name))
        if not item["iam_role_arn"]:
            problems.append("selection {0} needs iam_role_arn".format(name))
        if (item["tags"] or item["not_tags"]) and arns and arns != ["*"]:
            problems.append("selection {0}: tags select among all resources of the type; AWS refuses them "
                            "together with protected_resource_arns".format(name))
        if not arns and not item["tags"] and not item["not_tags"]:
            problems.append("selection {0} needs protected_resource_arns or tags".format(name))
        if len(arns) > MAX_RESOURCE_ARNS:
            problems.append("selection {0}: at most {1} protected_resource_arns".format(name, MAX_RESOURCE_ARNS))
        if "*" in arns and len(arns) > 1:
            problems.append("selection {0}: protected_resource_arns is '*' or specific ARNs, not both".format(name))
        if not 0 <= item["validation_window_hours"] <= 168:
            problems.append("selection {0}: validation_window_hours must be between 0 and 168".format(name))
    return problems


def plan_request(params):
    """The RestoreTestingPlanForUpdate body of the module's options (ForCreate adds the name)."""
    points = params["recovery_point_selection"]
    selection = dict(
        Algorithm=points["algorithm"],
        IncludeVaults=points["include_vaults"],
        ExcludeVaults=points["exclude_vaults"],
        RecoveryPointTypes=points["recovery_point_types"],
        SelectionWindowDays=points["selection_window_days"],
    )
    return dict(
        ScheduleExpression=params["schedule"],
        ScheduleExpressionTimezone=params["schedule_timezone"],
        StartWindowHours=params["start_window_hours"],
        RecoveryPointSelection=selection,
    )


def normalize_plan(raw):
    """A RestoreTestingPlanForGet (or a plan_request body) in the shape the module compares and returns."""
    points = raw.get("RecoveryPointSelection") or {}
    return dict(
        schedule=raw["ScheduleExpression"],
        schedule_timezone=raw.get("ScheduleExpressionTimezone") or "Etc/UTC",
        start_window_hours=raw.get("StartWindowHours", 24),
        recovery_point_selection=dict(
            algorithm=points.get("Algorithm"),
            include_vaults=sorted(points.get("IncludeVaults") or []),
            exclude_vaults=sorted(points.get("ExcludeVaults") or []),
            recovery_point_types=sorted(points.get("RecoveryPointTypes") or []),
            selection_window_days=points.get("SelectionWindowDays", 30),
        ),
    )


def _conditions(items):
    return [dict(Key=TAG_KEY_PREFIX + key, Value=str(value)) for key, value in sorted((items or {}).items())]


def selection_request(item):
    """The RestoreTestingSelectionForUpdate body of one of O(selections) (ForCreate adds name and type)."""
    request = dict(
        IamRoleArn=item["iam_role_arn"],
        ProtectedResourceArns=item["protected_resource_arns"] or ["*"],
        RestoreMetadataOverrides=item["restore_metadata_overrides"],
        ValidationWindowHours=item["validation_window_hours"],
    )
    conditions = {}
    if item["tags"]:
        conditions["StringEquals"] = _conditions(item["tags"])
    if item["not_tags"]:
        conditions["StringNotEquals"] = _conditions(item["not_tags"])
    if conditions:
        request["ProtectedResourceConditions"] = conditions
    return request


def _tags(conditions):
    return dict((c["Key"][len(TAG_KEY_PREFIX):] if c["Key"].startswith(TAG_KEY_PREFIX) else c["Key"], c["Value"])
                for c in conditions or [])


def normalize_selection(raw):
    """A RestoreTestingSelectionForGet in the shape of one of O(selections)."""
    conditions = raw.get("ProtectedResourceConditions") or {}
    arns = sorted(raw.get("ProtectedResourceArns") or [])
    tags, not_tags = _tags(conditions.get("StringEquals")), _tags(conditions.get("StringNotEquals"))
    return dict(
        name=raw["RestoreTestingSelectionName"],
        protected_resource_type=raw["ProtectedResourceType"],
        iam_role_arn=raw["IamRoleArn"],
        protected_resource_arns=[] if arns == ["*"] and (tags or not_tags) else arns,
        tags=tags,
        not_tags=not_tags,
        restore_metadata_overrides=dict(raw.get("RestoreMetadataOverrides") or {}),
        validation_window_hours=raw.get("ValidationWindowHours", 0),
    )


def wanted_selection(item):
    """One of O(selections) in the shape normalize_selection gives."""
    arns = sorted(item["protected_resource_arns"] or (["*"] if not (item["tags"] or item["not_tags"]) else []))
    return dict(
        name=item["name"],
        protected_resource_type=item["protected_resource_type"],
        iam_role_arn=item["iam_role_arn"],
        protected_resource_arns=[] if arns == ["*"] and (item["tags"] or item["not_tags"]) else arns,
        tags=dict((k, str(v)) for k, v in (item["tags"] or {}).items()),
        not_tags=dict((k, str(v)) for k, v in (item["not_tags"] or {}).items()),
        restore_metadata_overrides=dict(item["restore_metadata_overrides"] or {}),
        validation_window_hours=item["validation_window_hours"],
    )


def get_plan(client, name):
    """GetRestoreTestingPlan of ``name``, or None when there is no such plan."""
    return described(client.get_restore_testing_plan, "RestoreTestingPlan", "ResourceNotFoundException",
                     RestoreTestingPlanName=name)


def read_selections(client, plan_name):
    """Every selection of the plan, name -> normalized selection (one Get per selection listed)."""
    found = {}
    request = dict(RestoreTestingPlanName=plan_name)
    while True:
        page = client.list_restore_testing_selections(aws_retry=True, **request)
        for entry in page.get("RestoreTestingSelections") or []:
            name = entry["RestoreTestingSelectionName"]
            raw = client.get_restore_testing_selection(aws_retry=True, RestoreTestingPlanName=plan_name,
                                                       RestoreTestingSelectionName=name)
            found[name] = normalize_selection(raw["RestoreTestingSelection"])
        if not page.get("NextToken"):
            return found
        request["NextToken"] = page["NextToken"]
