#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_restore_job
short_description: Restore an AWS Backup recovery point into a new, tagged resource, or remove that copy
version_added: 0.1.0
description:
  - With O(state=present), restores a recovery point into a new DynamoDB table, RDS DB instance, S3 bucket or EFS
    file system called O(target_name) (C(StartRestoreJob)), with the restore metadata the point recorded
    (C(GetRecoveryPointRestoreMetadata)), the KMS key O(kms_key_arn) and the overrides of O(metadata); waits for
    the job and the new resource, then tags it with O(tags).
  - An existing O(target_name) carrying all of O(tags) is the copy of an earlier run and is kept (no change);
    one lacking them is not ours, and the module fails without writing.
  - A repeated start of the same restore (same point, name and tags) sends the same idempotency token, so AWS runs
    one job.
  - With O(state=absent), deletes the resource O(target_name), only when it carries all of O(tags); a scratch copy
    goes, a resource that is not one (a source) is never touched. RDS copies go without a final snapshot, S3
    copies with every object version, EFS copies with their mount targets.
  - C(amazon.aws) has C(backup_restore_job_info) only; nothing starts a restore.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  state:
    description: C(present) restores into O(target_name); C(absent) removes it.
  resource_type:
    description: AWS Backup's type of the protected resource.
    type: str
    choices: [DynamoDB, EFS, RDS, S3]
    required: true
  target_name:
    description:
      - Name of the new resource (table, DB instance identifier, bucket, or the creation token of the file system).
    type: str
    required: true
  vault_name:
    description: Vault of the recovery point. Required with O(state=present).
    type: str
  recovery_point_arn:
    description: The recovery point to restore. Required with O(state=present).
    type: str
  source_name:
    description:
      - The resource the point was taken of (table, DB instance identifier, bucket, file system id). When set, the
        copy takes its current KMS key, and an RDS copy also its subnet group, security groups, parameter group and
        instance class, before O(kms_key_arn) and O(metadata) apply. It is only read.
    type: str
  iam_role_arn:
    description: The role AWS Backup restores with; the account's default service role when not set.
    type: str
  kms_key_arn:
    description:
      - The KMS key that encrypts the new resource (DynamoDB C(kmsMasterKeyArn), RDS C(KmsKeyId), S3 C(KMSKey),
        EFS C(KmsKeyId)). Give the source's key to get a copy encrypted like the source.
    type: str
  metadata:
    description:
      - Restore metadata that replaces what the point recorded, for example C(DBSubnetGroupName) and
        C(VpcSecurityGroupIds) of an RDS copy. Booleans become C(true)/C(false), lists JSON.
      - The name key of the type is always O(target_name).
    type: dict
    default: {}
  tags:
    description:
      - Tags of the new resource; with O(state=absent), the tags a resource must carry to be deleted (at least one).
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.wait
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
notes:
  - With O(wait=false) the module returns the started job; the new resource is not tagged then.
"""

EXAMPLES = r"""
- name: Restore the latest point of the orders table into a scratch copy
  storagekit.aws.backup_restore_job:
    resource_type: DynamoDB
    vault_name: web-app
    recovery_point_arn: "{{ points.recovery_points[0].recovery_point_arn }}"
    target_name: drill-orders
    kms_key_arn: "{{ points.recovery_points[0].encryption_key_arn }}"
    tags:
      storagekit:restore-drill: "2026-12-06T10:00:00Z"
  register: copy

