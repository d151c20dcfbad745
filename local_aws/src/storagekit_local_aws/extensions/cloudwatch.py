"""CloudWatch: what moto 5.2.5 gets wrong about dashboards, following the botocore service model.

- PutDashboard refuses a body without a ``widgets`` list, or with a widget that is not an object with a
  ``type``, with ``InvalidParameterInput`` and its ``dashboardValidationMessages``, as AWS does (moto only checks
  that the body is JSON). AWS validates much more (widget properties, metric arrays); this is the part a
  client's mistake most often hits.
- TagResource, UntagResource and ListTagsForResource take a dashboard's ARN
  (``arn:aws:cloudwatch::<account>:dashboard/<name>``), as AWS does; moto tags alarms and Contributor
  Insights rules only and answers ``ResourceNotFoundException`` for a dashboard. A dashboard that does not exist
  is ``ResourceNotFoundException``; DeleteDashboards drops the tags of what it deletes. Dashboards are global,
  so their tags are kept per account, whatever region the call names.

Both protocols botocore may speak to CloudWatch are read and answered: json and smithy-rpc-v2-cbor.
"""

import json
import re
import threading

from .base import ServiceExtension, aws_error
from ..responses import cbor_reply, json_reply

DASHBOARD_ARN = re.compile(r"^arn:aws[a-z-]*:cloudwatch::(\d{12}):dashboard/([A-Za-z0-9_-]{1,255})$")
TAG_OPERATIONS = ("TagResource", "UntagResource", "ListTagsForResource")
WIDGET_TYPES = ("metric", "text", "alarm", "log", "explorer", "custom")


def request_params(exchange):
    """The call's parameters, from its CBOR or JSON body."""
    if exchange.call.protocol == "smithy-rpc-v2-cbor":
        from botocore.parsers import RpcV2CBORParser

        parser = RpcV2CBORParser()
        if not exchange.body:
            return {}
        return parser.parse_data_item(parser.get_peekable_stream_from_bytes(exchange.body))
    return exchange.request_json()


def reply(exchange, data):
    if exchange.call.protocol == "smithy-rpc-v2-cbor":
        return cbor_reply(200, data)
    return json_reply(200, data)


def dashboards(account_id):
    """The dashboard names of the account in every region moto keeps (dashboards are global on AWS)."""
    from moto.cloudwatch.models import cloudwatch_backends

    names = set()
    for backend in cloudwatch_backends[account_id].values():
        names.update(backend.dashboards)
    return names


def body_problems(body):
    """AWS's validation messages (DataPath, Message) for a dashboard body."""
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return [{"DataPath": "", "Message": "The dashboard body is invalid JSON"}]
    if not isinstance(data, dict) or not isinstance(data.get("widgets"), list):
        return [{"DataPath": "", "Message": "Should have required property 'widgets'"}]
    problems = []
    for index, widget in enumerate(data["widgets"]):
        if not isinstance(widget, dict) or widget.get("type") not in WIDGET_TYPES:
            problems.append({"DataPath": "/widgets/{0}/type".format(index),
                             "Message": "Should be equal to one of the allowed values {0}".format(list(WIDGET_TYPES))})
    return problems


class CloudWatchExtension(ServiceExtension):
    service = "cloudwatch"

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.tags = {}  # (account, dashboard name) -> {key: value}

    def reset(self):
        with self.lock:
            self.tags = {}

    def handle(self, exchange):
        if exchange.call.protocol not in ("smithy-rpc-v2-cbor", "json"):
            return None
        if exchange.operation == "PutDashboard":
            problems = body_problems(request_params(exchange).get("DashboardBody"))
            if problems:
                return aws_error(exchange, "InvalidParameterInput", "The dashboard body is invalid, there are {0} "
                                 "validation errors".format(len(problems)), extra={"dashboardValidationMessages": problems})
            return None
        if exchange.operation not in TAG_OPERATIONS:
            return None
        params = request_params(exchange)
        match = DASHBOARD_ARN.match(params.get("ResourceARN") or "")
        if match is None:
            return None  # alarms and rules: moto's own tagging
        account, name = match.groups()
        if name not in dashboards(exchange.account_id) or account != exchange.account_id:
            return aws_error(exchange, "ResourceNotFoundException", "Dashboard {0} does not exist".format(name), 404)
        with self.lock:
            tags = self.tags.setdefault((account, name), {})
            if exchange.operation == "TagResource":
                tags.update((tag["Key"], tag["Value"]) for tag in params.get("Tags") or [])
                return reply(exchange, {})
            if exchange.operation == "UntagResource":
                for key in params.get("TagKeys") or []:
                    tags.pop(key, None)
                return reply(exchange, {})
            return reply(exchange, {"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})

    def rewrite(self, exchange):
        if exchange.operation == "DeleteDashboards" and exchange.reply.status == 200:
            deleted = request_params(exchange).get("DashboardNames") or []
            with self.lock:
                for name in deleted:
                    self.tags.pop((exchange.account_id, name), None)
