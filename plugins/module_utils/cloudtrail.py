# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudTrail trails: reading a trail, and advanced event selectors as the module takes and compares them.

Advanced event selectors come in as the module's snake_case options and go to AWS in its spelling; two lists
are the same when they hold the same selectors with the same conditions, whatever the order, since CloudTrail
logs an event that any selector matches.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.reading import described

OPERATORS = dict(equals="Equals", starts_with="StartsWith", ends_with="EndsWith", not_equals="NotEquals",
                 not_starts_with="NotStartsWith", not_ends_with="NotEndsWith")
EQUALS_ONLY = ("eventCategory", "resources.type", "readOnly")
CATEGORY_FIELDS = {
    "Management": ("eventCategory", "eventSource", "readOnly"),
    "Data": ("eventCategory", "eventName", "eventSource", "eventType", "resources.type", "readOnly", "resources.ARN",
             "sessionCredentialFromConsole", "userIdentity.arn"),
}
MAX_VALUES = 500

# The trail settings the module manages: option -> (CreateTrail/UpdateTrail parameter, GetTrail field).
TRAIL_SETTINGS = dict(
    s3_bucket_name=("S3BucketName", "S3BucketName"),
    s3_key_prefix=("S3KeyPrefix", "S3KeyPrefix"),
    is_multi_region_trail=("IsMultiRegionTrail", "IsMultiRegionTrail"),
    include_global_service_events=("IncludeGlobalServiceEvents", "IncludeGlobalServiceEvents"),
    enable_log_file_validation=("EnableLogFileValidation", "LogFileValidationEnabled"),
    kms_key_id=("KmsKeyId", "KmsKeyId"),
    cloud_watch_logs_log_group_arn=("CloudWatchLogsLogGroupArn", "CloudWatchLogsLogGroupArn"),
    cloud_watch_logs_role_arn=("CloudWatchLogsRoleArn", "CloudWatchLogsRoleArn"),
)


def get_trail(client, name):
    """The trail as GetTrail answers it, or None."""
    return described(client.get_trail, "Trail", "TrailNotFoundException", Name=name)


def selectors_to_api(selectors):
    """The module's advanced_event_selectors option in CloudTrail's spelling."""
    api = []
    for selector in selectors:
        conditions = []
        for condition in selector["field_selectors"]:
            spelled = dict(Field=condition["field"])
            for option, name in OPERATORS.items():
                if condition.get(option):
                    spelled[name] = list(condition[option])
            conditions.append(spelled)
        item = dict(FieldSelectors=conditions)
        if selector.get("name"):
            item["Name"] = selector["name"]
        api.append(item)
    return api


def selectors_key(selectors):
    """A comparable form of advanced event selectors in CloudTrail's spelling: order of selectors, conditions
    and values does not matter."""
    def condition_key(condition):
        return (condition["Field"],) + tuple(tuple(sorted(condition.get(name) or [])) for name in OPERATORS.values())

    return sorted((selector.get("Name") or "", tuple(sorted(condition_key(c) for c in selector["FieldSelectors"])))
                  for selector in selectors or [])


def selector_problems(selectors):
    """What CloudTrail would refuse in advanced event selectors (CloudTrail's spelling), as messages."""
    problems = []
    values = 0
    for index, selector in enumerate(selectors):
        label = selector.get("Name") or "selector {0}".format(index + 1)
        fields = {}
        for condition in selector["FieldSelectors"]:
            used = [name for name in OPERATORS.values() if condition.get(name)]
            values += sum(len(condition[name]) for name in used)
            if not used:
                problems.append("{0}: {1} has no operator with values".format(label, condition["Field"]))
            elif condition["Field"] in EQUALS_ONLY and used != ["Equals"]:
                problems.append("{0}: {1} takes only equals".format(label, condition["Field"]))
            if condition["Field"] in fields:
                problems.append("{0}: {1} appears twice".format(label, condition["Field"]))
            fields[condition["Field"]] = condition
        category = (fields.get("eventCategory") or {}).get("Equals") or []
        if len(category) != 1 or category[0] not in CATEGORY_FIELDS:
            problems.append("{0}: eventCategory must equal one of Management or Data".format(label))
            continue
        unsupported = sorted(set(fields) - set(CATEGORY_FIELDS[category[0]]))
        if unsupported:
            problems.append("{0}: {1} not supported for {2} events".format(label, ", ".join(unsupported), category[0]))
        if category[0] == "Data" and len((fields.get("resources.type") or {}).get("Equals") or []) != 1:
            problems.append("{0}: data events need resources.type equal to one resource type".format(label))
        if "readOnly" in fields and fields["readOnly"].get("Equals") not in (["true"], ["false"]):
            problems.append("{0}: readOnly must equal true or false".format(label))
    if values > MAX_VALUES:
        problems.append("{0} values in all conditions; a trail takes at most {1}".format(values, MAX_VALUES))
    return problems


def is_key_arn(key_id):
    return key_id.startswith("arn:") and ":key/" in key_id


def key_arn(kms, key_id):
    """The ARN of a KMS key given by id, alias or ARN (CloudTrail answers the ARN); the id as given when the key
    does not exist yet (check mode before the key is made)."""
    if is_key_arn(key_id):
        return key_id
    try:
        return kms.describe_key(aws_retry=True, KeyId=key_id)["KeyMetadata"]["Arn"]
    except is_boto3_error_code("NotFoundException"):
        return key_id
