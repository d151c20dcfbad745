# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a DynamoDB table should be: desired state from the options, the checks made before any write, the
CreateTable request, and the plan of setting and index changes to an existing table.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.storagekit.aws.plugins.module_utils.compare import changed_facets
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import KEY_TYPE_CODES
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb import scaling_policy_name
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import desired_replicas
from ansible_collections.storagekit.aws.plugins.module_utils.dynamodb_replicas import validate_replicas


SETTINGS = ("billing", "stream", "encryption", "table_class", "deletion_protection")


class ImpossibleChange(Exception):
    """A change DynamoDB cannot make in place; raised while planning, before any write."""


def desired_scaling(options):
    """Auto scaling options as compared against the table: disabled dimensions keep only ``enabled``."""
    if options is None:
        return None
    scaling = {}
    for dimension in ("read", "write"):
        settings = options.get(dimension)
        if settings is None:
            continue
        if not settings["enabled"]:
            scaling[dimension] = dict(enabled=False)
        else:
            scaling[dimension] = dict(settings, policy_name=scaling_policy_name(dimension))
    return scaling


def desired_index(params, index, billing_mode):
    wanted = dict(
        name=index["name"],
        type=index["type"],
        hash_key_name=params["hash_key_name"] if index["type"] == "local" else index["hash_key_name"],
        hash_key_type=params["hash_key_type"] if index["type"] == "local" else index["hash_key_type"],
        range_key_name=index["range_key_name"],
        range_key_type=index["range_key_type"] if index["range_key_name"] else None,
        projection=index["projection"],
        includes=sorted(index["includes"] or []),
    )
    if index["type"] == "global":
        scaling = desired_scaling(index["auto_scaling"])
        wanted["read_capacity"] = initial_capacity(index, scaling, "read", billing_mode)
        wanted["write_capacity"] = initial_capacity(index, scaling, "write", billing_mode)
        wanted["auto_scaling"] = scaling
    return wanted


def initial_capacity(options, scaling, dimension, billing_mode):
    """The capacity to provision: the option, else the auto scaling minimum, for provisioned tables."""
    if billing_mode == "PAY_PER_REQUEST":
        return None
    value = options[dimension + "_capacity"]
    settings = (scaling or {}).get(dimension)
    if value is None and settings and settings.get("enabled"):
        value = settings["min_capacity"]
    return value


def desired_state(module, keys):
    """The table as the user wants it, in the shape normalize_table gives; unset options are None."""
    params = module.params
    billing_mode = params["billing_mode"]
    scaling = desired_scaling(params["auto_scaling"])
    desired = dict(
        name=params["name"],
        hash_key_name=params["hash_key_name"],
        hash_key_type=params["hash_key_type"] if params["hash_key_name"] else None,
        range_key_name=params["range_key_name"],
        range_key_type=params["range_key_type"] if params["range_key_name"] else None,
        billing_mode=billing_mode,
        read_capacity=initial_capacity(params, scaling, "read", billing_mode),
        write_capacity=initial_capacity(params, scaling, "write", billing_mode),
        auto_scaling=scaling,
        stream_enabled=params["stream_enabled"],
        stream_view_type=params["stream_view_type"],
        encryption=params["encryption"],
        kms_key_id=None,
        table_class=params["table_class"],
        deletion_protection=params["deletion_protection"],
        contributor_insights=params["contributor_insights"],
        tags=params["tags"],
        point_in_time_recovery=None,
        ttl=None,
        indexes=None,
        replicas=desired_replicas(module),
    )
    if params["stream_enabled"] and not params["stream_view_type"]:
        desired["stream_view_type"] = "NEW_AND_OLD_IMAGES"
    if params["stream_enabled"] is False:
        desired["stream_view_type"] = None
    if params["encryption"] == "customer_managed":
        desired["kms_key_id"] = keys.arn(params["kms_key_id"])
    if params["point_in_time_recovery"] is not None:
        desired["point_in_time_recovery"] = dict(
            enabled=params["point_in_time_recovery"],
            recovery_period_days=params["point_in_time_recovery_period_days"],
        )
    if params["ttl"] is not None:
        desired["ttl"] = dict(params["ttl"])
        if not params["ttl"]["enabled"]:
            desired["ttl"]["attribute_name"] = None
    if params["indexes"] is not None:
        desired["indexes"] = [desired_index(params, i, billing_mode) for i in params["indexes"]]
    return desired


