"""AWS Backup: what moto 5.2.5 lacks or gets wrong, following the botocore service model.

moto answers backup plans and vaults (and a vault lock it validates as AWS does) only. This module adds:

- Backup selections (Create, Get, List, DeleteBackupSelection): Resources, NotResources, ListOfTags,
  Conditions and IamRoleArn stored and returned as given; CreatorRequestId idempotency (the same id in
  a plan answers the selection it made); ResourceNotFoundException for an unknown plan or selection,
  AlreadyExistsException for a second selection of the same name in a plan,
  InvalidParameterValueException for a selection with neither Resources nor ListOfTags or a role that
  is no IAM role ARN. DeleteBackupPlan refuses a plan that still has selections (InvalidRequestException).
- CreateBackupPlan of a deleted plan's name: moto refuses it (AlreadyExistsException), AWS creates the plan;
  here the deleted plan is forgotten first (ListBackupPlans with IncludeDeleted no longer shows it).
- DescribeBackupVault with what moto leaves out (and AccessDeniedException for an unknown vault, as AWS
  answers, where moto says ResourceNotFoundException): EncryptionKeyArn as given, Locked, MinRetentionDays,
  MaxRetentionDays, LockDate, NumberOfRecoveryPoints, VaultType and VaultState.
- DeleteBackupVault: ResourceNotFoundException for an unknown vault (moto: success) and
  InvalidRequestException for a vault that holds recovery points (AWS deletes only empty vaults).
- Vault notifications (Put, Get, DeleteBackupVaultNotifications): SNS topic and events checked against
  the model's event names.
- Restore testing plans and their selections (Create, Get, List, Update, Delete): stored and returned per
  the model, AlreadyExistsException for a second name, CreatorRequestId idempotency, a plan with
  selections cannot be deleted (InvalidRequestException). Nothing is scheduled. As AWS documents: the
  plan's ARN is ``restore-testing-plan:<name>-<id>`` (Service Authorization Reference), its Tags are
  read with ListTags, StartWindowHours defaults to 24 (1 to 168) and SelectionWindowDays to 30 (1 to
  365), IncludeVaults is required; a selection takes up to 30 resource ARNs, or the wildcard ["*"]
  with ProtectedResourceConditions, never specific ARNs with conditions; ValidationWindowHours is 0 to
  168.

Backup jobs, recovery points, copies and restores are in backup_jobs.py, Backup Audit Manager frameworks and report
plans in backup_audit.py; this module hands them the calls.
"""

import copy
import re
import threading
import time
import uuid

from ..operations import service_model
from ..responses import json_reply
from .backup_audit import BackupAudit
from .backup_jobs import BackupJobs
from .base import BadRequest, ServiceExtension, aws_error, rest_json_params, validate_input

IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
SNS_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$")
RESTORE_TESTING_NAME = re.compile(r"^[A-Za-z0-9_]{1,50}$")
MAX_TESTING_ARNS = 30


def moto_backend(exchange, region=None):
    from moto.backup.models import backup_backends

    return backup_backends[exchange.account_id][region or exchange.call.region]


def reply(exchange, data, operation=None):
    """A successful answer with the operation's status code and only the members it has."""
    model = service_model("backup").operation_model(operation or exchange.operation)
    status = model.http.get("responseCode", 200)
    shape = model.output_shape
    if shape is not None:
        data = {k: v for k, v in data.items() if k in shape.members and v is not None}
    return json_reply(status, data, [("x-amzn-RequestId", str(uuid.uuid4()))])


def not_found(exchange, message):
    return aws_error(exchange, "ResourceNotFoundException", message)


def invalid(exchange, message):
    return aws_error(exchange, "InvalidParameterValueException", message)


def no_such_vault(exchange):
    """AWS's answer to a read of a vault that does not exist: access denied, not "not found"."""
    return aws_error(exchange, "AccessDeniedException", "Insufficient privileges to perform this action.", 403)


def page(items, params, token="NextToken"):
    """(items of this page, next token or None) for MaxResults / NextToken."""
    start = int(params.get(token) or 0) if str(params.get(token) or "0").isdigit() else 0
    size = params.get("MaxResults") or 1000
    return items[start:start + size], (str(start + size) if start + size < len(items) else None)


