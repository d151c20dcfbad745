"""AWS Backup Audit Manager: frameworks and report plans, following the botocore service model.

moto 5.2.5 has no frameworks and answers report plans without UpdateReportPlan, validation or tags; this module
serves both (Create, Describe, List, Update, Delete) from its own store, one per account and region. As AWS
documents them ("Choosing your controls", "Creating frameworks using the AWS Backup API", ControlScope):

- a name is 1 to 256 letters, digits and underscores, starting with a letter; a second framework or report plan of a
  name is AlreadyExistsException, unless it repeats the IdempotencyToken of the first (then the first is answered);
- a framework has one control or more, each a control AWS Backup Audit Manager has, with only the input parameters
  that control takes, each at most once in the framework; a control scope holds at most one tag, and resource ids
  (at most 100) only with their one resource type; at most 50 controls in all frameworks of a region
  (LimitExceededException);
- the ARNs are ``framework:<name>-<id>`` and ``report-plan:<name>-<id>``; FrameworkTags and ReportPlanTags are read
  with ListTags; DeploymentStatus is COMPLETED at once (AWS deploys the controls' AWS Config rules meanwhile);
- a report plan's ReportTemplate is one of AWS's templates, its Formats CSV or JSON (CSV when not given), the
  compliance reports name one or more frameworks of this region (InvalidParameterValueException otherwise);
- an unknown framework or report plan is ResourceNotFoundException.

Controls are not evaluated and no report is ever written: there is no AWS Config here.
"""

import copy
import re
import time
import uuid

NAME = re.compile(r"^[a-zA-Z][_a-zA-Z0-9]{0,255}$")
MAX_CONTROLS = 50
MAX_RESOURCE_IDS = 100
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
TEMPLATES = ("RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT", "BACKUP_JOB_REPORT", "COPY_JOB_REPORT",
             "RESTORE_JOB_REPORT")
COMPLIANCE_TEMPLATES = ("RESOURCE_COMPLIANCE_REPORT", "CONTROL_COMPLIANCE_REPORT")
FORMATS = ("CSV", "JSON")


def controls_problem(controls):
    """What AWS refuses in FrameworkControls, or None."""
    if not controls:
        return "A framework must contain at least one control"
    names = [c["ControlName"] for c in controls]
    if len(set(names)) != len(names):
        return "A control can be used only once in a framework"
    for control in controls:
        name = control["ControlName"]
        if name not in CONTROLS:
            return f"Invalid control name: {name}"
        given = [p.get("ParameterName") for p in control.get("ControlInputParameters") or []]
        unknown = [p for p in given if p not in CONTROLS[name]]
        if unknown or len(set(given)) != len(given):
            return f"Invalid input parameters for control {name}: {unknown or given}"
        scope = control.get("ControlScope") or {}
        ids, types = scope.get("ComplianceResourceIds") or [], scope.get("ComplianceResourceTypes") or []
        if len(scope.get("Tags") or {}) > 1:
            return f"A control scope takes at most one tag (control {name})"
        if len(ids) > MAX_RESOURCE_IDS:
            return f"A control scope takes at most {MAX_RESOURCE_IDS} resource ids (control {name})"
        if ids and len(types) != 1:
            return f"ComplianceResourceIds need exactly one ComplianceResourceTypes entry (control {name})"
    return None


