"""Cost Explorer: what moto 5.2.5 lacks, following the botocore service model.

- Cost anomaly monitors (CreateAnomalyMonitor, GetAnomalyMonitors, UpdateAnomalyMonitor,
  DeleteAnomalyMonitor) and subscriptions (CreateAnomalySubscription, GetAnomalySubscriptions,
  UpdateAnomalySubscription, DeleteAnomalySubscription) are missing. They are kept here with AWS's
  checks: a DIMENSIONAL monitor names a MonitorDimension and no MonitorSpecification, a CUSTOM one a
  MonitorSpecification and no dimension; only the name of a monitor can be updated; a subscription
  has Threshold or ThresholdExpression, not both (Threshold is shorthand for an
  ANOMALY_TOTAL_IMPACT_ABSOLUTE expression, and AWS answers with the expression); a threshold
  expression uses the ANOMALY_TOTAL_IMPACT_ABSOLUTE and ANOMALY_TOTAL_IMPACT_PERCENTAGE dimensions
  with GREATER_THAN_OR_EQUAL and numbers from 0 to 10,000,000,000, nested with And / Or; IMMEDIATE
  subscriptions notify SNS topics, DAILY and WEEKLY ones e-mail addresses; monitors a subscription
  names must exist (UnknownMonitorException); unknown ARNs answer UnknownMonitorException /
  UnknownSubscriptionException. ResourceTags go to moto's own tagging of Cost Explorer resources, so
  TagResource, UntagResource and ListTagsForResource (moto's) see them; deleting drops them.
- Cost allocation tags (UpdateCostAllocationTagsStatus, ListCostAllocationTags) are missing.
  **Approximated**: AWS knows a user-defined tag key only once resources carry it (up to a day
  later); here any key is taken as known, and ListCostAllocationTags lists the keys whose status was
  set. At most 20 keys a call (the model's limit).
"""

import threading
import uuid
from datetime import datetime, timezone

from .base import ServiceExtension, aws_error, json_reply, validate_input

MONITOR_OPERATIONS = {"CreateAnomalyMonitor", "GetAnomalyMonitors", "UpdateAnomalyMonitor", "DeleteAnomalyMonitor"}
SUBSCRIPTION_OPERATIONS = {
    "CreateAnomalySubscription", "GetAnomalySubscriptions", "UpdateAnomalySubscription", "DeleteAnomalySubscription",
}
TAG_OPERATIONS = {"UpdateCostAllocationTagsStatus", "ListCostAllocationTags"}
THRESHOLD_KEYS = {"ANOMALY_TOTAL_IMPACT_ABSOLUTE", "ANOMALY_TOTAL_IMPACT_PERCENTAGE"}
MAX_THRESHOLD = 10_000_000_000
SUBSCRIBER_TYPE = {"IMMEDIATE": "SNS", "DAILY": "EMAIL", "WEEKLY": "EMAIL"}


def moto_backend(exchange):
    from moto.ce.models import ce_backends

    return ce_backends[exchange.account_id]["aws"]


def today():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


