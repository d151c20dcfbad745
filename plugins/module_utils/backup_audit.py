# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup Audit Manager: frameworks of controls and report plans, in the shape the modules compare.

The controls and their input parameters are those AWS documents for Backup Audit Manager ("Choosing your controls",
"Creating frameworks using the AWS Backup API"); a name or parameter AWS does not know is refused before any call.
Parameter values are strings on the wire; the modules compare them as strings.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.options import repeated
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

NAME_PATTERN = re.compile(r"^[a-zA-Z][_a-zA-Z0-9]{0,255}$")
MAX_DESCRIPTION = 1024
MAX_RESOURCE_IDS = 100

# Control name -> the input parameters it takes.
CONTROLS = {
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN": (),
    "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK": (
        "requiredFrequencyUnit", "requiredFrequencyValue", "requiredRetentionDays"),
    "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED": ("principalArnList",),
    "BACKUP_RECOVERY_POINT_ENCRYPTED": (),
    "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK": ("requiredRetentionDays",),
    "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION": ("crossRegionList",),
    "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT": ("crossAccountList",),
    "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK": ("minRetentionDays", "maxRetentionDays"),
    "BACKUP_LAST_RECOVERY_POINT_CREATED": ("recoveryPointAgeUnit", "recoveryPointAgeValue"),
    "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET": ("maxRestoreTime",),
}
# Report templates; the compliance reports need the frameworks they report on.
REPORT_TEMPLATES = ("RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT", "BACKUP_JOB_REPORT",
                    "COPY_JOB_REPORT", "RESTORE_JOB_REPORT")
COMPLIANCE_TEMPLATES = ("RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT")
REPORT_FORMATS = ("CSV", "JSON")


def _name_problem(kind, name):
    if not NAME_PATTERN.match(name or ""):
        return "name {0}: a {1} name is 1 to 256 letters, digits and underscores, starting with a letter".format(name, kind)
    return None


def _description_problem(description):
    if description is not None and (len(description) > MAX_DESCRIPTION or (description and not description.strip())):
        return "description must be at most {0} characters and not only blanks".format(MAX_DESCRIPTION)
    return None


def framework_problems(params):
    """What AWS Backup refuses in the options of a framework, as messages naming the control."""
    problems = [p for p in (_name_problem("framework", params["name"]), _description_problem(params["description"])) if p]
    controls = params["controls"] or []
    if not controls:
        problems.append("controls: a framework needs at least one control")
    if repeated([control["name"] for control in controls]):
        problems.append("controls: each control at most once in a framework")
    for control in controls:
        name = control["name"]
        if name not in CONTROLS:
            problems.append("control {0} is not an AWS Backup Audit Manager control ({1})".format(
                name, ", ".join(sorted(CONTROLS))))
            continue
        unknown = sorted(set(control["parameters"] or {}) - set(CONTROLS[name]))
        if unknown:
            problems.append("control {0} takes {1}, not {2}".format(
                name, ", ".join(CONTROLS[name]) or "no parameters", ", ".join(unknown)))
        scope = control["scope"] or {}
        if len(scope.get("tags") or {}) > 1:
            problems.append("control {0}: a scope takes one tag key and value at most".format(name))
        ids, types = scope.get("resource_ids") or [], scope.get("resource_types") or []
        if len(ids) > MAX_RESOURCE_IDS:
            problems.append("control {0}: a scope takes at most {1} resource_ids".format(name, MAX_RESOURCE_IDS))
        if ids and len(types) != 1:
            problems.append("control {0}: resource_ids need exactly one resource_types entry, their type".format(name))
        if ids and scope.get("tags"):
            problems.append("control {0}: a scope is resource ids or a tag, not both".format(name))
    return problems


def _scope_request(scope):
    scope = scope or {}
    request = {}
    if scope.get("resource_ids"):
        request["ComplianceResourceIds"] = list(scope["resource_ids"])
    if scope.get("resource_types"):
        request["ComplianceResourceTypes"] = list(scope["resource_types"])
    if scope.get("tags"):
        request["Tags"] = dict((k, str(v)) for k, v in scope["tags"].items())
    return request