class BackupAudit:
    """Frameworks and report plans of AWS Backup Audit Manager (one store per account and region)."""

    def __init__(self, extension):
        self.extension = extension
        self.frameworks = {}  # (account, region) -> {name: framework}
        self.report_plans = {}  # (account, region) -> {name: report plan}

    def handlers(self):
        return {
            "CreateFramework": self.create_framework,
            "DescribeFramework": self.describe_framework,
            "ListFrameworks": self.list_frameworks,
            "UpdateFramework": self.update_framework,
            "DeleteFramework": self.delete_framework,
            "CreateReportPlan": self.create_report_plan,
            "DescribeReportPlan": self.describe_report_plan,
            "ListReportPlans": self.list_report_plans,
            "UpdateReportPlan": self.update_report_plan,
            "DeleteReportPlan": self.delete_report_plan,
        }

    def reset(self):
        self.frameworks.clear()
        self.report_plans.clear()

    # Late imports: backup.py imports this module.
    @staticmethod
    def _backup():
        from . import backup

        return backup

    def _frameworks(self, exchange):
        return self.frameworks.setdefault(self.extension.region_key(exchange), {})

    def _plans(self, exchange):
        return self.report_plans.setdefault(self.extension.region_key(exchange), {})

    def _arn(self, exchange, kind, name):
        return f"arn:aws:backup:{exchange.call.region}:{exchange.account_id}:{kind}:{name}-{uuid.uuid4()}"

    # --- frameworks -------------------------------------------------------------------------------

    def _controls_in_use(self, exchange, leaving_out=None):
        return sum(len(f["FrameworkControls"]) for n, f in self._frameworks(exchange).items() if n != leaving_out)

    def create_framework(self, exchange, params):
        b = self._backup()
        name = params["FrameworkName"]
        if not NAME.match(name):
            return b.invalid(exchange, "FrameworkName must start with a letter and hold only letters, digits and underscores")
        frameworks = self._frameworks(exchange)
        token = params.get("IdempotencyToken")
        existing = frameworks.get(name)
        if existing is not None:
            if token and existing.get("IdempotencyToken") == token:
                return b.reply(exchange, existing)
            return b.aws_error(exchange, "AlreadyExistsException", f"Framework {name} already exists")
        problem = controls_problem(params["FrameworkControls"])
        if problem:
            return b.invalid(exchange, problem)
        if self._controls_in_use(exchange) + len(params["FrameworkControls"]) > MAX_CONTROLS:
            return b.aws_error(exchange, "LimitExceededException",
                               f"At most {MAX_CONTROLS} controls per account and Region")
        framework = {
            "FrameworkName": name,
            "FrameworkArn": self._arn(exchange, "framework", name),
            "FrameworkDescription": params.get("FrameworkDescription"),
            "FrameworkControls": copy.deepcopy(params["FrameworkControls"]),
            "CreationTime": time.time(),
            "DeploymentStatus": "COMPLETED",
            "FrameworkStatus": "ACTIVE",
            "IdempotencyToken": token,
        }
        frameworks[name] = framework
        if params.get("FrameworkTags"):
            b.moto_backend(exchange).tag_resource(framework["FrameworkArn"], params["FrameworkTags"])
        return b.reply(exchange, framework)

    def _framework(self, exchange, name):
        framework = self._frameworks(exchange).get(name)
        if framework is None:
            return None, self._backup().not_found(exchange, f"Framework {name} not found")
        return framework, None

    def describe_framework(self, exchange, params):
        framework, error = self._framework(exchange, params["FrameworkName"])
        return error or self._backup().reply(exchange, framework)

    def list_frameworks(self, exchange, params):
        b = self._backup()
        items, token = b.page(sorted(self._frameworks(exchange).values(), key=lambda f: f["CreationTime"]), params)
        listed = [{"FrameworkName": f["FrameworkName"], "FrameworkArn": f["FrameworkArn"],
                   "FrameworkDescription": f.get("FrameworkDescription"), "NumberOfControls": len(f["FrameworkControls"]),
                   "CreationTime": f["CreationTime"], "DeploymentStatus": f["DeploymentStatus"]} for f in items]
        return b.reply(exchange, {"Frameworks": [{k: v for k, v in f.items() if v is not None} for f in listed],
                                  "NextToken": token})

    def update_framework(self, exchange, params):
        b = self._backup()
        framework, error = self._framework(exchange, params["FrameworkName"])
        if error:
            return error
        if "FrameworkControls" in params:
            problem = controls_problem(params["FrameworkControls"])
            if problem:
                return b.invalid(exchange, problem)
            in_use = self._controls_in_use(exchange, leaving_out=framework["FrameworkName"])
            if in_use + len(params["FrameworkControls"]) > MAX_CONTROLS:
                return b.aws_error(exchange, "LimitExceededException",
                                   f"At most {MAX_CONTROLS} controls per account and Region")
            framework["FrameworkControls"] = copy.deepcopy(params["FrameworkControls"])
        if "FrameworkDescription" in params:
            framework["FrameworkDescription"] = params["FrameworkDescription"]
        return b.reply(exchange, framework)

    def delete_framework(self, exchange, params):
        b = self._backup()
        framework, error = self._framework(exchange, params["FrameworkName"])
        if error:
            return error
        del self._frameworks(exchange)[framework["FrameworkName"]]
        b.moto_backend(exchange).tagger.delete_all_tags_for_resource(framework["FrameworkArn"])
        return b.reply(exchange, {})

    # --- report plans -----------------------------------------------------------------------------

    def _setting_problem(self, exchange, setting, channel):
        if setting["ReportTemplate"] not in TEMPLATES:
            return f"Invalid ReportTemplate {setting['ReportTemplate']}: one of {', '.join(TEMPLATES)}"
        formats = channel.get("Formats")
        if formats is not None and (not formats or any(f not in FORMATS for f in formats)):
            return f"Invalid Formats {formats}: CSV, JSON or both"
        arns = setting.get("FrameworkArns") or []
        if setting["ReportTemplate"] in COMPLIANCE_TEMPLATES and not arns:
            return f"{setting['ReportTemplate']} needs FrameworkArns"
        known = {f["FrameworkArn"] for f in self._frameworks(exchange).values()}
        missing = [arn for arn in arns if arn not in known]
        if missing:
            return f"Framework not found: {', '.join(missing)}"
        return None

    @staticmethod
    def _channel(channel):
        channel = copy.deepcopy(channel)
        channel.setdefault("Formats", ["CSV"])
        return channel

    def create_report_plan(self, exchange, params):
        b = self._backup()
        name = params["ReportPlanName"]
        if not NAME.match(name):
            return b.invalid(exchange, "ReportPlanName must start with a letter and hold only letters, digits and underscores")
        plans = self._plans(exchange)
        token = params.get("IdempotencyToken")
        existing = plans.get(name)
        if existing is not None:
            if token and existing.get("IdempotencyToken") == token:
                return b.reply(exchange, existing)
            return b.aws_error(exchange, "AlreadyExistsException", f"Report plan {name} already exists")
        problem = self._setting_problem(exchange, params["ReportSetting"], params["ReportDeliveryChannel"])
        if problem:
            return b.invalid(exchange, problem)
        plan = {
            "ReportPlanName": name,
            "ReportPlanArn": self._arn(exchange, "report-plan", name),
            "ReportPlanDescription": params.get("ReportPlanDescription"),
            "ReportSetting": copy.deepcopy(params["ReportSetting"]),
            "ReportDeliveryChannel": self._channel(params["ReportDeliveryChannel"]),
            "DeploymentStatus": "COMPLETED",
            "CreationTime": time.time(),
            "IdempotencyToken": token,
        }
        plans[name] = plan
        if params.get("ReportPlanTags"):
            b.moto_backend(exchange).tag_resource(plan["ReportPlanArn"], params["ReportPlanTags"])
        return b.reply(exchange, plan)

    def _plan(self, exchange, name):
        plan = self._plans(exchange).get(name)
        if plan is None:
            return None, self._backup().not_found(exchange, f"Report plan {name} not found")
        return plan, None

    @staticmethod
    def _shown(plan):
        return {k: v for k, v in plan.items() if k != "IdempotencyToken" and v is not None}

    def describe_report_plan(self, exchange, params):
        plan, error = self._plan(exchange, params["ReportPlanName"])
        return error or self._backup().reply(exchange, {"ReportPlan": self._shown(plan)})

    def list_report_plans(self, exchange, params):
        b = self._backup()
        items, token = b.page(sorted(self._plans(exchange).values(), key=lambda p: p["CreationTime"]), params)
        return b.reply(exchange, {"ReportPlans": [self._shown(p) for p in items], "NextToken": token})

    def update_report_plan(self, exchange, params):
        b = self._backup()
        plan, error = self._plan(exchange, params["ReportPlanName"])
        if error:
            return error
        setting = params.get("ReportSetting", plan["ReportSetting"])
        channel = self._channel(params.get("ReportDeliveryChannel", plan["ReportDeliveryChannel"]))
        problem = self._setting_problem(exchange, setting, channel)
        if problem:
            return b.invalid(exchange, problem)
        plan.update(ReportSetting=copy.deepcopy(setting), ReportDeliveryChannel=channel)
        if "ReportPlanDescription" in params:
            plan["ReportPlanDescription"] = params["ReportPlanDescription"]
        return b.reply(exchange, plan)

    def delete_report_plan(self, exchange, params):
        b = self._backup()
        plan, error = self._plan(exchange, params["ReportPlanName"])
        if error:
            return error
        del self._plans(exchange)[plan["ReportPlanName"]]
        b.moto_backend(exchange).tagger.delete_all_tags_for_resource(plan["ReportPlanArn"])
        return b.reply(exchange, {})