class Invalid(ValueError):
    """A request AWS refuses: (code, message)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def threshold_problem(expression):
    """Why a ThresholdExpression is refused, or None."""
    nested = [key for key in ("And", "Or") if key in expression]
    if nested:
        if len(expression) != 1 or not expression[nested[0]]:
            return "And / Or must be the only member of its expression and hold expressions"
        return next(filter(None, (threshold_problem(e) for e in expression[nested[0]])), None)
    dimensions = expression.get("Dimensions")
    if set(expression) != {"Dimensions"} or not dimensions:
        return "A threshold expression supports only Dimensions, And and Or"
    if dimensions.get("Key") not in THRESHOLD_KEYS:
        return "Threshold dimension must be one of {0}".format(sorted(THRESHOLD_KEYS))
    if dimensions.get("MatchOptions") != ["GREATER_THAN_OR_EQUAL"]:
        return "MatchOptions must be [GREATER_THAN_OR_EQUAL]"
    values = dimensions.get("Values") or []
    if len(values) != 1:
        return "A threshold dimension takes exactly one value"
    try:
        number = float(values[0])
    except ValueError:
        return "Threshold value {0!r} is not a number".format(values[0])
    if not 0 <= number <= MAX_THRESHOLD:
        return "Threshold value must be between 0 and {0}".format(MAX_THRESHOLD)
    return None


def absolute_threshold(value):
    """The expression AWS stores for the deprecated Threshold shorthand."""
    text = "{0:g}".format(value) if float(value).is_integer() else str(value)
    return {"Dimensions": {"Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE", "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                           "Values": [text]}}


class CostExplorerExtension(ServiceExtension):
    service = "ce"
    atomic = frozenset({"CreateAnomalyMonitor", "CreateAnomalySubscription"})

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.monitors = {}  # (account, arn) -> monitor
        self.subscriptions = {}  # (account, arn) -> subscription
        self.allocation_tags = {}  # (account, key) -> CostAllocationTag

    def handle(self, exchange):
        operation = exchange.operation
        if operation not in MONITOR_OPERATIONS | SUBSCRIPTION_OPERATIONS | TAG_OPERATIONS:
            return None
        try:
            params = exchange.request_json()
        except ValueError:
            return aws_error(exchange, "SerializationException", "the request body is not a JSON object")
        problem = validate_input("ce", operation, params)
        if problem:
            return aws_error(exchange, "ValidationException", problem)
        handler = getattr(self, "_" + "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_"))
        try:
            with self.lock:
                return json_reply(exchange, handler(exchange, exchange.account_id, params))
        except Invalid as error:
            return aws_error(exchange, error.code, str(error))

    # --- monitors -------------------------------------------------------------------------------

    def _monitor(self, account, arn):
        monitor = self.monitors.get((account, arn))
        if monitor is None:
            raise Invalid("UnknownMonitorException", "No anomaly monitor with ARN {0}".format(arn))
        return monitor

    def _create_anomaly_monitor(self, exchange, account, params):
        wanted = params["AnomalyMonitor"]
        kind = wanted.get("MonitorType")
        if kind == "DIMENSIONAL" and ("MonitorDimension" not in wanted or "MonitorSpecification" in wanted):
            raise Invalid("ValidationException", "A DIMENSIONAL monitor needs a MonitorDimension and no MonitorSpecification")
        if kind == "CUSTOM" and ("MonitorSpecification" not in wanted or "MonitorDimension" in wanted):
            raise Invalid("ValidationException", "A CUSTOM monitor needs a MonitorSpecification and no MonitorDimension")
        arn = "arn:aws:ce::{0}:anomalymonitor/{1}".format(account, uuid.uuid4())
        monitor = {key: wanted[key] for key in ("MonitorName", "MonitorType", "MonitorDimension", "MonitorSpecification")
                   if key in wanted}
        monitor.update(MonitorArn=arn, CreationDate=today(), LastUpdatedDate=today(), DimensionalValueCount=0)
        self.monitors[(account, arn)] = monitor
        if params.get("ResourceTags"):
            moto_backend(exchange).tag_resource(arn, params["ResourceTags"])
        return {"MonitorArn": arn}

    def _get_anomaly_monitors(self, exchange, account, params):
        arns = params.get("MonitorArnList")
        if arns:
            found = [self._monitor(account, arn) for arn in arns]
        else:
            found = [m for key, m in self.monitors.items() if key[0] == account]
        return self._page(found, params, "AnomalyMonitors")

    def _update_anomaly_monitor(self, exchange, account, params):
        monitor = self._monitor(account, params["MonitorArn"])
        if "MonitorName" in params:
            monitor.update(MonitorName=params["MonitorName"], LastUpdatedDate=today())
        return {"MonitorArn": monitor["MonitorArn"]}

    def _delete_anomaly_monitor(self, exchange, account, params):
        arn = self._monitor(account, params["MonitorArn"])["MonitorArn"]
        del self.monitors[(account, arn)]
        self._drop_tags(exchange, arn)
        return {}

    # --- subscriptions --------------------------------------------------------------------------

    def _subscription(self, account, arn):
        subscription = self.subscriptions.get((account, arn))
        if subscription is None:
            raise Invalid("UnknownSubscriptionException", "No anomaly subscription with ARN {0}".format(arn))
        return subscription

    def _check_subscription(self, account, subscription):
        for arn in subscription["MonitorArnList"]:
            self._monitor(account, arn)
        if not subscription["Subscribers"]:
            raise Invalid("ValidationException", "A subscription needs at least one subscriber")
        wanted_type = SUBSCRIBER_TYPE[subscription["Frequency"]]
        for subscriber in subscription["Subscribers"]:
            if subscriber.get("Type") != wanted_type:
                raise Invalid("ValidationException", "{0} subscriptions notify {1} subscribers only, not {2}".format(
                    subscription["Frequency"], wanted_type, subscriber.get("Type")))
        problem = threshold_problem(subscription["ThresholdExpression"])
        if problem:
            raise Invalid("ValidationException", problem)

    @staticmethod
    def _threshold(params, required):
        if "Threshold" in params and "ThresholdExpression" in params:
            raise Invalid("ValidationException", "Specify either Threshold or ThresholdExpression, not both")
        if "Threshold" in params:
            return absolute_threshold(params["Threshold"])
        if "ThresholdExpression" in params:
            return params["ThresholdExpression"]
        if required:
            raise Invalid("ValidationException", "One of Threshold or ThresholdExpression is required")
        return None

    def _create_anomaly_subscription(self, exchange, account, params):
        wanted = dict(params["AnomalySubscription"])
        subscription = {key: wanted[key] for key in ("MonitorArnList", "Subscribers", "Frequency", "SubscriptionName")}
        subscription["ThresholdExpression"] = self._threshold(wanted, required=True)
        self._check_subscription(account, subscription)
        arn = "arn:aws:ce::{0}:anomalysubscription/{1}".format(account, uuid.uuid4())
        subscription.update(SubscriptionArn=arn, AccountId=account)
        self.subscriptions[(account, arn)] = subscription
        if params.get("ResourceTags"):
            moto_backend(exchange).tag_resource(arn, params["ResourceTags"])
        return {"SubscriptionArn": arn}

    def _get_anomaly_subscriptions(self, exchange, account, params):
        arns = params.get("SubscriptionArnList")
        if arns:
            found = [self._subscription(account, arn) for arn in arns]
        else:
            found = [s for key, s in self.subscriptions.items() if key[0] == account]
        if params.get("MonitorArn"):
            found = [s for s in found if params["MonitorArn"] in s["MonitorArnList"]]
        return self._page(found, params, "AnomalySubscriptions")

    def _update_anomaly_subscription(self, exchange, account, params):
        current = self._subscription(account, params["SubscriptionArn"])
        updated = dict(current)
        for key in ("Frequency", "MonitorArnList", "Subscribers", "SubscriptionName"):
            if key in params:
                updated[key] = params[key]
        updated["ThresholdExpression"] = self._threshold(params, required=False) or current["ThresholdExpression"]
        self._check_subscription(account, updated)
        current.update(updated)
        return {"SubscriptionArn": current["SubscriptionArn"]}

    def _delete_anomaly_subscription(self, exchange, account, params):
        arn = self._subscription(account, params["SubscriptionArn"])["SubscriptionArn"]
        del self.subscriptions[(account, arn)]
        self._drop_tags(exchange, arn)
        return {}

    # --- cost allocation tags -------------------------------------------------------------------

    def _update_cost_allocation_tags_status(self, exchange, account, params):
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for entry in params["CostAllocationTagsStatus"]:
            self.allocation_tags[(account, entry["TagKey"])] = {
                "TagKey": entry["TagKey"], "Type": "UserDefined", "Status": entry["Status"], "LastUpdatedDate": now,
            }
        return {"Errors": []}

    def _list_cost_allocation_tags(self, exchange, account, params):
        found = [tag for key, tag in sorted(self.allocation_tags.items()) if key[0] == account]
        if params.get("TagKeys"):
            found = [tag for tag in found if tag["TagKey"] in params["TagKeys"]]
        if params.get("Status"):
            found = [tag for tag in found if tag["Status"] == params["Status"]]
        if params.get("Type"):
            found = [tag for tag in found if tag["Type"] == params["Type"]]
        return self._page(found, params, "CostAllocationTags", token="NextToken")

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    def _page(items, params, key, token="NextPageToken"):
        start = params.get(token) or "0"
        if not start.isdigit() or int(start) > len(items):
            raise Invalid("InvalidNextTokenException", "Invalid pagination token")
        size = params.get("MaxResults") or 100
        start = int(start)
        answer = {key: items[start:start + size]}
        if start + size < len(items):
            answer[token] = str(start + size)
        return answer

    @staticmethod
    def _drop_tags(exchange, arn):
        backend = moto_backend(exchange)
        keys = [tag["Key"] for tag in backend.list_tags_for_resource(arn)]
        if keys:
            backend.untag_resource(arn, keys)
