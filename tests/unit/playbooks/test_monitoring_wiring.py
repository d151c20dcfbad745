"""What the reference playbooks give the storage_monitoring role: the resources of the stack they make, rendered
by Ansible's templar from the play's vars, and passing the role's argument spec."""

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from test_size_presets import play_vars, rendered, role_options


def test_web_app_stack_watches_the_database_its_replicas_the_cache_nodes_and_the_uploads():
    assert rendered("web_app_stack", "storage_monitoring_rds_instances", web_app_stack_size="large") == [
        "web-app-db", {"id": "web-app-db-replica-1", "replica": True}]
    assert rendered("web_app_stack", "storage_monitoring_elasticache_nodes", web_app_stack_size="medium") == [
        "web-app-sessions-001", "web-app-sessions-002"]
    assert rendered("web_app_stack", "storage_monitoring_s3_buckets") == ["web-app-uploads"]
    assert rendered("web_app_stack", "storage_monitoring_alarm_emails") == []
    assert rendered("web_app_stack", "storage_monitoring_alarm_emails", web_app_stack_alarm_email="a@example.com") == [
        "a@example.com"]


def test_serverless_app_watches_its_tables_indexes_and_replica_regions():
    assert rendered("serverless_app", "storage_monitoring_dynamodb_tables",
                    serverless_app_replica_regions=["us-west-2"], serverless_app_size="medium") == [
        {"name": "serverless-app-items", "indexes": ["gsi1"], "replica_regions": ["us-west-2"]}]


@pytest.mark.parametrize("playbook", ["web_app_stack", "serverless_app"])
def test_what_the_playbook_gives_the_role_passes_its_argument_spec(playbook):
    options = role_options("storage_monitoring")
    templar = play_vars(playbook, **{playbook + "_size": "large", playbook + "_alarm_email": "a@example.com"})
    values = {name: templar.template(value) for name, value in templar.available_variables.items() if name in options}
    assert "storage_monitoring_name" in values
    assert ArgumentSpecValidator(options).validate(values).error_messages == []


def test_serverless_app_gives_provisioned_tables_their_reachable_capacity_and_on_demand_ones_none():
    # large: auto scaling on table and index, so their maxima.
    assert rendered("serverless_app", "storage_monitoring_dynamodb_tables", serverless_app_size="large") == [
        {"name": "serverless-app-items", "read_capacity": 3000, "write_capacity": 600,
         "indexes": [{"name": "gsi1", "read_capacity": 2000, "write_capacity": 400}], "replica_regions": []}]
    # Without auto scaling, the provisioned capacity.
    assert rendered("serverless_app", "storage_monitoring_dynamodb_tables", serverless_app_table_capacity={
        "billing_mode": "PROVISIONED", "read_capacity": 10, "write_capacity": 5},
        serverless_app_index_capacity={"read_capacity": 4, "write_capacity": 2}) == [
        {"name": "serverless-app-items", "read_capacity": 10, "write_capacity": 5,
         "indexes": [{"name": "gsi1", "read_capacity": 4, "write_capacity": 2}], "replica_regions": []}]
    assert rendered("serverless_app", "storage_monitoring_dynamodb_tables", serverless_app_size="medium") == [
        {"name": "serverless-app-items", "indexes": ["gsi1"], "replica_regions": []}]
