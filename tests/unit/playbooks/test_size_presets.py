"""The size presets of the reference playbooks: what they set, what they cost, and the seeds' cost bands.

The plan is the playbook's own `<playbook>_cost_plan`, rendered by Ansible's templar from the play's vars and its
presets file, so these numbers are the ones the playbook prints (in us-east-1, free tier as the playbooks default).

The seeds' cost table (S3 ~$1 / ~$10 / ~$100 a month; RDS PostgreSQL ~$15 / ~$100 / ~$500; DynamoDB ~$0* / ~$25 /
~$200, *free tier; ElastiCache ~$13 / ~$50 / ~$200) gives round, approximate figures. A preset is in its band when
its tier costs within 50 % of the figure either way: the "~" figures are rounded, and half either way keeps every
band apart from the next (the closest pair, ElastiCache's $13 and $50, are 3.8 times apart, and 1.5 x 13 < 0.5 x 50).
The free tier is explicit: DynamoDB's small preset fits the always-free 25 RCU / 25 WCU / 25 GB, so capacity and
storage cost $0 and only point-in-time recovery is billed; its band is $0 to $1.
"""

from pathlib import Path

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.storagekit.aws.plugins.module_utils.cost_estimate import estimate

PLAYBOOKS = Path(__file__).resolve().parents[3] / "playbooks"
SEED_BANDS = {
    "s3": {"small": 1, "medium": 10, "large": 100},
    "rds": {"small": 15, "medium": 100, "large": 500},
    "dynamodb": {"small": 0, "medium": 25, "large": 200},
    "elasticache": {"small": 13, "medium": 50, "large": 200},
}
TOLERANCE = 0.5
FREE_TIER_BAND = (0, 1)


def play_vars(playbook, **extra):
    loader = DataLoader()
    play = loader.load_from_file(str(PLAYBOOKS / (playbook + ".yml")), trusted_as_template=True)[0]
    variables = dict(play["vars"])
    for vars_file in play.get("vars_files", []):
        variables.update(loader.load_from_file(str(PLAYBOOKS / vars_file), trusted_as_template=True))
    variables[playbook + "_aws_region"] = "us-east-1"
    variables.update(extra)
    return Templar(loader=loader, variables=variables)


def rendered(playbook, name, **extra):
    templar = play_vars(playbook, **extra)
    return templar.template(templar.available_variables[name])


def tiers(playbook, size, **extra):
    return estimate(rendered(playbook, playbook + "_cost_plan", **{playbook + "_size": size}, **extra))["tiers"]


# Each preset's estimate per tier, us-east-1 prices of the shipped table (regenerating it changes these; the bands
# below are what must keep holding).
PINNED = {
    ("web_app_stack", "small"): {"rds": 13.98, "elasticache": 9.34, "s3": 0.91, "kms": 4.0, "secretsmanager": 0.8, "backup": 2.9},
    ("web_app_stack", "medium"): {"rds": 99.5, "elasticache": 37.38, "s3": 9.6, "kms": 4.0, "secretsmanager": 0.8, "backup": 16.9},
    ("web_app_stack", "large"): {"rds": 436.92, "elasticache": 184.54, "s3": 96.0, "kms": 4.0, "secretsmanager": 0.8, "backup": 169.0},
    ("serverless_app", "small"): {"dynamodb": 0.2, "s3": 0.91, "kms": 3.0, "backup": 0.1},
    ("serverless_app", "medium"): {"dynamodb": 24.5, "s3": 9.6, "kms": 3.0, "backup": 1.0},
    ("serverless_app", "large"): {"dynamodb": 191.81, "s3": 96.0, "kms": 3.0, "backup": 5.0},
    ("static_website", "small"): {"s3": 0.76, "cloudfront": 0},
    ("static_website", "medium"): {"s3": 7.6, "cloudfront": 0},
    ("static_website", "large"): {"s3": 76.0, "cloudfront": 430.0},
    ("eks_platform_storage", "small"): {"efs": 8.1, "s3": 0.91, "kms": 2.0, "backup": 1.0},
    ("eks_platform_storage", "medium"): {"efs": 51.0, "s3": 9.6, "kms": 2.0, "backup": 5.0},
    ("eks_platform_storage", "large"): {"efs": 240.0, "s3": 96.0, "kms": 2.0, "backup": 25.0},
}


@pytest.mark.parametrize("playbook, size", sorted(PINNED))
def test_the_estimate_of_each_preset_per_tier(playbook, size):
    assert tiers(playbook, size) == PINNED[(playbook, size)]


@pytest.mark.parametrize("playbook, size", sorted(PINNED))
def test_each_preset_lands_in_the_seeds_band(playbook, size):
    for tier, monthly in tiers(playbook, size).items():
        if tier not in SEED_BANDS:
            continue
        figure = SEED_BANDS[tier][size]
        low, high = FREE_TIER_BAND if figure == 0 else (figure * (1 - TOLERANCE), figure * (1 + TOLERANCE))
        assert low <= monthly <= high, "{0} {1}: {2} ${3} outside ${4}-${5}".format(playbook, size, tier, monthly, low, high)