- name: Remove it again (only if it carries the drill's tag)
  storagekit.aws.backup_restore_job:
    state: absent
    resource_type: DynamoDB
    target_name: drill-orders
    tags:
      storagekit:restore-drill: "2026-12-06T10:00:00Z"
"""

RETURN = r"""
created_resource_arn:
  description: ARN of the restored resource (of the existing copy when it was there already).
  returned: state=present, when the resource exists
  type: str
  sample: arn:aws:dynamodb:eu-west-1:123456789012:table/drill-orders
restore_job:
  description: The restore job (C(DescribeRestoreJob)) in snake_case, when this run started one.
  returned: state=present, when a job was started
  type: dict
  contains:
    restore_job_id:
      description: Id of the job.
      type: str
    status:
      description: C(PENDING), C(RUNNING), C(COMPLETED), C(ABORTED) or C(FAILED).
      type: str
    created_resource_arn:
      description: ARN of the new resource, once completed.
      type: str
restore_seconds:
  description: Seconds from the job's creation to its completion, as AWS reports them.
  returned: when a started job completed
  type: float
seconds:
  description:
    - Seconds this run took, from its start to the copy being ready and tagged (or removed). The restore drill adds the
      check's own seconds to it for the time to a verified copy (RTO).
  returned: always
  type: float
metadata:
  description: The restore metadata sent (or that would be sent, in check mode).
  returned: state=present, when a job was (or would be) started
  type: dict
"""

import time

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import JOB_DONE
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import KINDS
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import idempotency_token
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import missing_tags
from ansible_collections.storagekit.aws.plugins.module_utils.backup_restore import restore_metadata
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_deleted
from ansible_collections.storagekit.aws.plugins.module_utils.waiting import wait_until

ARGUMENT_SPEC = dict(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    resource_type=dict(type="str", choices=sorted(KINDS), required=True),
    target_name=dict(type="str", required=True),
    vault_name=dict(type="str"),
    recovery_point_arn=dict(type="str"),
    source_name=dict(type="str"),
    iam_role_arn=dict(type="str"),
    kms_key_arn=dict(type="str", no_log=False),
    metadata=dict(type="dict", default={}),
    tags=dict(type="dict", default={}),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=900),
)


def diff(before, after):
    return dict(before=dict(target=before), after=dict(target=after))


def wait_ready(module, kind, client, name):
    return wait_until(module, lambda: kind.find(client, name), lambda found: found is not None and found["ready"],
                      module.params["wait_timeout"], "{0} {1} to be available".format(module.params["resource_type"], name),
                      first_delay=kind.first_delay)


def restore(module, kind, client, backup):
    params, name = module.params, module.params["target_name"]
    backed_up = backup.get_recovery_point_restore_metadata(
        aws_retry=True, BackupVaultName=params["vault_name"], RecoveryPointArn=params["recovery_point_arn"]
    ).get("RestoreMetadata", {})
    like = {}
    if params["source_name"]:
        source = kind.find_source(client, params["source_name"])
        if source is None:
            module.fail_json(msg="Source {0} {1} not found.".format(params["resource_type"], params["source_name"]))
        like = kind.like(client, source)
    metadata = restore_metadata(kind, backed_up, name, params["kms_key_arn"], params["metadata"], like)
    result = dict(changed=True, metadata=metadata)
    if module.check_mode:
        return result
    request = dict(RecoveryPointArn=params["recovery_point_arn"], Metadata=metadata, ResourceType=params["resource_type"],
                   IdempotencyToken=idempotency_token(params["recovery_point_arn"], name, params["tags"]))
    if params["iam_role_arn"]:
        request["IamRoleArn"] = params["iam_role_arn"]
    job_id = backup.start_restore_job(aws_retry=True, **request)["RestoreJobId"]
    job = dict(RestoreJobId=job_id, Status="PENDING")
    if params["wait"]:
        job = wait_until(module, lambda: backup.describe_restore_job(aws_retry=True, RestoreJobId=job_id),
                         lambda job: job.get("Status") in JOB_DONE, params["wait_timeout"],
                         "restore job {0} into {1}".format(job_id, name), first_delay=kind.first_delay)
        job.pop("ResponseMetadata", None)
        if job["Status"] != "COMPLETED":
            module.fail_json(msg="Restore job {0} of {1} into {2} ended {3}: {4}".format(
                job_id, params["recovery_point_arn"], name, job["Status"], job.get("StatusMessage", "no message")),
                restore_job=camel_dict_to_snake_dict(job))
        found = kind.find(client, name)
        if found is None:
            module.fail_json(msg="Restore job {0} completed, but there is no {1} {2}.".format(job_id, params["resource_type"], name),
                             restore_job=camel_dict_to_snake_dict(job))
        if not found["ready"]:
            found = wait_ready(module, kind, client, name)
        if module.params["tags"]:
            kind.tag(client, found, module.params["tags"])
        result["created_resource_arn"] = job.get("CreatedResourceArn") or found["arn"]
        if job.get("CompletionDate") and job.get("CreationDate"):
            result["restore_seconds"] = (job["CompletionDate"] - job["CreationDate"]).total_seconds()
    result["restore_job"] = camel_dict_to_snake_dict(job)
    return result


def present(module, kind, client):
    name, tags = module.params["target_name"], module.params["tags"]
    for option in ("vault_name", "recovery_point_arn"):
        if not module.params[option]:
            module.fail_json(msg="state=present needs {0}.".format(option))
    if module.params["source_name"] == name:
        module.fail_json(msg="target_name must differ from source_name {0}: a restore never overwrites its source.".format(name))
    found = kind.find(client, name)
    if found is not None:
        lacking = missing_tags(found, tags)
        if lacking:
            module.fail_json(msg="{0} {1} exists and is not a restored copy of this kind: it lacks the tags {2}.".format(
                module.params["resource_type"], name, ", ".join(lacking)))
        if module.params["wait"] and not found["ready"]:
            found = wait_ready(module, kind, client, name)
        return dict(changed=False, created_resource_arn=found["arn"])
    result = restore(module, kind, client, aws_client(module, "backup"))
    if module._diff:
        result["diff"] = diff(None, name)
    return result


def absent(module, kind, client):
    name, tags = module.params["target_name"], module.params["tags"]
    if not tags:
        module.fail_json(msg="state=absent needs tags: only a resource carrying them is deleted.")
    found = kind.find(client, name)
    if found is None:
        return dict(changed=False)
    lacking = missing_tags(found, tags)
    if lacking:
        module.fail_json(msg="Refusing to delete {0} {1}: it lacks the tags {2}, so it is not a restored copy.".format(
            module.params["resource_type"], name, ", ".join(lacking)))
    result = dict(changed=True)
    if module._diff:
        result["diff"] = diff(name, None)
    if module.check_mode:
        return result
    kind.delete(client, found, name)
    if module.params["wait"]:
        wait_deleted(module, lambda: kind.find(client, name), "{0} {1}".format(module.params["resource_type"], name))
    return result


def main():
    started = time.monotonic()
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    kind = KINDS[module.params["resource_type"]]
    try:
        client = aws_client(module, kind.service)
        result = (present if module.params["state"] == "present" else absent)(module, kind, client)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Failed to {0} {1} {2}".format(
            "restore into" if module.params["state"] == "present" else "remove", module.params["resource_type"],
            module.params["target_name"]))
    module.exit_json(seconds=round(time.monotonic() - started, 1), **result)


if __name__ == "__main__":
    main()
