# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 storage class analysis and request metrics configurations of a bucket, in one normalized shape.

Both kinds are lists of configurations by id with the same Filter (prefix and/or tags), so they are read,
compared and written by the same few functions. A filter is always built one way (s3_filter) and read back
into (prefix, tags), so a no-change run compares equal. The Intelligent-Tiering configurations of a bucket have
the same shape, and their module reads, filters and writes them with the generic functions here
(read_configurations, s3_filter, filter_options, write_plan).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

KINDS = {
    "analytics": dict(list_call="list_bucket_analytics_configurations", list_key="AnalyticsConfigurationList",
                      put_call="put_bucket_analytics_configuration", put_key="AnalyticsConfiguration",
                      delete_call="delete_bucket_analytics_configuration"),
    "metrics": dict(list_call="list_bucket_metrics_configurations", list_key="MetricsConfigurationList",
                    put_call="put_bucket_metrics_configuration", put_key="MetricsConfiguration",
                    delete_call="delete_bucket_metrics_configuration"),
}
MAX_ID_LENGTH = 64


def s3_filter(prefix, tags):
    """The Filter of a configuration with ``prefix`` and ``tags`` (a dict), or None for the whole bucket."""
    tag_list = [dict(Key=k, Value=v) for k, v in sorted((tags or {}).items())]
    if (prefix and tag_list) or len(tag_list) > 1:
        conditions = dict(Tags=tag_list)
        if prefix:
            conditions["Prefix"] = prefix
        return dict(And=conditions)
    if prefix:
        return dict(Prefix=prefix)
    if tag_list:
        return dict(Tag=tag_list[0])
    return None


def filter_options(raw_filter):
    """(prefix, tags) of a Filter as S3 answers it."""
    raw_filter = raw_filter or {}
    conditions = raw_filter.get("And") or raw_filter
    tags = list(conditions.get("Tags") or [])
    if conditions.get("Tag"):
        tags.append(conditions["Tag"])
    return conditions.get("Prefix") or None, dict((t["Key"], t.get("Value", "")) for t in tags)


def normalize(kind, raw):
    """A configuration as S3 answers it, in the shape of the module's options."""
    prefix, tags = filter_options(raw.get("Filter"))
    config = dict(id=raw["Id"], prefix=prefix, tags=tags)
    if kind == "analytics":
        export = (raw.get("StorageClassAnalysis") or {}).get("DataExport")
        destination = export["Destination"]["S3BucketDestination"] if export else {}
        config["export_bucket"] = destination.get("Bucket", "").replace("arn:aws:s3:::", "") or None
        config["export_prefix"] = destination.get("Prefix") or None
        config["export_account_id"] = destination.get("BucketAccountId") or None
    return config


def desired(kind, item):
    """An item of the module's options in the shape normalize gives."""
    config = dict(id=item["id"], prefix=item.get("prefix") or None,
                  tags=dict((k, str(v)) for k, v in (item.get("tags") or {}).items()))
    if kind == "analytics":
        bucket = item.get("export_bucket") or ""
        config["export_bucket"] = bucket.replace("arn:aws:s3:::", "") or None
        config["export_prefix"] = (item.get("export_prefix") or None) if bucket else None
        config["export_account_id"] = (item.get("export_account_id") or None) if bucket else None
    return config


def request(kind, config):
    """The AnalyticsConfiguration or MetricsConfiguration of a normalized configuration."""
    body = dict(Id=config["id"])
    config_filter = s3_filter(config["prefix"], config["tags"])
    if config_filter:
        body["Filter"] = config_filter
    if kind == "analytics":
        analysis = {}
        if config["export_bucket"]:
            destination = dict(Format="CSV", Bucket="arn:aws:s3:::" + config["export_bucket"])
            if config["export_prefix"]:
                destination["Prefix"] = config["export_prefix"]
            if config["export_account_id"]:
                destination["BucketAccountId"] = config["export_account_id"]
            analysis["DataExport"] = dict(OutputSchemaVersion="V_1", Destination=dict(S3BucketDestination=destination))
        body["StorageClassAnalysis"] = analysis
    return body


