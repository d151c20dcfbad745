# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Right-sizing of RDS DB instances from their CloudWatch metrics, priced from the collection's price table.

The statistics are percentiles of hourly data points (p95 of the hourly average CPU, p5 of the hourly minimum
free memory, p95 of the hourly maximum connections), computed here rather than asked of CloudWatch as
extended statistics, so one GetMetricData call of plain statistics serves every instance.

The rules, and why:
- down-size one step in the class's family when p95 CPU is below ``down_cpu`` (20 %) and even the low point of
  free memory (p5) leaves more than ``down_free_memory`` (50 %) of the class's memory free: the class below has
  half the memory and vCPUs, which such an instance does not miss;
- up-size one step on sustained pressure: p95 CPU above ``up_cpu`` (80 %) or p5 free memory below
  ``up_free_memory`` (10 %) of the class's memory;
- else keep. Fewer than ``min_hours`` hourly data points is too little data: keep, and say so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.storagekit.aws.plugins.module_utils import cost_prices

GIB = 1024 ** 3
# The instance classes of the price table: (family, size) -> GiB of memory. Sizes in the order they step.
SIZES = ("micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge")
MEMORY_GIB = {
    "db.t4g": {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32},
    "db.m6g": {"large": 8, "xlarge": 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128},
    "db.m7g": {"large": 8, "xlarge": 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128},
    "db.r6g": {"large": 16, "xlarge": 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256},
    "db.r7g": {"large": 16, "xlarge": 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256},
}
METRICS = (("cpu", "CPUUtilization", "Average"), ("free_memory", "FreeableMemory", "Minimum"),
           ("connections", "DatabaseConnections", "Maximum"))
DEFAULT_RULES = dict(down_cpu=20.0, down_free_memory=50.0, up_cpu=80.0, up_free_memory=10.0, min_hours=24)


def split_class(instance_class):
    family, size = instance_class.rpartition(".")[::2]
    return family, size


def memory_gib(instance_class):
    family, size = split_class(instance_class)
    return MEMORY_GIB.get(family, {}).get(size)


def step(instance_class, direction):
    """The class one size down (-1) or up (+1) in the same family, or None at either end or when unknown."""
    family, size = split_class(instance_class)
    sizes = [s for s in SIZES if s in MEMORY_GIB.get(family, {})]
    if size not in sizes:
        return None
    index = sizes.index(size) + direction
    return "{0}.{1}".format(family, sizes[index]) if 0 <= index < len(sizes) else None


def percentile(values, pct):
    """The nearest-rank percentile, as CloudWatch computes pNN of raw samples; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(math.ceil(pct / 100.0 * len(ordered))))
    return ordered[rank - 1]


def metric_queries(identifiers, period=3600):
    """The GetMetricData queries of every instance: one per (instance, metric), ids m<instance>_<metric>."""
    queries = []
    for index, identifier in enumerate(identifiers):
        for key, name, stat in METRICS:
            queries.append(dict(
                Id="m{0}_{1}".format(index, key), ReturnData=True,
                MetricStat=dict(Metric=dict(Namespace="AWS/RDS", MetricName=name,
                                            Dimensions=[dict(Name="DBInstanceIdentifier", Value=identifier)]),
                                Period=period, Stat=stat),
            ))
    return queries


def monthly_price(region, instance_class, multi_az):
    """The on-demand monthly price of the class from the price table, or None when the table lacks it."""
    table = cost_prices.PRICES.get(region, {}).get("rds_postgres", {})
    hourly = table.get("instance_hour_multi_az" if multi_az else "instance_hour", {}).get(instance_class)
    return None if hourly is None else round(hourly * cost_prices.HOURS_PER_MONTH, 2)


def suggest(instance_class, series, rules):
    """(action, suggested class, reasons, statistics) from the hourly series {cpu, free_memory, connections}."""
    cpu = series.get("cpu") or []
    memory = memory_gib(instance_class)
    stats = dict(hours=len(cpu), cpu_p95=percentile(cpu, 95), cpu_max=max(cpu) if cpu else None,
                 free_memory_p5_gib=None, free_memory_p5_percent=None,
                 connections_p95=percentile(series.get("connections") or [], 95))
    free = percentile(series.get("free_memory") or [], 5)
    if free is not None:
        stats["free_memory_p5_gib"] = round(free / GIB, 2)
        if memory:
            stats["free_memory_p5_percent"] = round(100.0 * free / (memory * GIB), 1)
    for key in ("cpu_p95", "cpu_max", "connections_p95"):
        if stats[key] is not None:
            stats[key] = round(stats[key], 1)
    if len(cpu) < rules["min_hours"]:
        return "keep", instance_class, ["only {0} hourly CPU data points, fewer than {1}".format(
            len(cpu), rules["min_hours"])], stats
    free_pct = stats["free_memory_p5_percent"]
    up = []
    if stats["cpu_p95"] > rules["up_cpu"]:
        up.append("p95 CPU {0} % above {1} %".format(stats["cpu_p95"], rules["up_cpu"]))
    if free_pct is not None and free_pct < rules["up_free_memory"]:
        up.append("p5 free memory {0} % below {1} %".format(free_pct, rules["up_free_memory"]))
    if up:
        bigger = step(instance_class, +1)
        if bigger is None:
            return "keep", instance_class, up + ["no larger class of the family is known"], stats
        return "up-size", bigger, up, stats
    if stats["cpu_p95"] < rules["down_cpu"] and free_pct is not None and free_pct > rules["down_free_memory"]:
        reasons = ["p95 CPU {0} % below {1} %".format(stats["cpu_p95"], rules["down_cpu"]),
                   "p5 free memory {0} % above {1} %".format(free_pct, rules["down_free_memory"])]
        smaller = step(instance_class, -1)
        if smaller is None:
            return "keep", instance_class, reasons + ["no smaller class of the family is known"], stats
        return "down-size", smaller, reasons, stats
    reasons = ["p95 CPU {0} %".format(stats["cpu_p95"])]
    if free_pct is None:
        reasons.append("memory of {0} unknown or no FreeableMemory data".format(instance_class))
    else:
        reasons.append("p5 free memory {0} %".format(free_pct))
    return "keep", instance_class, reasons, stats