def framework_controls_request(controls):
    """The FrameworkControls of the module's O(controls), parameters in the order AWS documents them."""
    request = []
    for control in controls:
        parameters = control["parameters"] or {}
        item = dict(
            ControlName=control["name"],
            ControlInputParameters=[dict(ParameterName=key, ParameterValue=_string(parameters[key]))
                                    for key in CONTROLS.get(control["name"], sorted(parameters)) if key in parameters],
        )
        scope = _scope_request(control["scope"])
        if scope:
            item["ControlScope"] = scope
        request.append(item)
    return request


def _string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def normalize_controls(controls):
    """FrameworkControls (read, or framework_controls_request's) as the module returns them, sorted by name."""
    found = []
    for control in controls or []:
        scope = control.get("ControlScope") or {}
        found.append(dict(
            name=control["ControlName"],
            parameters=dict((p["ParameterName"], p.get("ParameterValue", "")) for p in control.get("ControlInputParameters") or []),
            scope=dict(resource_ids=sorted(scope.get("ComplianceResourceIds") or []),
                       resource_types=sorted(scope.get("ComplianceResourceTypes") or []),
                       tags=dict(scope.get("Tags") or {})),
        ))
    return sorted(found, key=lambda c: c["name"])


def normalize_framework(raw):
    """DescribeFramework's answer in the shape the module compares: description and controls."""
    return dict(description=raw.get("FrameworkDescription") or "", controls=normalize_controls(raw.get("FrameworkControls")))


def describe_framework(client, name):
    """DescribeFramework of ``name``, or None when there is no such framework."""
    try:
        return client.describe_framework(aws_retry=True, FrameworkName=name)
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def report_plan_problems(params):
    """What AWS Backup refuses in the options of a report plan, as messages naming the option."""
    problems = [p for p in (_name_problem("report plan", params["name"]), _description_problem(params["description"])) if p]
    if params["template"] in COMPLIANCE_TEMPLATES and not params["framework_arns"]:
        problems.append("template {0} reports on frameworks: framework_arns needs one or more".format(params["template"]))
    if params["template"] not in COMPLIANCE_TEMPLATES and params["framework_arns"]:
        problems.append("framework_arns go only with {0}".format(" or ".join(COMPLIANCE_TEMPLATES)))
    if not params["formats"]:
        problems.append("formats needs CSV, JSON or both")
    if params["s3_key_prefix"] and (params["s3_key_prefix"].startswith("/") or params["s3_key_prefix"].endswith("/")):
        problems.append("s3_key_prefix must not start or end with a slash (AWS adds them)")
    return problems


def report_plan_request(params):
    """ReportDeliveryChannel and ReportSetting of the module's options."""
    channel = dict(S3BucketName=params["s3_bucket"], Formats=list(params["formats"]))
    if params["s3_key_prefix"]:
        channel["S3KeyPrefix"] = params["s3_key_prefix"]
    setting = dict(ReportTemplate=params["template"])
    if params["framework_arns"]:
        setting["FrameworkArns"] = list(params["framework_arns"])
        setting["NumberOfFrameworks"] = len(params["framework_arns"])
    if params["regions"]:
        setting["Regions"] = list(params["regions"])
    return dict(ReportDeliveryChannel=channel, ReportSetting=setting)


def normalize_report_plan(raw):
    """A ReportPlan (or report_plan_request's body with a description) in the shape the module compares."""
    channel, setting = raw.get("ReportDeliveryChannel") or {}, raw.get("ReportSetting") or {}
    return dict(
        description=raw.get("ReportPlanDescription") or "",
        template=setting.get("ReportTemplate"),
        framework_arns=sorted(setting.get("FrameworkArns") or []),
        regions=sorted(setting.get("Regions") or []),
        s3_bucket=channel.get("S3BucketName"),
        s3_key_prefix=channel.get("S3KeyPrefix") or "",
        formats=sorted(channel.get("Formats") or ["CSV"]),
    )


def describe_report_plan(client, name):
    """The ReportPlan of ``name``, or None when there is no such plan."""
    return described(client.describe_report_plan, "ReportPlan", "ResourceNotFoundException", ReportPlanName=name)
