# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The monthly cost of a planned stack, from the price table shipped with the collection.

The input is the plan (what the roles are asked to make), never what exists, so a check-mode run can print it
before anything is created. A price the table lacks is an error naming it: a missing price must never read as $0.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.storagekit.aws.plugins.module_utils import cost_prices

# The tier of each resource type unless the resource names one.
TIERS = {
    "rds_postgres": "rds", "elasticache": "elasticache", "dynamodb": "dynamodb", "s3": "s3", "efs": "efs",
    "cloudfront": "cloudfront", "kms": "kms", "secretsmanager": "secretsmanager", "backup": "backup",
}

# Always-free allowances applied when the plan says free_tier: per account and region, shared by all resources.
FREE_TIER = {"dynamodb_rcu": 25, "dynamodb_wcu": 25, "dynamodb_gb": 25, "cloudfront_gb": 1000, "cloudfront_requests": 10000000}


class CostEstimateError(ValueError):
    pass


def _num(resource, key, default=0):
    value = resource.get(key)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise CostEstimateError("{0} {1}: {2} must be a number, not {3!r}".format(
            resource.get("type"), resource.get("name", ""), key, value))


def as_flag(value, default=False):
    """A flag that may come from a template or -e as a string."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def _price(table, key, what, region):
    if key not in table:
        raise CostEstimateError("no price for {0} {1!r} in {2}; the price table has {3}".format(
            what, key, region, ", ".join(sorted(table))))
    return table[key]


class _Lines:
    """The priced lines of one resource: what, quantity, unit price and the monthly amount."""

    def __init__(self):
        self.lines = []

    def add(self, what, quantity, unit, unit_price):
        if quantity:
            self.lines.append({"what": what, "quantity": round(quantity, 4), "unit": unit, "unit_price": unit_price,
                               "monthly": quantity * unit_price})


def _rds_postgres(res, prices, region, hours, free, lines):
    table = prices["rds_postgres"]
    cls = res.get("instance_class")
    multi_az = as_flag(res.get("multi_az"))
    suffix = "_multi_az" if multi_az else ""
    storage_type = res.get("storage_type") or "gp3"
    gb = _num(res, "storage_gb", 20)
    iops = _num(res, "iops")
    throughput = _num(res, "storage_throughput")
    deployment = "Multi-AZ" if multi_az else "Single-AZ"
    lines.add("instance {0} {1}".format(cls, deployment), hours, "hours",
              _price(table["instance_hour" + suffix], cls, "RDS PostgreSQL instance class", region))
    storage_price = _price(table["storage_gb_month" + suffix], storage_type, "RDS storage type", region)
    lines.add("{0} storage {1}".format(storage_type, deployment), gb, "GB-month", storage_price)
    if storage_type == "gp3":
        # gp3 includes 3000 IOPS and 125 MiB/s below 400 GB, 12000 IOPS and 500 MiB/s from 400 GB.
        iops -= 3000 if gb < 400 else 12000
        throughput -= 125 if gb < 400 else 500
        lines.add("gp3 throughput above the baseline", max(throughput, 0), "MiB/s-month",
                  table["throughput_mibps_month" + suffix])
    if iops > 0:
        lines.add("{0} IOPS".format(storage_type), iops, "IOPS-month",
                  _price(table["iops_month" + suffix], storage_type, "RDS provisioned IOPS of storage type", region))
    lines.add("backup storage beyond the free allowance", _num(res, "extra_backup_gb"), "GB-month",
              table["backup_gb_month"])
    for replica in res.get("read_replicas") or []:
        # A replica is priced like a primary of its own class, storage and Multi-AZ setting in this region.
        rep = dict(res, **replica)
        rep.setdefault("instance_class", cls)
        rep["multi_az"] = replica.get("multi_az", False)
        rep["read_replicas"], rep["extra_backup_gb"] = [], 0
        rep_lines = _Lines()
        _rds_postgres(rep, prices, region, hours, free, rep_lines)
        for line in rep_lines.lines:
            line["what"] = "read replica {0}: {1}".format(replica.get("name", ""), line["what"]).replace(" : ", ": ")
        lines.lines.extend(rep_lines.lines)


def _elasticache(res, prices, region, hours, free, lines):
    engine = (res.get("engine") or "valkey").lower()
    node_type = res.get("node_type")
    nodes = _num(res, "nodes", 1)
    by_engine = _price(prices["elasticache"]["node_hour"], engine, "ElastiCache engine", region)
    lines.add("{0:g} x {1} {2} node".format(nodes, node_type, engine), nodes * hours, "node-hours",
              _price(by_engine, node_type, "ElastiCache node type", region))


def _dynamodb(res, prices, region, hours, free, lines):
    table = prices["dynamodb"]
    mode = (res.get("billing_mode") or "PAY_PER_REQUEST").upper()
    gb = _num(res, "storage_gb")
    if mode == "PROVISIONED":
        rcu = _num(res, "read_capacity") + sum(_num(i, "read_capacity") for i in res.get("indexes") or [])
        wcu = _num(res, "write_capacity") + sum(_num(i, "write_capacity") for i in res.get("indexes") or [])
        free_rcu, free_wcu = min(rcu, free["dynamodb_rcu"]), min(wcu, free["dynamodb_wcu"])
        free["dynamodb_rcu"] -= free_rcu
        free["dynamodb_wcu"] -= free_wcu
        lines.add("provisioned read capacity (table and indexes)", (rcu - free_rcu) * hours, "RCU-hours", table["rcu_hour"])
        lines.add("provisioned write capacity (table and indexes)", (wcu - free_wcu) * hours, "WCU-hours", table["wcu_hour"])
    elif mode == "PAY_PER_REQUEST":
        lines.add("on-demand reads", _num(res, "read_requests_millions"), "million RRU", table["read_request_million"])
        lines.add("on-demand writes", _num(res, "write_requests_millions"), "million WRU", table["write_request_million"])
    else:
        raise CostEstimateError("dynamodb {0}: billing_mode must be PROVISIONED or PAY_PER_REQUEST, not {1!r}".format(
            res.get("name", ""), mode))
    free_gb = min(gb, free["dynamodb_gb"])
    free["dynamodb_gb"] -= free_gb
    lines.add("storage", gb - free_gb, "GB-month", table["storage_gb_month"])
    if as_flag(res.get("point_in_time_recovery"), True):
        lines.add("point-in-time recovery", gb, "GB-month", table["pitr_gb_month"])


def _s3(res, prices, region, hours, free, lines):
    table = prices["s3"]
    storage_class = res.get("storage_class") or "STANDARD"
    lines.add("{0} storage".format(storage_class), _num(res, "storage_gb"), "GB-month",
              _price(table["storage_gb_month"], storage_class, "S3 storage class", region))
    lines.add("PUT, COPY, POST, LIST requests", _num(res, "put_requests_thousands"), "thousand requests",
              table["put_thousand"][storage_class])
    lines.add("GET and other requests", _num(res, "get_requests_thousands"), "thousand requests",
              table["get_thousand"][storage_class])


def _efs(res, prices, region, hours, free, lines):
    table = prices["efs"]
    for tier in ("standard", "ia", "archive"):
        lines.add("{0} storage".format(tier), _num(res, tier + "_gb" if tier != "standard" else "storage_gb"), "GB-month",
                  table["storage_gb_month"][tier])
    mode = res.get("throughput_mode") or "elastic"
    if mode == "elastic":
        lines.add("elastic throughput reads", _num(res, "read_gb"), "GB", table["elastic_read_gb"])
        lines.add("elastic throughput writes", _num(res, "write_gb"), "GB", table["elastic_write_gb"])
    elif mode == "provisioned":
        lines.add("provisioned throughput", _num(res, "provisioned_mibps"), "MiB/s-month", table["provisioned_mibps_month"])
    elif mode != "bursting":
        raise CostEstimateError("efs {0}: throughput_mode must be elastic, provisioned or bursting, not {1!r}".format(
            res.get("name", ""), mode))


def _cloudfront(res, prices, region, hours, free, lines):
    table = prices["cloudfront"]
    gb, requests = _num(res, "data_out_gb"), _num(res, "requests_millions") * 1000000
    free_gb, free_requests = min(gb, free["cloudfront_gb"]), min(requests, free["cloudfront_requests"])
    free["cloudfront_gb"] -= free_gb
    free["cloudfront_requests"] -= free_requests
    lines.add("data transfer out (North America and Europe)", gb - free_gb, "GB", table["data_out_gb"])
    lines.add("HTTPS requests", (requests - free_requests) / 10000, "10k requests", table["https_requests_10k"])


def _kms(res, prices, region, hours, free, lines):
    lines.add("customer managed keys", _num(res, "keys", 1), "key-months", prices["kms"]["key_month"])


def _secretsmanager(res, prices, region, hours, free, lines):
    lines.add("secrets", _num(res, "secrets", 1), "secret-months", prices["secretsmanager"]["secret_month"])


def _backup(res, prices, region, hours, free, lines):
    kind = res.get("resource_type") or "RDS"
    lines.add("{0} backup storage".format(kind), _num(res, "storage_gb"), "GB-month",
              _price(prices["backup"]["storage_gb_month"], kind, "AWS Backup resource type", region))


PRICERS = {
    "rds_postgres": _rds_postgres, "elasticache": _elasticache, "dynamodb": _dynamodb, "s3": _s3, "efs": _efs,
    "cloudfront": _cloudfront, "kms": _kms, "secretsmanager": _secretsmanager, "backup": _backup,
}

ASSUMPTIONS = [
    "AWS on-demand list prices in USD, without tax, support, Savings Plans or reserved instances",
    "a month is {0} hours; instances and nodes run all month".format(cost_prices.HOURS_PER_MONTH),
    "data transfer between AZs and to the internet is not included, except CloudFront's transfer out",
    "RDS automated backups stay within the free allowance (the provisioned storage) unless extra_backup_gb is given;"
    " Performance Insights at its free 7-day retention; CloudWatch logs and Enhanced Monitoring not included",
    "a read replica is priced like a Single-AZ instance of its class with the primary's storage",
    "DynamoDB provisioned capacity at its planned (minimum) value; auto scaling above it costs more",
    "KMS and Secrets Manager API requests not included",
]


def estimate(plan, prices=None):
    """Monthly estimate of plan: {region, free_tier, resources: [{type, name, tier, ...}]}."""
    prices = cost_prices.PRICES if prices is None else prices
    if not isinstance(plan, dict) or not isinstance(plan.get("resources"), list):
        raise CostEstimateError("the plan must be a dict with a list of resources")
    region = plan.get("region")
    if region not in prices:
        raise CostEstimateError("no prices for region {0!r}; the price table covers {1} (regenerate it with make prices)".format(
            region, ", ".join(sorted(prices))))
    free_tier = as_flag(plan.get("free_tier"))
    free = dict(FREE_TIER) if free_tier else dict.fromkeys(FREE_TIER, 0)
    hours = cost_prices.HOURS_PER_MONTH
    resources, tiers = [], {}
    for res in plan["resources"]:
        if not as_flag(res.get("enabled"), True):
            continue
        kind = res.get("type")
        if kind not in PRICERS:
            raise CostEstimateError("unknown resource type {0!r} of {1!r}; known: {2}".format(
                kind, res.get("name", ""), ", ".join(sorted(PRICERS))))
        lines = _Lines()
        PRICERS[kind](res, prices[region], region, hours, free, lines)
        monthly = round(sum(line["monthly"] for line in lines.lines), 2)
        for line in lines.lines:
            line["monthly"] = round(line["monthly"], 2)
        tier = res.get("tier") or TIERS[kind]
        tiers[tier] = round(tiers.get(tier, 0) + monthly, 2)
        resources.append({"type": kind, "name": res.get("name", kind), "tier": tier, "monthly": monthly, "lines": lines.lines})
    assumptions = list(ASSUMPTIONS) + list(plan.get("assumptions") or [])
    assumptions.append("free tier: " + ("the always-free allowances (DynamoDB 25 GB, 25 RCU, 25 WCU; CloudFront 1 TB and"
                                        " 10 million requests) are deducted" if free_tier else "not applied"))
    total = round(sum(tiers.values()), 2)
    return {
        "region": region, "currency": cost_prices.CURRENCY, "price_source": cost_prices.SOURCE,
        "price_date": cost_prices.SOURCE_DATE, "total": total, "tiers": tiers, "resources": resources,
        "assumptions": assumptions, "summary": summary(region, total, tiers, resources, assumptions),
    }


def summary(region, total, tiers, resources, assumptions):
    """Lines to print: the total, each tier with its resources, the assumptions."""
    out = ["Estimated monthly cost in {0}: ${1:,.2f} (prices of {2})".format(region, total, cost_prices.SOURCE_DATE)]
    for tier in sorted(tiers, key=lambda t: -tiers[t]):
        out.append("  {0}: ${1:,.2f}".format(tier, tiers[tier]))
        for res in resources:
            if res["tier"] == tier:
                out.append("    {0} ({1}): ${2:,.2f}".format(res["name"], res["type"], res["monthly"]))
    out.append("Assumptions: " + "; ".join(assumptions))
    return out