def testing_plan_problem(plan):
    """What AWS refuses in a restore testing plan (its documented ranges), or None."""
    selection = plan["RecoveryPointSelection"]
    if not 1 <= plan["StartWindowHours"] <= 168:
        return "StartWindowHours must be between 1 and 168"
    if not selection.get("Algorithm") or not selection.get("RecoveryPointTypes"):
        return "RecoveryPointSelection needs Algorithm and RecoveryPointTypes"
    if not selection.get("IncludeVaults"):
        return "RecoveryPointSelection.IncludeVaults must name one or more vaults, or [\"*\"]"
    if not 1 <= selection["SelectionWindowDays"] <= 365:
        return "SelectionWindowDays must be between 1 and 365"
    return None


def testing_selection_problem(selection):
    """What AWS refuses in a restore testing selection, or None."""
    arns = selection.get("ProtectedResourceArns") or []
    conditions = selection.get("ProtectedResourceConditions") or {}
    if not IAM_ROLE_ARN.match(selection["IamRoleArn"]):
        return f"Invalid ARN: {selection['IamRoleArn']} is not an IAM role ARN"
    if not arns and not conditions:
        return "A restore testing selection needs ProtectedResourceArns or ProtectedResourceConditions"
    if "*" in arns and len(arns) > 1:
        return "ProtectedResourceArns takes specific ARNs or the wildcard [\"*\"], not both"
    if conditions and arns and arns != ["*"]:
        return "ProtectedResourceConditions can only be used with ProtectedResourceArns [\"*\"]"
    if len(arns) > MAX_TESTING_ARNS:
        return f"ProtectedResourceArns takes up to {MAX_TESTING_ARNS} ARNs"
    if not 0 <= selection.get("ValidationWindowHours", 0) <= 168:
        return "ValidationWindowHours must be between 0 and 168"
    return None