def validate_options(module):
    """Refuse inconsistent options before any API call."""
    params = module.params
    if params["encryption"] == "customer_managed" and not params["kms_key_id"]:
        module.fail_json(msg="encryption=customer_managed needs kms_key_id.")
    if params["kms_key_id"] and params["encryption"] != "customer_managed":
        module.fail_json(msg="kms_key_id is only used with encryption=customer_managed.")
    if params["stream_view_type"] and params["stream_enabled"] is not True:
        module.fail_json(msg="stream_view_type needs stream_enabled=true.")
    if params["point_in_time_recovery_period_days"] is not None:
        if not params["point_in_time_recovery"]:
            module.fail_json(msg="point_in_time_recovery_period_days needs point_in_time_recovery=true.")
        module.require_botocore_at_least("1.36.0", reason="to set point_in_time_recovery_period_days")
    scaled = [("table", params["auto_scaling"])]
    scaled += [("index " + i["name"], i["auto_scaling"]) for i in params["indexes"] or []]
    for owner, scaling in scaled:
        for dimension, settings in (scaling or {}).items():
            if not settings or not settings["enabled"]:
                continue
            if params["billing_mode"] == "PAY_PER_REQUEST":
                module.fail_json(msg="Auto scaling of the {0} needs billing_mode=PROVISIONED.".format(owner))
            if settings["min_capacity"] is None or settings["max_capacity"] is None:
                module.fail_json(
                    msg="{0} auto scaling of the {1} needs min_capacity and max_capacity.".format(dimension, owner)
                )
            if settings["min_capacity"] > settings["max_capacity"]:
                module.fail_json(msg="{0} auto scaling of the {1}: min_capacity > max_capacity.".format(dimension, owner))
    for index in params["indexes"] or []:
        if index["type"] == "local" and not index["range_key_name"]:
            module.fail_json(msg="Local index {0} needs range_key_name.".format(index["name"]))
        if index["type"] == "global" and not index["hash_key_name"]:
            module.fail_json(msg="Global index {0} needs hash_key_name.".format(index["name"]))
        if index["projection"] == "include" and not index["includes"]:
            module.fail_json(msg="Index {0} with projection=include needs includes.".format(index["name"]))
        if index["type"] == "local" and index["auto_scaling"]:
            module.fail_json(msg="Local index {0} has no capacity of its own to auto scale.".format(index["name"]))
    validate_replicas(module)


def key_schema(item):
    schema = [dict(AttributeName=item["hash_key_name"], KeyType="HASH")]
    if item.get("range_key_name"):
        schema.append(dict(AttributeName=item["range_key_name"], KeyType="RANGE"))
    return schema


def attribute_definitions(items):
    """One definition per key attribute of the table and its indexes."""
    types = {}
    for item in items:
        types[item["hash_key_name"]] = KEY_TYPE_CODES[item["hash_key_type"]]
        if item.get("range_key_name"):
            types[item["range_key_name"]] = KEY_TYPE_CODES[item["range_key_type"]]
    return [dict(AttributeName=name, AttributeType=code) for name, code in sorted(types.items())]


def projection(index):
    spec = dict(ProjectionType=index["projection"].upper())
    if index["projection"] == "include":
        spec["NonKeyAttributes"] = index["includes"]
    return spec


def throughput(item):
    return dict(ReadCapacityUnits=item["read_capacity"], WriteCapacityUnits=item["write_capacity"])


def sse_specification(desired):
    if desired["encryption"] == "aws_owned":
        return dict(Enabled=False)
    spec = dict(Enabled=True, SSEType="KMS")
    if desired["encryption"] == "customer_managed":
        spec["KMSMasterKeyId"] = desired["kms_key_id"]
    return spec


def stream_specification(desired):
    if not desired["stream_enabled"]:
        return dict(StreamEnabled=False)
    return dict(StreamEnabled=True, StreamViewType=desired["stream_view_type"])


def global_index_request(index, billing_mode):
    request = dict(IndexName=index["name"], KeySchema=key_schema(index), Projection=projection(index))
    if billing_mode == "PROVISIONED":
        request["ProvisionedThroughput"] = throughput(index)
    return request


