"""cost_estimate: each priced line from the shipped table, the free tier, and errors that name what has no price.

The prices below are those of the shipped table (plugins/module_utils/cost_prices.py); `make prices` changes them.
"""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.storagekit.aws.plugins.filter.cost_estimate import FilterModule
from ansible_collections.storagekit.aws.plugins.module_utils import cost_prices
from ansible_collections.storagekit.aws.plugins.module_utils.cost_estimate import CostEstimateError, estimate

HOURS = 730


def one(resource, region="us-east-1", free_tier=False):
    return estimate({"region": region, "free_tier": free_tier, "resources": [resource]})


def lines(result):
    return {line["what"]: line["monthly"] for line in result["resources"][0]["lines"]}


def test_rds_multi_az_gp3_with_iops_above_the_baseline_and_a_replica():
    result = one({"type": "rds_postgres", "name": "db", "instance_class": "db.m7g.large", "multi_az": "true",
                  "storage_gb": 100, "iops": 4000, "storage_throughput": 125, "extra_backup_gb": 10,
                  "read_replicas": [{"name": "db-r1", "instance_class": "db.t4g.medium"}]})
    assert lines(result) == {
        "instance db.m7g.large Multi-AZ": round(0.336 * HOURS, 2),
        "gp3 storage Multi-AZ": 23.0,
        "gp3 IOPS": 40.0,  # 1000 above the 3000 included, at 0.04 Multi-AZ
        "backup storage beyond the free allowance": 0.95,
        "read replica db-r1: instance db.t4g.medium Single-AZ": round(0.065 * HOURS, 2),
        "read replica db-r1: gp3 storage Single-AZ": 11.5,
        "read replica db-r1: gp3 IOPS": 20.0,  # the primary's storage, IOPS included, at the Single-AZ price
    }
    assert result["tiers"] == {"rds": result["total"]}
    assert result["total"] == round(0.336 * HOURS + 23 + 40 + 0.95 + 0.065 * HOURS + 11.5 + 20, 2)


def test_rds_single_az_string_false_and_large_gp3_baseline():
    result = one({"type": "rds_postgres", "instance_class": "db.t4g.micro", "multi_az": "false", "storage_gb": 400,
                  "iops": 12000, "storage_throughput": 500})
    assert lines(result) == {"instance db.t4g.micro Single-AZ": 11.68, "gp3 storage Single-AZ": 46.0}


def test_elasticache_nodes_by_engine():
    valkey = one({"type": "elasticache", "name": "c", "node_type": "cache.t4g.small", "nodes": 2})
    redis = one({"type": "elasticache", "name": "c", "engine": "redis", "node_type": "cache.t4g.small", "nodes": 2})
    assert valkey["total"] == round(2 * 0.0256 * HOURS, 2)
    assert redis["total"] == round(2 * 0.032 * HOURS, 2)


def test_dynamodb_provisioned_counts_the_indexes_and_the_free_tier_is_shared():
    table = {"type": "dynamodb", "name": "t", "billing_mode": "PROVISIONED", "read_capacity": 20, "write_capacity": 20,
             "indexes": [{"read_capacity": 10, "write_capacity": 10}], "storage_gb": 30}
    paid = one(table)
    assert lines(paid) == {
        "provisioned read capacity (table and indexes)": round(30 * HOURS * 0.00013, 2),
        "provisioned write capacity (table and indexes)": round(30 * HOURS * 0.00065, 2),
        "storage": 7.5, "point-in-time recovery": 6.0,
    }
    free = estimate({"region": "us-east-1", "free_tier": True, "resources": [table, dict(table, name="t2")]})
    first, second = [{line["what"]: line["monthly"] for line in r["lines"]} for r in free["resources"]]
    assert first == {
        "provisioned read capacity (table and indexes)": round(5 * HOURS * 0.00013, 2),
        "provisioned write capacity (table and indexes)": round(5 * HOURS * 0.00065, 2),
        "storage": 1.25, "point-in-time recovery": 6.0,
    }
    # The allowance is the account's in the region: the second table gets none of it.
    assert second == lines(paid)


def test_dynamodb_on_demand_without_point_in_time_recovery():
    result = one({"type": "dynamodb", "name": "t", "read_requests_millions": 80, "write_requests_millions": 20,
                  "storage_gb": 10, "point_in_time_recovery": False}, region="eu-west-1")
    assert lines(result) == {"on-demand reads": round(80 * 0.1413, 2), "on-demand writes": round(20 * 0.7068, 2),
                             "storage": 2.83}