class BackupExtension(ServiceExtension):
    service = "backup"
    atomic = frozenset({"CreateBackupSelection", "CreateRestoreTestingPlan", "CreateRestoreTestingSelection",
                        "StartBackupJob", "StartCopyJob", "StartRestoreJob", "CreateFramework", "CreateReportPlan"})

    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()
        self._selections = {}  # (account, region) -> {plan id: {selection id: record}}
        self._notifications = {}  # (account, region, vault name) -> GetBackupVaultNotifications output
        self._testing_plans = {}  # (account, region) -> {name: plan}
        self._testing_selections = {}  # (account, region, plan name) -> {name: selection}
        self.jobs = BackupJobs(self)
        self.audit = BackupAudit(self)
        self.latency_hooks = [self.jobs.latency]
        self._handlers = {
            "CreateBackupSelection": self.create_selection,
            "GetBackupSelection": self.get_selection,
            "ListBackupSelections": self.list_selections,
            "DeleteBackupSelection": self.delete_selection,
            "DeleteBackupPlan": self.check_delete_plan,
            "UpdateBackupPlan": self.update_plan,
            "CreateBackupPlan": self.forget_deleted_plan,
            "DescribeBackupVault": self.describe_vault,
            "DeleteBackupVault": self.delete_vault,
            "PutBackupVaultNotifications": self.put_notifications,
            "GetBackupVaultNotifications": self.get_notifications,
            "DeleteBackupVaultNotifications": self.delete_notifications,
            "CreateRestoreTestingPlan": self.create_testing_plan,
            "GetRestoreTestingPlan": self.get_testing_plan,
            "ListRestoreTestingPlans": self.list_testing_plans,
            "UpdateRestoreTestingPlan": self.update_testing_plan,
            "DeleteRestoreTestingPlan": self.delete_testing_plan,
            "CreateRestoreTestingSelection": self.create_testing_selection,
            "GetRestoreTestingSelection": self.get_testing_selection,
            "ListRestoreTestingSelections": self.list_testing_selections,
            "UpdateRestoreTestingSelection": self.update_testing_selection,
            "DeleteRestoreTestingSelection": self.delete_testing_selection,
        }
        self._handlers.update(self.jobs.handlers())
        self._handlers.update(self.audit.handlers())

    def reset(self):
        with self._lock:
            self._selections.clear()
            self._notifications.clear()
            self._testing_plans.clear()
            self._testing_selections.clear()
            self.jobs.reset()
            self.audit.reset()

    def handle(self, exchange):
        handler = self._handlers.get(exchange.operation)
        if handler is None:
            return None
        try:
            params = rest_json_params(exchange, exchange.operation)
        except BadRequest as error:
            return invalid(exchange, str(error))
        problem = validate_input("backup", exchange.operation, params)
        if problem:
            return invalid(exchange, problem)
        with self._lock:
            return handler(exchange, params)

    @staticmethod
    def region_key(exchange):
        return (exchange.account_id, exchange.call.region)

    def vault(self, exchange, name, region=None):
        """moto's vault of that name, or None."""
        return moto_backend(exchange, region).vaults.get(name)

    # --- backup selections ----------------------------------------------------------------------

    def _plan(self, exchange, plan_id):
        plan = moto_backend(exchange).plans.get(plan_id)
        return plan if plan is not None and plan.deletion_date is None else None

    def _plan_selections(self, exchange, plan_id):
        return self._selections.setdefault(self.region_key(exchange), {}).setdefault(plan_id, {})

    def create_selection(self, exchange, params):
        plan_id = params["BackupPlanId"]
        if self._plan(exchange, plan_id) is None:
            return not_found(exchange, f"Failed reading Backup plan with provided version: {plan_id}")
        selection = params["BackupSelection"]
        if not selection.get("Resources") and not selection.get("ListOfTags"):
            return invalid(exchange, "Invalid backup selection. Either 'ListOfTags' or 'Resources' section "
                                     "must be non-empty.")
        if not IAM_ROLE_ARN.match(selection["IamRoleArn"]):
            return invalid(exchange, f"Invalid ARN: {selection['IamRoleArn']} is not an IAM role ARN")
        selections = self._plan_selections(exchange, plan_id)
        request_id = params.get("CreatorRequestId")
        for selection_id, record in selections.items():
            if request_id and record["CreatorRequestId"] == request_id:
                return reply(exchange, record)
            if record["BackupSelection"]["SelectionName"] == selection["SelectionName"]:
                return aws_error(exchange, "AlreadyExistsException",
                                 f"Backup selection with the same name {selection['SelectionName']} already "
                                 "exists in this backup plan")
        record = {
            "SelectionId": str(uuid.uuid4()),
            "BackupPlanId": plan_id,
            "CreationDate": time.time(),
            "CreatorRequestId": request_id,
            "BackupSelection": copy.deepcopy(selection),
        }
        selections[record["SelectionId"]] = record
        return reply(exchange, record)

    def _selection(self, exchange, params):
        """(record, None) or (None, error Reply)."""
        if self._plan(exchange, params["BackupPlanId"]) is None:
            return None, not_found(exchange, f"Backup plan {params['BackupPlanId']} not found")
        record = self._plan_selections(exchange, params["BackupPlanId"]).get(params["SelectionId"])
        if record is None:
            return None, not_found(exchange, f"Backup selection {params['SelectionId']} not found")
        return record, None

    def get_selection(self, exchange, params):
        record, error = self._selection(exchange, params)
        return error or reply(exchange, record)

    def list_selections(self, exchange, params):
        if self._plan(exchange, params["BackupPlanId"]) is None:
            return not_found(exchange, f"Backup plan {params['BackupPlanId']} not found")
        records = sorted(self._plan_selections(exchange, params["BackupPlanId"]).values(),
                         key=lambda r: r["CreationDate"])
        items, token = page(records, params)
        listed = [{"SelectionId": r["SelectionId"], "SelectionName": r["BackupSelection"]["SelectionName"],
                   "BackupPlanId": r["BackupPlanId"], "CreationDate": r["CreationDate"],
                   "CreatorRequestId": r["CreatorRequestId"], "IamRoleArn": r["BackupSelection"]["IamRoleArn"]}
                  for r in items]
        return reply(exchange, {"BackupSelectionsList": [{k: v for k, v in r.items() if v is not None}
                                                         for r in listed], "NextToken": token})

    def delete_selection(self, exchange, params):
        record, error = self._selection(exchange, params)
        if error:
            return error
        del self._plan_selections(exchange, params["BackupPlanId"])[record["SelectionId"]]
        return reply(exchange, {})

    def update_plan(self, exchange, params):
        """UpdateBackupPlan, which moto lacks: the rules replaced as a new version of the plan; a rule of a name the
        plan had keeps its RuleId (AWS does not document whether it does)."""
        plan = self._plan(exchange, params["BackupPlanId"])
        if plan is None:
            return not_found(exchange, f"Failed reading Backup plan with provided version: {params['BackupPlanId']}")
        body = copy.deepcopy(params["BackupPlan"])
        rule_ids = {rule["RuleName"]: rule["RuleId"] for rule in plan.backup_plan.get("Rules") or []}
        for rule in body["Rules"]:
            rule.setdefault("ScheduleExpression", "cron(0 5 ? * * *)")
            rule.setdefault("StartWindowMinutes", 480)
            rule.setdefault("CompletionWindowMinutes", 10080)
            rule.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
            rule["RuleId"] = rule_ids.get(rule["RuleName"]) or str(uuid.uuid4())
        plan.backup_plan = body
        plan.advanced_backup_settings = body.get("AdvancedBackupSettings") or []
        plan.version_id = uuid.uuid4().hex + uuid.uuid4().hex[:16]
        return reply(exchange, {"BackupPlanId": plan.backup_plan_id, "BackupPlanArn": plan.backup_plan_arn,
                                "CreationDate": plan.creation_date, "VersionId": plan.version_id,
                                "AdvancedBackupSettings": plan.advanced_backup_settings or None})

    def check_delete_plan(self, exchange, params):
        """AWS deletes a plan only once its selections are gone; moto deletes it anyway."""
        if self._selections.get(self.region_key(exchange), {}).get(params["BackupPlanId"]):
            return aws_error(exchange, "InvalidRequestException",
                             "Related backup plan selections must be deleted prior to backup plan deletion")
        return None

    def forget_deleted_plan(self, exchange, params):
        """moto counts deleted plans when it refuses a second plan of a name (AlreadyExistsException); AWS
        creates a plan of a deleted plan's name. Deleted plans of that name are dropped, then moto creates it."""
        plans = moto_backend(exchange).plans
        name = params["BackupPlan"]["BackupPlanName"]
        for plan_id in [k for k, p in plans.items() if p.deletion_date is not None
                        and p.backup_plan["BackupPlanName"] == name]:
            del plans[plan_id]
        return None

    def selections_of(self, exchange, plan_id):
        """The BackupSelection documents of a plan (for the jobs module)."""
        return [r["BackupSelection"] for r in self._plan_selections(exchange, plan_id).values()]

    # --- vaults ---------------------------------------------------------------------------------

    def describe_vault(self, exchange, params):
        vault = self.vault(exchange, params["BackupVaultName"])
        if vault is None:
            return no_such_vault(exchange)
        return reply(exchange, {
            "BackupVaultName": vault.backup_vault_name,
            "BackupVaultArn": vault.backup_vault_arn,
            "VaultType": "BACKUP_VAULT",
            "VaultState": "AVAILABLE",
            "EncryptionKeyArn": vault.encryption_key_arn or self.default_key_arn(exchange),
            "EncryptionKeyType": "AWS_OWNED_KMS_KEY" if not vault.encryption_key_arn else "CUSTOMER_MANAGED_KMS_KEY",
            "CreationDate": vault.creation_date,
            "CreatorRequestId": vault.creator_request_id,
            "NumberOfRecoveryPoints": self.jobs.count_recovery_points(exchange, vault),
            "Locked": vault.locked,
            "MinRetentionDays": vault.min_retention_days,
            "MaxRetentionDays": vault.max_retention_days,
            "LockDate": vault.lock_date,
        })

    @staticmethod
    def default_key_arn(exchange):
        """The aws/backup key AWS uses for a vault created without a key (a stand-in ARN here)."""
        return f"arn:aws:kms:{exchange.call.region}:{exchange.account_id}:alias/aws/backup"

    def delete_vault(self, exchange, params):
        name = params["BackupVaultName"]
        vault = self.vault(exchange, name)
        if vault is None:
            return not_found(exchange, f"Backup vault {name} not found")
        if self.jobs.count_recovery_points(exchange, vault):
            return aws_error(exchange, "InvalidRequestException",
                             "Backup vault cannot be deleted because it contains recovery points.")
        del moto_backend(exchange).vaults[name]
        self._notifications.pop((*self.region_key(exchange), name), None)
        return reply(exchange, {})

    def put_notifications(self, exchange, params):
        vault = self.vault(exchange, params["BackupVaultName"])
        if vault is None:
            return not_found(exchange, f"Backup vault {params['BackupVaultName']} not found")
        if not SNS_TOPIC_ARN.match(params["SNSTopicArn"]):
            return invalid(exchange, f"Invalid SNS topic ARN: {params['SNSTopicArn']}")
        events = service_model("backup").shape_for("BackupVaultEvent").enum
        unknown = [e for e in params["BackupVaultEvents"] if e not in events]
        if unknown or not params["BackupVaultEvents"]:
            return invalid(exchange, f"Invalid backup vault events: {unknown or '[]'}")
        self._notifications[(*self.region_key(exchange), vault.backup_vault_name)] = {
            "BackupVaultName": vault.backup_vault_name,
            "BackupVaultArn": vault.backup_vault_arn,
            "SNSTopicArn": params["SNSTopicArn"],
            "BackupVaultEvents": list(params["BackupVaultEvents"]),
            "ReportsInS3": params.get("ReportsInS3"),
        }
        return reply(exchange, {})

    def get_notifications(self, exchange, params):
        name = params["BackupVaultName"]
        if self.vault(exchange, name) is None:
            return not_found(exchange, f"Backup vault {name} not found")
        found = self._notifications.get((*self.region_key(exchange), name))
        if found is None:
            return not_found(exchange, f"Backup vault notification configuration for {name} not found")
        return reply(exchange, found)

    def delete_notifications(self, exchange, params):
        name = params["BackupVaultName"]
        if self.vault(exchange, name) is None:
            return not_found(exchange, f"Backup vault {name} not found")
        self._notifications.pop((*self.region_key(exchange), name), None)
        return reply(exchange, {})

    # --- restore testing plans ------------------------------------------------------------------

    def _testing_plans_of(self, exchange):
        return self._testing_plans.setdefault(self.region_key(exchange), {})

    def _testing_selections_of(self, exchange, plan_name):
        return self._testing_selections.setdefault((*self.region_key(exchange), plan_name), {})

    def create_testing_plan(self, exchange, params):
        body = params["RestoreTestingPlan"]
        name = body["RestoreTestingPlanName"]
        if not RESTORE_TESTING_NAME.match(name):
            return invalid(exchange, "RestoreTestingPlanName must consist of 1 to 50 letters, digits and underscores")
        plans = self._testing_plans_of(exchange)
        request_id = params.get("CreatorRequestId")
        existing = plans.get(name)
        if existing is not None:
            if request_id and existing["CreatorRequestId"] == request_id:
                return reply(exchange, existing)
            return aws_error(exchange, "AlreadyExistsException", f"Restore testing plan {name} already exists")
        plan = copy.deepcopy(body)
        plan.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        plan.setdefault("StartWindowHours", 24)
        selection = plan["RecoveryPointSelection"]
        selection.setdefault("SelectionWindowDays", 30)
        problem = testing_plan_problem(plan)
        if problem:
            return invalid(exchange, problem)
        plan.update({
            "RestoreTestingPlanArn": "arn:aws:backup:{0}:{1}:restore-testing-plan:{2}-{3}".format(
                exchange.call.region, exchange.account_id, name, uuid.uuid4()),
            "CreationTime": time.time(),
            "CreatorRequestId": request_id,
        })
        plans[name] = plan
        if params.get("Tags"):
            moto_backend(exchange).tag_resource(plan["RestoreTestingPlanArn"], params["Tags"])
        return reply(exchange, plan)

    def _testing_plan(self, exchange, name):
        plan = self._testing_plans_of(exchange).get(name)
        if plan is None:
            return None, not_found(exchange, f"Restore testing plan {name} not found")
        return plan, None

    def get_testing_plan(self, exchange, params):
        plan, error = self._testing_plan(exchange, params["RestoreTestingPlanName"])
        return error or reply(exchange, {"RestoreTestingPlan": plan})

    def list_testing_plans(self, exchange, params):
        plans = sorted(self._testing_plans_of(exchange).values(), key=lambda p: p["CreationTime"])
        items, token = page(plans, params)
        fields = ("CreationTime", "LastExecutionTime", "LastUpdateTime", "RestoreTestingPlanArn",
                  "RestoreTestingPlanName", "ScheduleExpression", "ScheduleExpressionTimezone", "StartWindowHours")
        listed = [{k: p[k] for k in fields if p.get(k) is not None} for p in items]
        return reply(exchange, {"RestoreTestingPlans": listed, "NextToken": token})

    def update_testing_plan(self, exchange, params):
        plan, error = self._testing_plan(exchange, params["RestoreTestingPlanName"])
        if error:
            return error
        change = params["RestoreTestingPlan"]
        updated = copy.deepcopy(plan)
        for key in ("ScheduleExpression", "ScheduleExpressionTimezone", "StartWindowHours"):
            if key in change:
                updated[key] = change[key]
        if "RecoveryPointSelection" in change:
            updated["RecoveryPointSelection"] = {**plan["RecoveryPointSelection"], **change["RecoveryPointSelection"]}
        problem = testing_plan_problem(updated)
        if problem:
            return invalid(exchange, problem)
        plan.update(updated)
        plan["LastUpdateTime"] = time.time()
        return reply(exchange, {**plan, "UpdateTime": plan["LastUpdateTime"]})

    def delete_testing_plan(self, exchange, params):
        name = params["RestoreTestingPlanName"]
        if name not in self._testing_plans_of(exchange):
            return aws_error(exchange, "InvalidRequestException", f"Restore testing plan {name} not found")
        if self._testing_selections_of(exchange, name):
            return aws_error(exchange, "InvalidRequestException",
                             "Restore testing selections must be deleted before the restore testing plan")
        plan = self._testing_plans_of(exchange).pop(name)
        moto_backend(exchange).tagger.delete_all_tags_for_resource(plan["RestoreTestingPlanArn"])
        return reply(exchange, {})

    def create_testing_selection(self, exchange, params):
        plan, error = self._testing_plan(exchange, params["RestoreTestingPlanName"])
        if error:
            return error
        body = params["RestoreTestingSelection"]
        name = body["RestoreTestingSelectionName"]
        if not RESTORE_TESTING_NAME.match(name):
            return invalid(exchange, "RestoreTestingSelectionName must consist of 1 to 50 letters, digits and "
                                     "underscores")
        problem = testing_selection_problem(body)
        if problem:
            return invalid(exchange, problem)
        selections = self._testing_selections_of(exchange, plan["RestoreTestingPlanName"])
        request_id = params.get("CreatorRequestId")
        existing = selections.get(name)
        if existing is not None:
            if request_id and existing["CreatorRequestId"] == request_id:
                return reply(exchange, {**existing, "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"]})
            return aws_error(exchange, "AlreadyExistsException", f"Restore testing selection {name} already exists")
        selection = copy.deepcopy(body)
        selection.setdefault("ValidationWindowHours", 0)  # not given: no validation window
        selection.update({"RestoreTestingPlanName": plan["RestoreTestingPlanName"], "CreationTime": time.time(),
                          "CreatorRequestId": request_id})
        selections[name] = selection
        return reply(exchange, {**selection, "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"]})

    def _testing_selection(self, exchange, params):
        plan, error = self._testing_plan(exchange, params["RestoreTestingPlanName"])
        if error:
            return None, None, error
        name = params["RestoreTestingSelectionName"]
        selection = self._testing_selections_of(exchange, plan["RestoreTestingPlanName"]).get(name)
        if selection is None:
            return None, None, not_found(exchange, f"Restore testing selection {name} not found")
        return plan, selection, None

    def get_testing_selection(self, exchange, params):
        dummy, selection, error = self._testing_selection(exchange, params)
        return error or reply(exchange, {"RestoreTestingSelection": selection})

    def list_testing_selections(self, exchange, params):
        plan, error = self._testing_plan(exchange, params["RestoreTestingPlanName"])
        if error:
            return error
        selections = sorted(self._testing_selections_of(exchange, plan["RestoreTestingPlanName"]).values(),
                            key=lambda s: s["CreationTime"])
        items, token = page(selections, params)
        fields = ("CreationTime", "IamRoleArn", "ProtectedResourceType", "RestoreTestingPlanName",
                  "RestoreTestingSelectionName", "ValidationWindowHours")
        listed = [{k: s[k] for k in fields if s.get(k) is not None} for s in items]
        return reply(exchange, {"RestoreTestingSelections": listed, "NextToken": token})

    def update_testing_selection(self, exchange, params):
        plan, selection, error = self._testing_selection(exchange, params)
        if error:
            return error
        change = params["RestoreTestingSelection"]
        updated = copy.deepcopy(selection)
        for key in ("IamRoleArn", "ProtectedResourceArns", "ProtectedResourceConditions",
                    "RestoreMetadataOverrides", "ValidationWindowHours"):
            if key in change:
                updated[key] = copy.deepcopy(change[key])
        problem = testing_selection_problem(updated)
        if problem:
            return invalid(exchange, problem)
        selection.update(updated)
        now = time.time()
        return reply(exchange, {**selection, "RestoreTestingPlanArn": plan["RestoreTestingPlanArn"], "UpdateTime": now})

    def delete_testing_selection(self, exchange, params):
        plan, selection, error = self._testing_selection(exchange, params)
        if error:
            return error
        del self._testing_selections_of(exchange, plan["RestoreTestingPlanName"])[
            selection["RestoreTestingSelectionName"]]
        return reply(exchange, {})
