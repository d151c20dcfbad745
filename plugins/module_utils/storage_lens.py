# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 Storage Lens configurations: the module's options as a StorageLensConfiguration and back, to compare.

S3 Control answers a configuration as it was put, but a metric left out and one put with IsEnabled false mean
the same, so both sides are reduced to the option shape (``summary``) before they are compared.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ID_PATTERN = re.compile(r"^[a-zA-Z0-9\-_.]{1,64}$")
BUCKET_ARN = "arn:aws:s3:::"
ACCOUNT_HOST = re.compile(r"://\d{12}\.")


def s3control_client(module):
    """An S3 Control client. S3 Control calls go to ``<account id>.<endpoint host>``; an O(endpoint_url) such as a
    local endpoint's IP address has no such host names, so there the account id is taken off the host again."""
    client = aws_client(module, "s3control")
    if module.params.get("endpoint_url"):
        client.meta.events.register("before-sign.s3-control", _without_account_host)
    return client


def _without_account_host(request, **kwargs):
    request.url = ACCOUNT_HOST.sub("://", request.url, count=1)


def bucket_arn(name):
    return name if name.startswith("arn:") else BUCKET_ARN + name


def _enabled(container, *path):
    for key in path:
        container = (container or {}).get(key)
    return bool((container or {}).get("IsEnabled"))


def summary(config):
    """A StorageLensConfiguration in the shape of the module's options."""
    account = config.get("AccountLevel") or {}
    bucket_level = account.get("BucketLevel") or {}
    result = dict(
        enabled=bool(config.get("IsEnabled")),
        activity_metrics=_enabled(account, "ActivityMetrics") and _enabled(bucket_level, "ActivityMetrics"),
        advanced_cost_optimization_metrics=(_enabled(account, "AdvancedCostOptimizationMetrics")
                                            and _enabled(bucket_level, "AdvancedCostOptimizationMetrics")),
        prefix_metrics=None, include=None, exclude=None, export=None,
    )
    storage = (bucket_level.get("PrefixLevel") or {}).get("StorageMetrics") or {}
    if storage.get("IsEnabled"):
        criteria = storage.get("SelectionCriteria") or {}
        result["prefix_metrics"] = dict(delimiter=criteria.get("Delimiter"), max_depth=criteria.get("MaxDepth"),
                                        min_storage_bytes_percentage=criteria.get("MinStorageBytesPercentage"))
    for key in ("Include", "Exclude"):
        scope = config.get(key)
        if scope:
            result[key.lower()] = dict(buckets=sorted(scope.get("Buckets") or []), regions=sorted(scope.get("Regions") or []))
    destination = (config.get("DataExport") or {}).get("S3BucketDestination")
    if destination:
        encryption = destination.get("Encryption") or {}
        result["export"] = dict(
            bucket_arn=destination.get("Arn"), format=destination.get("Format"), prefix=destination.get("Prefix"),
            account_id=destination.get("AccountId"),
            encryption="sse_kms" if "SSEKMS" in encryption else "sse_s3",
            kms_key_arn=(encryption.get("SSEKMS") or {}).get("KeyId"),
        )
    return result


def wanted_summary(params, account):
    """The module's options in the shape summary gives."""
    result = dict(
        enabled=params["enabled"], activity_metrics=params["activity_metrics"],
        advanced_cost_optimization_metrics=params["advanced_cost_optimization_metrics"],
        prefix_metrics=None, include=None, exclude=None, export=None,
    )
    prefix = params["prefix_metrics"]
    if prefix:
        result["prefix_metrics"] = dict(delimiter=prefix["delimiter"], max_depth=prefix["max_depth"],
                                        min_storage_bytes_percentage=float(prefix["min_storage_bytes_percentage"]))
    for key in ("include", "exclude"):
        buckets, regions = params[key + "_buckets"], params[key + "_regions"]
        if buckets or regions:
            result[key] = dict(buckets=sorted(bucket_arn(b) for b in buckets or []), regions=sorted(regions or []))
    export = params["export"]
    if export:
        result["export"] = dict(
            bucket_arn=bucket_arn(export["bucket"]), format=export["format"], prefix=export["prefix"] or None,
            account_id=export["account_id"] or account, encryption=export["encryption"],
            kms_key_arn=export["kms_key_arn"] if export["encryption"] == "sse_kms" else None,
        )
    return result


def configuration(config_id, wanted, arn=None):
    """The StorageLensConfiguration of a summary."""
    def flag(value):
        return dict(IsEnabled=bool(value))

    bucket_level = dict(ActivityMetrics=flag(wanted["activity_metrics"]),
                        AdvancedCostOptimizationMetrics=flag(wanted["advanced_cost_optimization_metrics"]))
    prefix = wanted["prefix_metrics"]
    if prefix:
        criteria = dict(Delimiter=prefix["delimiter"], MaxDepth=prefix["max_depth"],
                        MinStorageBytesPercentage=prefix["min_storage_bytes_percentage"])
        bucket_level["PrefixLevel"] = dict(StorageMetrics=dict(IsEnabled=True, SelectionCriteria=criteria))
    config = dict(
        Id=config_id, IsEnabled=wanted["enabled"],
        AccountLevel=dict(ActivityMetrics=flag(wanted["activity_metrics"]),
                          AdvancedCostOptimizationMetrics=flag(wanted["advanced_cost_optimization_metrics"]),
                          BucketLevel=bucket_level),
    )
    for key in ("include", "exclude"):
        scope = wanted[key]
        if scope:
            config[key.capitalize()] = dict((k.capitalize(), v) for k, v in scope.items() if v)
    export = wanted["export"]
    if export:
        destination = dict(Format=export["format"], OutputSchemaVersion="V_1", AccountId=export["account_id"],
                           Arn=export["bucket_arn"])
        if export["prefix"]:
            destination["Prefix"] = export["prefix"]
        if export["encryption"] == "sse_kms":
            destination["Encryption"] = dict(SSEKMS=dict(KeyId=export["kms_key_arn"]))
        else:
            destination["Encryption"] = dict(SSES3={})
        config["DataExport"] = dict(S3BucketDestination=destination)
    if arn:
        config["StorageLensArn"] = arn
    return config


def option_problems(params):
    """What is wrong with the options, before any call."""
    problems = []
    if not ID_PATTERN.match(params["id"] or ""):
        problems.append("id must have 1 to 64 letters, digits, '-', '_' or '.'")
    if params["state"] == "absent":
        return problems
    if (params["include_buckets"] or params["include_regions"]) and (params["exclude_buckets"] or params["exclude_regions"]):
        problems.append("include_* and exclude_* cannot both be set: a configuration includes or excludes")
    prefix = params["prefix_metrics"]
    if prefix:
        if not 1 <= prefix["max_depth"] <= 10:
            problems.append("prefix_metrics.max_depth must be from 1 to 10")
        if not 1 <= prefix["min_storage_bytes_percentage"] <= 100:
            problems.append("prefix_metrics.min_storage_bytes_percentage must be from 1 to 100")
    export = params["export"]
    if export:
        if export["encryption"] == "sse_kms" and not (export["kms_key_arn"] or "").startswith("arn:"):
            problems.append("export.kms_key_arn must be the ARN of a KMS key with export.encryption=sse_kms")
        if export["encryption"] != "sse_kms" and export["kms_key_arn"]:
            problems.append("export.kms_key_arn is for export.encryption=sse_kms")
    return problems