def test_dynamodb_small_is_free_only_with_the_free_tier():
    assert tiers("serverless_app", "small")["dynamodb"] == 0.2  # point-in-time recovery of 1 GB
    paid = tiers("serverless_app", "small", serverless_app_free_tier=False)["dynamodb"]
    assert paid == round(10 * 730 * 0.00013 + 10 * 730 * 0.00065 + 0.25 + 0.2, 2)


@pytest.mark.parametrize("size, expected", [
    ("small", {"rds_postgres_instance_class": "db.t4g.micro", "rds_postgres_multi_az": False,
               "rds_postgres_allocated_storage": 20, "rds_postgres_read_replicas": [],
               "elasticache_node_type": "cache.t4g.micro", "elasticache_replicas": 0, "elasticache_multi_az": False,
               "elasticache_automatic_failover": False}),
    # medium is the size the playbook made before it had presets: the roles get the same values.
    ("medium", {"rds_postgres_instance_class": "db.t4g.medium", "rds_postgres_multi_az": True,
                "rds_postgres_allocated_storage": 20, "rds_postgres_max_allocated_storage": 100,
                "rds_postgres_backup_retention_period": 7, "rds_postgres_read_replicas": [],
                "elasticache_node_type": "cache.t4g.small", "elasticache_replicas": 1, "elasticache_multi_az": True}),
    ("large", {"rds_postgres_instance_class": "db.m7g.large", "rds_postgres_allocated_storage": 200,
               "rds_postgres_backup_retention_period": 14, "rds_postgres_read_replicas": [{"name": "web-app-db-replica-1"}],
               "elasticache_node_type": "cache.m7g.large"}),
])
def test_web_app_stack_presets_reach_the_roles(size, expected):
    assert {name: rendered("web_app_stack", name, web_app_stack_size=size) for name in expected} == expected


def test_an_explicit_variable_wins_over_the_preset():
    extra = {"web_app_stack_size": "small", "web_app_stack_db_instance_class": "db.r7g.large"}
    assert rendered("web_app_stack", "rds_postgres_instance_class", **extra) == "db.r7g.large"
    assert rendered("web_app_stack", "rds_postgres_multi_az", **extra) is False
    assert tiers("web_app_stack", "small", web_app_stack_db_instance_class="db.r7g.large")["rds"] == round(0.239 * 730 + 2.3, 2)


def test_serverless_app_presets_set_the_table_capacity():
    small = rendered("serverless_app", "serverless_app_tables", serverless_app_size="small")[0]
    assert (small["billing_mode"], small["read_capacity"], small["indexes"][0]["write_capacity"]) == ("PROVISIONED", 5, 5)
    medium = rendered("serverless_app", "serverless_app_tables", serverless_app_size="medium")[0]
    assert medium["billing_mode"] == "PAY_PER_REQUEST"
    assert "read_capacity" not in medium and "read_capacity" not in medium["indexes"][0]
    assert medium["indexes"][0]["hash_key_name"] == "gsi1pk" and medium["name"] == "serverless-app-items"


@pytest.mark.parametrize("size, monthly", [("small", 18.69), ("medium", 37.38), ("large", 184.54)])
def test_the_optional_cache_of_eks_platform_storage_at_each_size(size, monthly):
    assert tiers("eks_platform_storage", size, eks_platform_storage_valkey=True)["elasticache"] == monthly


def test_the_cache_of_eks_platform_storage_in_cluster_mode_counts_every_node():
    extra = {"eks_platform_storage_valkey": True, "elasticache_cluster_mode": "enabled", "elasticache_shards": 2,
             "elasticache_node_type": "cache.r7g.large"}
    assert tiers("eks_platform_storage", "small", **extra)["elasticache"] == round(4 * 0.1752 * 730, 2)
    assert rendered("eks_platform_storage", "elasticache_node_type", **extra) == "cache.r7g.large"


def role_options(role):
    spec = DataLoader().load_from_file(str(PLAYBOOKS.parent / "roles" / role / "meta" / "argument_specs.yml"))
    return spec["argument_specs"]["main"]["options"]


@pytest.mark.parametrize("size", ["small", "medium", "large"])
@pytest.mark.parametrize("playbook, role", [("web_app_stack", "rds_postgres"), ("web_app_stack", "elasticache"),
                                            ("serverless_app", "dynamodb_table")])
def test_what_each_preset_gives_a_role_passes_its_argument_spec(playbook, role, size):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    options = role_options(role)
    templar = play_vars(playbook, **{playbook + "_size": size})
    values = {name: templar.template(value) for name, value in templar.available_variables.items()
              if name in options and name.startswith(role + "_")}
    if playbook == "serverless_app":
        values = {"dynamodb_table_tables": templar.template(templar.available_variables["serverless_app_tables"])}
    assert values
    result = ArgumentSpecValidator(options).validate(values)
    assert result.error_messages == []