def create_table_request(module, desired):
    """CreateTable parameters: everything DynamoDB accepts at creation, so later calls are few."""
    indexes = desired["indexes"] or []
    billing_mode = desired["billing_mode"]
    request = dict(
        TableName=desired["name"],
        KeySchema=key_schema(desired),
        AttributeDefinitions=attribute_definitions([desired] + indexes),
        BillingMode=billing_mode,
        DeletionProtectionEnabled=desired["deletion_protection"],
    )
    if billing_mode == "PROVISIONED":
        request["ProvisionedThroughput"] = throughput(desired)
    global_indexes = [global_index_request(i, billing_mode) for i in indexes if i["type"] == "global"]
    local_indexes = [
        dict(IndexName=i["name"], KeySchema=key_schema(i), Projection=projection(i)) for i in indexes if i["type"] == "local"
    ]
    if global_indexes:
        request["GlobalSecondaryIndexes"] = global_indexes
    if local_indexes:
        request["LocalSecondaryIndexes"] = local_indexes
    if desired["stream_enabled"]:
        request["StreamSpecification"] = stream_specification(desired)
    if desired["encryption"] in ("aws_managed", "customer_managed"):
        request["SSESpecification"] = sse_specification(desired)
    if desired["table_class"]:
        request["TableClass"] = desired["table_class"]
    if desired["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(desired["tags"])
    return request


def scaled_dimensions(scaling):
    return set(d for d, s in (scaling or {}).items() if s.get("enabled"))


def check_keys(desired, current):
    for part in ("hash_key_name", "hash_key_type", "range_key_name", "range_key_type"):
        if desired[part] is not None and desired[part] != current[part]:
            raise ImpossibleChange(
                "The key schema of table {0} cannot change ({1}: {2} -> {3}); create a new table instead.".format(
                    current["name"], part, current[part], desired[part]
                )
            )


def index_shape(index):
    """What an index cannot change in place: its keys and projection."""
    keys = ("type", "hash_key_name", "hash_key_type", "range_key_name", "range_key_type", "projection", "includes")
    return dict((k, index.get(k)) for k in keys)


def plan_indexes(desired, current, purge):
    """Global index creates, deletes and capacity updates; refuses what cannot change in place."""
    wanted = dict((i["name"], i) for i in desired["indexes"])
    existing = dict((i["name"], i) for i in current["indexes"])
    for name in set(wanted) | set(existing):
        want, have = wanted.get(name), existing.get(name)
        local = (want or have)["type"] == "local"
        if local and want is None:
            if purge:
                raise ImpossibleChange(
                    "Local index {0} of table {1} cannot be removed; list it in indexes or set "
                    "purge_indexes=false.".format(name, current["name"])
                )
            continue
        if local and (have is None or index_shape(want) != index_shape(have)):
            raise ImpossibleChange(
                "Local index {0} of table {1} can only be defined when the table is created.".format(name, current["name"])
            )
        if want and have and index_shape(want) != index_shape(have):
            raise ImpossibleChange(
                "Global index {0} of table {1} cannot change its keys or projection in place; "
                "give the new definition another name and remove the old one.".format(name, current["name"])
            )
    creates = [wanted[n] for n in wanted if n not in existing]
    deletes = [n for n in existing if n not in wanted and existing[n]["type"] == "global"] if purge else []
    updates = []
    billing_mode = desired["billing_mode"] or current["billing_mode"]
    if billing_mode == "PROVISIONED":
        for name, want in wanted.items():
            have = existing.get(name)
            if have is None or want["type"] != "global":
                continue
            scaled = scaled_dimensions(want.get("auto_scaling") or have.get("auto_scaling"))
            for dimension in ("read", "write"):
                key = dimension + "_capacity"
                if dimension not in scaled and want[key] is not None and want[key] != have[key]:
                    updates.append(want)
                    break
    return creates, deletes, updates


def billing_change(desired, current):
    """The billing mode and table capacity to set, or None; auto scaled capacity is left alone.

    UpdateTable needs both capacities when either changes, so the unchanged one is carried over.
    """
    mode = desired["billing_mode"] or current["billing_mode"]
    switching = current["billing_mode"] != mode
    if mode == "PAY_PER_REQUEST":
        return dict(billing_mode=mode) if switching else None
    scaled = scaled_dimensions(desired["auto_scaling"]) if not switching else set()
    wanted = {}
    for dimension in ("read", "write"):
        key = dimension + "_capacity"
        if desired[key] is not None and dimension not in scaled:
            wanted[key] = desired[key]
    if not switching and not any(current[k] != v for k, v in wanted.items()):
        return None
    change = dict(billing_mode=mode)
    for key in ("read_capacity", "write_capacity"):
        change[key] = wanted.get(key, current[key])
        if change[key] is None:
            raise ImpossibleChange("billing_mode=PROVISIONED needs read_capacity and write_capacity (or auto_scaling).")
    return change


def plan_settings(desired, current):
    """The table-level settings that differ, as ``{setting: (before, after)}``."""
    plan = {}
    billing = billing_change(desired, current)
    if billing:
        plan["billing"] = (dict((k, current[k]) for k in billing), billing)
    if desired["stream_enabled"] is not None:
        want = dict(stream_enabled=desired["stream_enabled"], stream_view_type=desired["stream_view_type"])
        have = dict(stream_enabled=current["stream_enabled"], stream_view_type=current["stream_view_type"])
        if want != have:
            plan["stream"] = (have, want)
    if desired["encryption"] is not None:
        want = dict(encryption=desired["encryption"], kms_key_id=desired["kms_key_id"])
        have = dict(encryption=current["encryption"], kms_key_id=current["kms_key_id"])
        if desired["encryption"] == "aws_managed":
            have["kms_key_id"] = want["kms_key_id"] = None
        if want != have:
            plan["encryption"] = (have, want)
    plan.update(changed_facets(desired, current, ("table_class", "deletion_protection")))
    return plan
