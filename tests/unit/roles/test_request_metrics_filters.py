"""The request metrics filters storage_analytics makes are the ones the S3 alarms of storage_monitoring read: the
FilterId dimension of an alarm must be a filter's id, or the alarm never gets data."""

from pathlib import Path

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.storagekit.aws.plugins.module_utils.monitoring_plan import monitoring_plan

ROLES = Path(__file__).resolve().parents[3] / "roles"


def analytics_filters(bucket):
    """The metrics filters storage_analytics gives s3_bucket_analytics for ``bucket``, from its own task file."""
    loader = DataLoader()
    tasks = loader.load_from_file(str(ROLES / "storage_analytics" / "tasks" / "main.yml"))
    (task,) = [t for t in tasks if "storagekit.aws.s3_bucket_analytics" in t]
    variables = dict(storage_analytics_buckets=[bucket], storage_analytics_state="present",
                     storage_analytics_class_analysis=False, storage_analytics_request_metrics=True)
    (item,) = Templar(loader=loader, variables=variables).template(trust_as_template(task["vars"]["_buckets"]))
    return item["metrics"]


def alarm_filter_ids(bucket):
    plan = monitoring_plan(dict(name="shop", thresholds=dict(s3_4xx_errors=100, s3_5xx_errors=10), s3_buckets=[bucket]))
    return {alarm["dimensions"]["FilterId"] for alarm in plan["alarms"]["us-east-1"]}


def test_the_default_alarms_read_the_entire_bucket_filter_storage_analytics_makes():
    filters = analytics_filters({"name": "uploads"})
    assert filters == [{"id": "EntireBucket"}]
    assert alarm_filter_ids("uploads") == {"EntireBucket"}


def test_a_prefix_filter_id_is_what_the_readme_says_to_give_as_filter_id():
    filters = analytics_filters({"name": "uploads", "metrics_prefixes": ["images/raw/"]})
    assert filters[1] == {"id": "images-raw", "prefix": "images/raw/"}
    assert alarm_filter_ids({"name": "uploads", "filter_id": filters[1]["id"]}) == {"images-raw"}