def test_s3_efs_cloudfront_kms_secrets_backup():
    result = estimate({"region": "us-east-1", "free_tier": True, "resources": [
        {"type": "s3", "name": "b", "storage_gb": 300, "put_requests_thousands": 300, "get_requests_thousands": 3000},
        {"type": "s3", "name": "ia", "storage_class": "STANDARD_IA", "storage_gb": 100},
        {"type": "efs", "name": "fs", "storage_gb": 100, "ia_gb": 100, "read_gb": 500, "write_gb": 100},
        {"type": "efs", "name": "fs2", "storage_gb": 10, "throughput_mode": "provisioned", "provisioned_mibps": 10},
        {"type": "cloudfront", "name": "cdn", "data_out_gb": 1500, "requests_millions": 20},
        {"type": "kms", "name": "keys", "keys": 3},
        {"type": "secretsmanager", "name": "secrets", "secrets": 2},
        {"type": "backup", "name": "bk", "resource_type": "EFS", "storage_gb": 100},
        {"type": "backup", "name": "off", "resource_type": "RDS", "storage_gb": 100, "enabled": "false"},
    ]})
    assert result["tiers"] == {"s3": 9.6 + 1.25, "efs": 30 + 1.6 + 15 + 6 + 3 + 60, "cloudfront": 42.5 + 10.0,
                               "kms": 3.0, "secretsmanager": 0.8, "backup": 5.0}
    assert result["total"] == round(sum(result["tiers"].values()), 2)
    assert [r["name"] for r in result["resources"]] == ["b", "ia", "fs", "fs2", "cdn", "keys", "secrets", "bk"]


def test_a_resource_can_name_its_tier_and_the_summary_lists_tiers_and_assumptions():
    result = estimate({"region": "us-east-1", "assumptions": ["one more"], "resources": [
        {"type": "kms", "name": "db key", "tier": "rds", "keys": 1},
        {"type": "rds_postgres", "name": "db", "instance_class": "db.t4g.micro", "storage_gb": 20}]})
    assert result["tiers"] == {"rds": 14.98}
    assert result["summary"][0] == "Estimated monthly cost in us-east-1: $14.98 (prices of {0})".format(cost_prices.SOURCE_DATE)
    assert result["summary"][1:4] == ["  rds: $14.98", "    db key (kms): $1.00", "    db (rds_postgres): $13.98"]
    assert "one more" in result["assumptions"]
    assert "free tier: not applied" in result["assumptions"]
    assert result["currency"] == "USD" and result["price_date"] == cost_prices.SOURCE_DATE


@pytest.mark.parametrize("plan, message", [
    ({"region": "ap-south-1", "resources": []}, "no prices for region 'ap-south-1'; the price table covers eu-central-1, eu-west-1,"),
    ({"region": "us-east-1", "resources": [{"type": "rds_postgres", "instance_class": "db.x9.huge"}]},
     "no price for RDS PostgreSQL instance class 'db.x9.huge' in us-east-1; the price table has db.m6g.large"),
    ({"region": "us-east-1", "resources": [{"type": "rds_postgres", "instance_class": "db.t4g.micro", "multi_az": True,
                                            "storage_type": "magnetic"}]},
     "no price for RDS storage type 'magnetic' in us-east-1"),
    ({"region": "eu-west-1", "resources": [{"type": "elasticache", "node_type": "cache.t2.nano"}]},
     "no price for ElastiCache node type 'cache.t2.nano' in eu-west-1"),
    ({"region": "eu-west-1", "resources": [{"type": "elasticache", "engine": "memcached", "node_type": "cache.t4g.micro"}]},
     "no price for ElastiCache engine 'memcached' in eu-west-1"),
    ({"region": "us-east-1", "resources": [{"type": "s3", "storage_class": "REDUCED_REDUNDANCY"}]},
     "no price for S3 storage class 'REDUCED_REDUNDANCY'"),
    ({"region": "us-east-1", "resources": [{"type": "ec2", "name": "web"}]}, "unknown resource type 'ec2' of 'web'"),
    ({"region": "us-east-1", "resources": [{"type": "s3", "name": "b", "storage_gb": "lots"}]},
     "s3 b: storage_gb must be a number, not 'lots'"),
    ({"region": "us-east-1", "resources": [{"type": "dynamodb", "name": "t", "billing_mode": "ON_DEMAND"}]},
     "dynamodb t: billing_mode must be PROVISIONED or PAY_PER_REQUEST, not .ON_DEMAND."),
    ({"region": "us-east-1"}, "the plan must be a dict with a list of resources"),
])
def test_what_has_no_price_fails_naming_it(plan, message):
    with pytest.raises(CostEstimateError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        estimate(plan)


def test_the_filter_raises_a_filter_error():
    cost_estimate = FilterModule().filters()["cost_estimate"]
    with pytest.raises(AnsibleFilterError, match="cost_estimate: no prices for region 'mars-1'"):
        cost_estimate({"region": "mars-1", "resources": []})
    assert cost_estimate({"region": "us-west-2", "resources": [{"type": "kms", "keys": 2}]})["total"] == 2.0


def shape(table):
    return {k: shape(v) for k, v in table.items()} if isinstance(table, dict) else None


def test_the_table_covers_the_documented_regions_each_with_every_price():
    assert set(cost_prices.PRICES) >= {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}
    shapes = {region: shape(prices) for region, prices in cost_prices.PRICES.items()}
    assert all(s == shapes["us-east-1"] for s in shapes.values())
    assert cost_prices.SOURCE and len(cost_prices.SOURCE_DATE) == 10 and cost_prices.CURRENCY == "USD"