def id_problems(config_id, seen, kind=None):
    """What is wrong with the id of one configuration: its length, or an id already in ``seen`` (then updated)."""
    what = "{0} id".format(kind) if kind else "id"
    problems = []
    if not config_id or len(config_id) > MAX_ID_LENGTH:
        problems.append("{0} {1!r} must have 1 to {2} characters".format(what, config_id, MAX_ID_LENGTH))
    if config_id in seen:
        problems.append("{0} {1} is listed more than once".format(what, config_id))
    seen.add(config_id)
    return problems


def item_problems(kind, items):
    """What is wrong with the configurations of one kind, before any call."""
    problems = []
    seen = set()
    for item in items or []:
        config_id = item["id"]
        problems.extend(id_problems(config_id, seen, kind))
        if any(not key for key in item.get("tags") or {}):
            problems.append("{0} configuration {1} has an empty tag key".format(kind, config_id))
        if kind == "analytics" and not item.get("export_bucket") and (item.get("export_prefix") or item.get("export_account_id")):
            problems.append("analytics configuration {0}: export_prefix and export_account_id need export_bucket".format(config_id))
    return problems


def read_configurations(client, list_call, list_key, bucket, normalize_one):
    """A bucket's configurations by id, normalized with ``normalize_one``, from every page of ``list_call``."""
    found = {}
    params = dict(Bucket=bucket)
    while True:
        page = getattr(client, list_call)(aws_retry=True, **params)
        for raw in page.get(list_key) or []:
            config = normalize_one(raw)
            found[config["id"]] = config
        if not page.get("IsTruncated") or not page.get("NextContinuationToken"):
            return found
        params["ContinuationToken"] = page["NextContinuationToken"]


def read_existing(module, read_bucket, *args):
    """``read_bucket(*args)``, or no configurations for a missing bucket in check mode (the run may be about to
    create it) or with O(state=absent) (nothing left to remove); otherwise a missing bucket is an error."""
    try:
        return read_bucket(*args)
    except is_boto3_error_code("NoSuchBucket"):
        if module.check_mode or module.params["state"] == "absent":
            return {}
        raise


def read(client, kind, bucket):
    """The bucket's configurations of ``kind`` by id."""
    calls = KINDS[kind]
    return read_configurations(client, calls["list_call"], calls["list_key"], bucket, lambda raw: normalize(kind, raw))


def plan(current, wanted, purge):
    """(configurations to put by id, ids to delete): ``wanted`` by id; None leaves the kind alone."""
    if wanted is None:
        return {}, []
    puts = dict((i, c) for i, c in wanted.items() if current.get(i) != c)
    deletes = sorted(i for i in current if i not in wanted) if purge else []
    return puts, deletes


def write_plan(changes, facet, current, puts, deletes, put, delete):
    """Record and make the puts and deletes of configurations by id; the configurations after the run, by id.

    ``facet(id)`` names a configuration in the diff, ``put(config)`` and ``delete(id)`` are the write calls.
    """
    for config_id in sorted(puts):
        changes.apply(facet(config_id), current.get(config_id), puts[config_id], lambda c=puts[config_id]: put(c))
    for config_id in deletes:
        changes.apply(facet(config_id), current[config_id], None, lambda i=config_id: delete(i))
    after = dict((i, c) for i, c in current.items() if i not in deletes)
    after.update(puts)
    return [after[i] for i in sorted(after)]


def apply(changes, client, kind, bucket, current, puts, deletes):
    """Record and make the writes of one kind; the configurations after the run, sorted by id."""
    calls = KINDS[kind]
    return write_plan(
        changes, lambda config_id: "{0}:{1}".format(kind, config_id), current, puts, deletes,
        lambda config: getattr(client, calls["put_call"])(
            aws_retry=True, Bucket=bucket, Id=config["id"], **{calls["put_key"]: request(kind, config)}),
        lambda config_id: getattr(client, calls["delete_call"])(aws_retry=True, Bucket=bucket, Id=config_id))
