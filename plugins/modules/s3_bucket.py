#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: s3_bucket
short_description: Manage an S3 bucket and its settings, with check mode and diff mode
version_added: 0.1.0
description:
  - Creates, updates and deletes an S3 bucket together with its versioning, default encryption,
    public access block, object ownership, bucket policy (with an optional TLS-only statement),
    lifecycle rules, CORS rules, server access logging and tags.
  - Unlike M(amazon.aws.s3_bucket) it supports check mode and diff mode, manages lifecycle, CORS and
    logging in the same task, and reads only the settings you set (one call each).
  - A bucket that still holds objects or object versions is only deleted with O(force=true).
  - With O(buckets), one run manages a list of buckets, at most O(parallelism) at a time. Each bucket has
    its own result, diff and error; a failed bucket does not stop the others, and the task fails naming
    every failed bucket.
  - O(name) and O(logging.target_bucket) must follow the S3 general purpose bucket naming rules, checked before
    any call. Before the bucket is created or its default encryption changes, the key in
    O(encryption.kms_key_id) must exist and be C(Enabled), checked with one KMS C(DescribeKey), since
    S3 accepts any key there and only the uploads that follow would fail.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  name:
    description: Name of the bucket. Required unless O(buckets) is set.
    type: str
  buckets:
    description:
      - A list of buckets to manage in this one run, instead of O(name) and the other bucket options.
      - Each item takes the options of this module (O(name) required, O(state), O(force), O(versioning),
        O(encryption), O(tags) and so on), with the same defaults; the module-level bucket options are not used.
      - Every item is checked before the first call to AWS; an invalid item fails the task before any write.
    type: list
    elements: dict
    version_added: 0.2.0
  state:
    description: Whether the bucket should exist.
  force:
    description:
      - With O(state=absent), delete every object version and delete marker first, then the bucket.
      - Without it a bucket that is not empty is never deleted.
    type: bool
    default: false
  versioning:
    description: Versioning of the bucket. V(disabled) only applies to a bucket that never had versioning.
    type: str
    choices: [enabled, suspended]
  object_lock:
    description:
      - S3 Object Lock (write once, read many) and the default retention of new object versions.
      - A new bucket gets it at creation (C(ObjectLockEnabledForBucket)); an existing bucket with versioning
        enabled gets it with C(PutObjectLockConfiguration), which AWS allows on existing buckets.
      - Object Lock can never be disabled, nor versioning suspended on its bucket. Needs O(versioning=enabled)
        in the same task; refused before any write otherwise. V(enabled=false) on a bucket that has it fails;
        on a bucket without it, nothing is written.
      - Without O(object_lock.days) or O(object_lock.years) the bucket has Object Lock but no default retention
        (a default retention it had is removed); the mode counts only with a retention.
      - S3 refuses a bucket with Object Lock as the target of server access logs.
    type: dict
    version_added: 0.3.0
    suboptions:
      enabled:
        description: Whether Object Lock is on. V(false) only states that it must not be, since it cannot be removed.
        type: bool
        default: true
      mode:
        description:
          - V(GOVERNANCE) lets users with C(s3:BypassGovernanceRetention) delete locked versions early.
          - V(COMPLIANCE) lets nobody, not even the root user, delete a version before its retention ends, nor
            shorten it; it needs O(object_lock.days) or O(object_lock.years).
        type: str
        choices: [GOVERNANCE, COMPLIANCE]
        default: GOVERNANCE
      days:
        description: Default retention in days. Mutually exclusive with O(object_lock.years).
        type: int
      years:
        description: Default retention in years.
        type: int
  encryption:
    description: Default encryption of new objects.
    type: dict
    suboptions:
      algorithm:
        description: V(AES256) is SSE-S3; V(aws:kms) is SSE-KMS; V(aws:kms:dsse) is dual-layer SSE-KMS.
        type: str
        choices: [AES256, "aws:kms", "aws:kms:dsse"]
        required: true
      kms_key_id:
        description:
          - KMS key for SSE-KMS, compared as given, because S3 stores it as given. Prefer the key ARN.
          - When omitted with SSE-KMS, the AWS managed key C(aws/s3) is used.
        type: str
      bucket_key_enabled:
        description: Use an S3 Bucket Key, which cuts SSE-KMS requests to KMS (and their cost).
        type: bool
        default: true
  public_access_block:
    description: The bucket's public access block. Unset keys are left as they are.
    type: dict
    suboptions:
      block_public_acls:
        description: Refuse new public ACLs.
        type: bool
      ignore_public_acls:
        description: Ignore existing public ACLs.
        type: bool
      block_public_policy:
        description: Refuse public bucket policies.
        type: bool
      restrict_public_buckets:
        description: Restrict access to buckets with public policies.
        type: bool
  object_ownership:
    description: V(BucketOwnerEnforced) disables ACLs, so the bucket owner owns every object.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
  policy:
    description:
      - The bucket policy, as a dict or JSON string. It replaces the current policy.
      - With O(deny_insecure_transport) the TLS-only statement is added to it.
    type: json
  deny_insecure_transport:
    description:
      - V(true) keeps a C(DenyInsecureTransport) statement in the policy that refuses requests without TLS;
        when O(policy) is not set, the other statements of the current policy are kept.
      - V(false) removes that statement.
    type: bool
  lifecycle_rules:
    description:
      - The lifecycle configuration, replacing the current one. V([]) removes it.
    type: list
    elements: dict
    suboptions:
      id: &rule_id
        description: Unique rule id.
        type: str
        required: true
      status: &rule_status
        description: Whether the rule applies.
        type: str
        choices: [enabled, disabled]
        default: enabled
      prefix:
        description: Key prefix the rule applies to; the whole bucket when omitted.
        type: str
      expiration_days:
        description: Days after creation when current versions expire.
        type: int
      expired_object_delete_marker:
        description: Remove delete markers that have no noncurrent versions left.
        type: bool
      transitions:
        description: Storage class transitions of current versions.
        type: list
        elements: dict
        suboptions:
          days:
            description: Days after creation.
            type: int
            required: true
          storage_class: &storage_class
            description: Target storage class.
            type: str
            required: true
            choices: [STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE]
      noncurrent_version_transitions:
        description: Storage class transitions of noncurrent versions.
        type: list
        elements: dict
        suboptions:
          days:
            description: Days after a version becomes noncurrent.
            type: int
            required: true
          storage_class: *storage_class
      noncurrent_version_expiration_days:
        description: Days after a version becomes noncurrent when it is deleted.
        type: int
      noncurrent_versions_to_keep:
        description: How many noncurrent versions to keep regardless of their age.
        type: int
      abort_incomplete_multipart_upload_days:
        description: Days after which unfinished multipart uploads are aborted and their parts deleted.
        type: int
  cors_rules:
    description: CORS rules, replacing the current ones. V([]) removes them.
    type: list
    elements: dict
    suboptions:
      allowed_origins:
        description: Origins allowed to make cross-origin requests.
        type: list
        elements: str
        required: true
      allowed_methods:
        description: HTTP methods allowed.
        type: list
        elements: str
        required: true
      allowed_headers:
        description: Request headers allowed.
        type: list
        elements: str
      expose_headers:
        description: Response headers browsers may read.
        type: list
        elements: str
      max_age_seconds:
        description: How long browsers cache the preflight answer.
        type: int
  logging:
    description: Server access logging.
    type: dict
    suboptions:
      enabled:
        description: Whether access logs are written.
        type: bool
        default: true
      target_bucket:
        description: Bucket that receives the logs. Required when enabled.
        type: str
      target_prefix:
        description: Key prefix of the log objects.
        type: str
        default: ""
  replication:
    description:
      - S3 replication of new objects to other buckets (cross-region by default), compared with the bucket's
        configuration rule by rule, so a run that changes nothing writes nothing and a rule removed elsewhere
        is put back.
      - Refused before any write when the source bucket has no versioning (set O(versioning=enabled) in the
        same task), a destination bucket does not exist or has no versioning, a cross-region rule's destination
        is in the source region, or a replica key is not of the destination's region. The destinations cost
        two reads each (C(HeadBucket), C(GetBucketVersioning)), made only when the configuration changes.
      - Only objects written after the configuration is in place are replicated, as on AWS.
    type: dict
    version_added: 0.3.0
    suboptions:
      state:
        description: V(absent) removes the replication configuration.
        type: str
        choices: [present, absent]
        default: present
      role:
        description:
          - ARN of the IAM role S3 assumes to replicate (trust C(s3.amazonaws.com)). Required with V(state=present).
        type: str
      purge_rules:
        description: Remove the rules of the bucket that O(replication.rules) does not name.
        type: bool
        default: true
      rules:
        description: The replication rules. Required with V(state=present).
        type: list
        elements: dict
        suboptions:
          id: *rule_id
          priority:
            description: Unique priority; of two rules for the same object and destination the higher number wins.
            type: int
            default: 0
          status: *rule_status
          prefix:
            description: Key prefix of the objects replicated; all objects when neither this nor O(replication.rules[].tags) is set.
            type: str
          tags:
            description: Object tags that all must match for an object to be replicated.
            type: dict
          destination_bucket:
            description: The destination bucket, its name or ARN.
            type: str
            required: true
          destination_kms_key_id:
            description:
              - ARN of a KMS key of the destination region. SSE-KMS objects are then replicated too
                (C(SourceSelectionCriteria.SseKmsEncryptedObjects)) and their replicas encrypted with this key.
              - Without it S3 does not replicate SSE-KMS objects.
            type: str
          storage_class:
            description: Storage class of the replicas; the source object's when omitted.
            type: str
            choices: [STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR]
          delete_marker_replication:
            description: Replicate delete markers; S3 allows it only for rules without a tag filter.
            type: bool
            default: false
          replication_time_control:
            description: S3 Replication Time Control (replicas within 15 minutes, at extra cost); turns on O(replication.rules[].metrics).
            type: bool
            default: false
          metrics:
            description: Replication metrics and events in CloudWatch (15 minute threshold).
            type: bool
          cross_region:
            description:
              - The destination must be in another region than the source (cross-region replication), checked
                before any write. V(false) allows a destination in the same region (same-region replication).
            type: bool
            default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.aws.tags
  - storagekit.aws.state
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
  - storagekit.aws.parallelism
"""

EXAMPLES = r"""
- name: Private, versioned, KMS-encrypted uploads bucket that only accepts TLS
  storagekit.aws.s3_bucket:
    name: acme-uploads
    versioning: enabled
    encryption:
      algorithm: "aws:kms"
      kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/1111-2222
    public_access_block:
      block_public_acls: true
      ignore_public_acls: true
      block_public_policy: true
      restrict_public_buckets: true
    object_ownership: BucketOwnerEnforced
    deny_insecure_transport: true
    lifecycle_rules:
      - id: tidy-up
        noncurrent_version_expiration_days: 90
        abort_incomplete_multipart_upload_days: 7
      - id: archive
        prefix: exports/
        transitions:
          - {days: 30, storage_class: STANDARD_IA}
          - {days: 180, storage_class: GLACIER_IR}
    cors_rules:
      - allowed_origins: ["https://app.example.com"]
        allowed_methods: [GET, PUT]
        allowed_headers: ["*"]
        max_age_seconds: 3000
    logging:
      target_bucket: acme-access-logs
      target_prefix: acme-uploads/
    tags:
      data-classification: confidential

- name: An audit log bucket whose objects nobody deletes for a year
  storagekit.aws.s3_bucket:
    name: acme-audit-logs
    versioning: enabled
    object_lock:
      mode: COMPLIANCE
      years: 1

- name: Many buckets in one task, ten at a time
  storagekit.aws.s3_bucket:
    buckets:
      - name: acme-uploads
        versioning: enabled
        deny_insecure_transport: true
      - name: acme-exports
        versioning: enabled
        deny_insecure_transport: true
        lifecycle_rules:
          - {id: tidy-up, noncurrent_version_expiration_days: 90}
  register: applied

- name: Replicate new objects to a bucket in another region, re-encrypted with that region's key
  storagekit.aws.s3_bucket:
    name: acme-uploads
    versioning: enabled
    replication:
      role: arn:aws:iam::123456789012:role/acme-uploads-replication
      rules:
        - id: dr
          destination_bucket: acme-uploads-dr
          destination_kms_key_id: arn:aws:kms:us-west-2:123456789012:key/1111-2222
          storage_class: STANDARD_IA
          delete_marker_replication: true

- name: Delete a bucket and everything in it
  storagekit.aws.s3_bucket:
    name: acme-scratch
    state: absent
    force: true
"""

RETURN = r"""
buckets:
  description:
    - With O(buckets), one result per item, in the order given.
    - Each has C(name), C(changed), C(bucket) (as RV(bucket)) and, in diff mode, C(diff); a failed item has
      C(failed=true) and C(msg) instead of C(bucket).
  returned: when O(buckets) is set
  type: list
  elements: dict
  sample: [{"name": "acme-uploads", "changed": false, "bucket": {"name": "acme-uploads", "versioning": "enabled"}}]
bucket:
  description: The bucket after the run (predicted in check mode); only the settings that were managed.
  returned: when O(name) is set
  type: dict
  contains:
    name:
      description: Bucket name.
      type: str
      sample: acme-uploads
    arn:
      description: Bucket ARN.
      type: str
      sample: arn:aws:s3:::acme-uploads
    versioning:
      description: C(enabled), C(suspended) or C(disabled).
      type: str
    object_lock:
      description: Object Lock C(enabled) and the C(mode) and C(days) or C(years) of the default retention.
      type: dict
      sample: {"enabled": true, "mode": "GOVERNANCE", "days": 30, "years": null}
    encryption:
      description: Default encryption (algorithm, kms_key_id, bucket_key_enabled).
      type: dict
    public_access_block:
      description: The four public access block switches.
      type: dict
    object_ownership:
      description: Object ownership setting.
      type: str
    policy:
      description: The bucket policy.
      type: dict
    lifecycle_rules:
      description: Lifecycle rules, in the shape S3 returns them.
      type: list
      elements: dict
    cors_rules:
      description: CORS rules, in the shape S3 returns them.
      type: list
      elements: dict
    logging:
      description: Access logging.
      type: dict
    replication:
      description: The role and the rules (as O(replication.rules), with C(sse_kms_encrypted_objects)), sorted by id; null when none.
      type: dict
      sample: {"role": "arn:aws:iam::123456789012:role/acme-uploads-replication",
               "rules": [{"id": "dr", "priority": 0, "status": "enabled", "prefix": null, "tags": null,
                          "destination_bucket": "arn:aws:s3:::acme-uploads-dr", "storage_class": "STANDARD_IA",
                          "destination_kms_key_id": "arn:aws:kms:us-west-2:123456789012:key/1111-2222",
                          "delete_marker_replication": true, "replication_time_control": false, "metrics": false,
                          "sse_kms_encrypted_objects": true}]}
    tags:
      description: Tags.
      type: dict
"""

import copy
import json

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.storagekit.aws.plugins.module_utils.changes import ChangeSet
from ansible_collections.storagekit.aws.plugins.module_utils.compare import differs
from ansible_collections.storagekit.aws.plugins.module_utils.compare import without_unset
from ansible_collections.storagekit.aws.plugins.module_utils.kms import KmsKeys
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import PUBLIC_ACCESS_KEYS
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import TLS_ONLY_SID
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import bucket_arn
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import bucket_exists
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import holds_objects
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import check_bucket_name
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import read_settings
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import read_versioning
from ansible_collections.storagekit.aws.plugins.module_utils.s3_bucket import tls_only_statement
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import OBJECT_LOCK_SPEC
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import object_lock_differs
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import object_lock_problem
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import put_object_lock
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import refuse_disabling
from ansible_collections.storagekit.aws.plugins.module_utils.s3_object_lock import wanted_object_lock
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import REPLICATION_SPEC
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import destination_problems
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import read_replication
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import replication_differs
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import replication_problems
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import summary as replication_summary
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import wanted_replication
from ansible_collections.storagekit.aws.plugins.module_utils.s3_replication import write_replication
from ansible_collections.storagekit.aws.plugins.module_utils.runner import for_state
from ansible_collections.storagekit.aws.plugins.module_utils.runner import run_state
from ansible_collections.storagekit.aws.plugins.module_utils.options import S3_RULE_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.options import TAG_OPTIONS
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client
from ansible_collections.storagekit.aws.plugins.module_utils.pool import in_pool
from ansible_collections.storagekit.aws.plugins.module_utils.pool import items_client
from ansible_collections.storagekit.aws.plugins.module_utils.pool import list_mode_options
from ansible_collections.storagekit.aws.plugins.module_utils.pool import run_list

STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]
TRANSITION_SPEC = dict(
    days=dict(type="int", required=True),
    storage_class=dict(type="str", required=True, choices=STORAGE_CLASSES),
)
BUCKET_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    force=dict(type="bool", default=False),
    versioning=dict(type="str", choices=["enabled", "suspended"]),
    object_lock=OBJECT_LOCK_SPEC,
    encryption=dict(
        type="dict",
        options=dict(
            algorithm=dict(type="str", required=True, choices=["AES256", "aws:kms", "aws:kms:dsse"]),
            kms_key_id=dict(type="str"),
            bucket_key_enabled=dict(type="bool", default=True),
        ),
    ),
    public_access_block=dict(type="dict", options=dict((key, dict(type="bool")) for key in PUBLIC_ACCESS_KEYS)),
    object_ownership=dict(type="str", choices=["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]),
    policy=dict(type="json"),
    deny_insecure_transport=dict(type="bool"),
    lifecycle_rules=dict(
        type="list",
        elements="dict",
        options=dict(
            **S3_RULE_OPTIONS,
            expiration_days=dict(type="int"),
            expired_object_delete_marker=dict(type="bool"),
            transitions=dict(type="list", elements="dict", options=TRANSITION_SPEC),
            noncurrent_version_transitions=dict(type="list", elements="dict", options=TRANSITION_SPEC),
            noncurrent_version_expiration_days=dict(type="int"),
            noncurrent_versions_to_keep=dict(type="int"),
            abort_incomplete_multipart_upload_days=dict(type="int"),
        ),
    ),
    cors_rules=dict(
        type="list",
        elements="dict",
        options=dict(
            allowed_origins=dict(type="list", elements="str", required=True),
            allowed_methods=dict(type="list", elements="str", required=True),
            allowed_headers=dict(type="list", elements="str"),
            expose_headers=dict(type="list", elements="str"),
            max_age_seconds=dict(type="int"),
        ),
    ),
    logging=dict(
        type="dict",
        options=dict(
            enabled=dict(type="bool", default=True),
            target_bucket=dict(type="str"),
            target_prefix=dict(type="str", default=""),
        ),
        required_if=[("enabled", True, ["target_bucket"])],
    ),
    replication=REPLICATION_SPEC,
    **TAG_OPTIONS,
)


# ---------------------------------------------------------------------------------------------
# Desired settings, in the shape read_settings gives
# ---------------------------------------------------------------------------------------------


def lifecycle_rule(rule):
    """One lifecycle rule in the shape S3 returns it."""
    aws = dict(ID=rule["id"], Status=rule["status"].capitalize(), Filter=dict(Prefix=rule["prefix"] or ""))
    expiration = without_unset(
        dict(Days=rule["expiration_days"], ExpiredObjectDeleteMarker=rule["expired_object_delete_marker"])
    )
    if expiration:
        aws["Expiration"] = expiration
    if rule["transitions"]:
        aws["Transitions"] = [dict(Days=t["days"], StorageClass=t["storage_class"]) for t in rule["transitions"]]
    if rule["noncurrent_version_transitions"]:
        aws["NoncurrentVersionTransitions"] = [
            dict(NoncurrentDays=t["days"], StorageClass=t["storage_class"]) for t in rule["noncurrent_version_transitions"]
        ]
    noncurrent_expiration = without_unset(
        dict(NoncurrentDays=rule["noncurrent_version_expiration_days"], NewerNoncurrentVersions=rule["noncurrent_versions_to_keep"])
    )
    if noncurrent_expiration:
        aws["NoncurrentVersionExpiration"] = noncurrent_expiration
    if rule["abort_incomplete_multipart_upload_days"] is not None:
        aws["AbortIncompleteMultipartUpload"] = dict(DaysAfterInitiation=rule["abort_incomplete_multipart_upload_days"])
    return aws


def cors_rule(rule):
    aws = dict(AllowedOrigins=rule["allowed_origins"], AllowedMethods=[m.upper() for m in rule["allowed_methods"]])
    if rule["allowed_headers"]:
        aws["AllowedHeaders"] = rule["allowed_headers"]
    if rule["expose_headers"]:
        aws["ExposeHeaders"] = rule["expose_headers"]
    if rule["max_age_seconds"] is not None:
        aws["MaxAgeSeconds"] = rule["max_age_seconds"]
    return aws


def normalize_rules(rules):
    """Lifecycle or CORS rules in a comparable form: sorted, without the empty values S3 may add."""

    def clean(value):
        if isinstance(value, dict):
            items = ((k, clean(v)) for k, v in value.items())
            return dict((k, v) for k, v in items if v not in (None, "", [], {}))
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return sorted((clean(r) for r in rules), key=lambda r: json.dumps(r, sort_keys=True))


def desired_policy(module, current_policy):
    """The policy to have, or None when the policy is not managed."""
    params = module.params
    if params["policy"] is None and params["deny_insecure_transport"] is None:
        return None
    policy = json.loads(params["policy"]) if params["policy"] is not None else copy.deepcopy(current_policy)
    policy = policy or dict(Version="2012-10-17", Statement=[])
    statements = policy.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    if params["deny_insecure_transport"] is not None:
        statements = [s for s in statements if s.get("Sid") != TLS_ONLY_SID]
        if params["deny_insecure_transport"]:
            statements.append(tls_only_statement(params["name"]))
    policy["Statement"] = statements
    policy.setdefault("Version", "2012-10-17")
    return policy if statements else {}


def desired_settings(module):
    """Each managed setting as read_settings reports it; settings the user did not set are absent."""
    params = module.params
    desired = {}
    if params["versioning"]:
        desired["versioning"] = params["versioning"]
    if params["object_lock"] is not None:
        desired["object_lock"] = wanted_object_lock(params["object_lock"])
    if params["encryption"]:
        encryption = dict(params["encryption"])
        if encryption["algorithm"] == "AES256":
            encryption["kms_key_id"] = None
            encryption["bucket_key_enabled"] = False
        desired["encryption"] = encryption
    if params["public_access_block"] is not None:
        desired["public_access_block"] = without_unset(params["public_access_block"])
    if params["object_ownership"]:
        desired["object_ownership"] = params["object_ownership"]
    if params["lifecycle_rules"] is not None:
        desired["lifecycle_rules"] = [lifecycle_rule(r) for r in params["lifecycle_rules"]]
    if params["cors_rules"] is not None:
        desired["cors_rules"] = [cors_rule(r) for r in params["cors_rules"]]
    if params["logging"] is not None:
        logging = params["logging"]
        desired["logging"] = dict(logging) if logging["enabled"] else dict(enabled=False)
    if params["tags"] is not None:
        desired["tags"] = params["tags"]
    if params["policy"] is not None or params["deny_insecure_transport"] is not None:
        desired["policy"] = None  # worked out once the current policy is known
    if params["replication"] is not None:
        desired["replication"] = None  # worked out once the current configuration is known (purge_rules)
    return desired


def validate_options(module):
    params = module.params
    check_bucket_name(module, "name", params["name"])
    if params["logging"] and params["logging"]["enabled"]:
        check_bucket_name(module, "logging.target_bucket", params["logging"]["target_bucket"])
    problem = object_lock_problem(params["object_lock"], params["versioning"])
    if problem:
        module.fail_json(msg="S3 bucket {0}: {1}".format(params["name"], problem))
    encryption = params["encryption"]
    if encryption and encryption["algorithm"] == "AES256" and encryption["kms_key_id"]:
        module.fail_json(msg="encryption.kms_key_id needs algorithm aws:kms or aws:kms:dsse.")
    ids = [r["id"] for r in params["lifecycle_rules"] or []]
    if len(ids) != len(set(ids)):
        module.fail_json(msg="lifecycle_rules ids must be unique.")
    for rule in params["lifecycle_rules"] or []:
        actions = ("expiration_days", "expired_object_delete_marker", "transitions", "noncurrent_version_transitions",
                   "noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days")
        if not any(rule[a] for a in actions):
            module.fail_json(msg="Lifecycle rule {0} has no action.".format(rule["id"]))
        if rule["noncurrent_versions_to_keep"] is not None and rule["noncurrent_version_expiration_days"] is None:
            module.fail_json(msg="Lifecycle rule {0}: noncurrent_versions_to_keep needs noncurrent_version_expiration_days.".format(rule["id"]))
    if params["policy"] is not None:
        try:
            json.loads(params["policy"])
        except ValueError:
            module.fail_json(msg="policy is not valid JSON.")
    for rule in (params["replication"] or {}).get("rules") or []:
        check_bucket_name(module, "replication.rules.destination_bucket", rule["destination_bucket"].split(":::", 1)[-1])
    problems = replication_problems(params["replication"], params["versioning"])
    if problems:
        module.fail_json(msg="S3 bucket {0}: {1}".format(params["name"], " ".join(problems)))


# ---------------------------------------------------------------------------------------------
# Writes, one per setting
# ---------------------------------------------------------------------------------------------


def write_setting(client, name, setting, want, have):
    """The call that turns ``have`` into ``want`` for one setting."""
    if setting == "versioning":
        status = "Enabled" if want == "enabled" else "Suspended"
        return lambda: client.put_bucket_versioning(aws_retry=True, Bucket=name, VersioningConfiguration=dict(Status=status))
    if setting == "object_lock":
        return put_object_lock(client, name, want)
    if setting == "encryption":
        default = dict(SSEAlgorithm=want["algorithm"])
        if want["kms_key_id"]:
            default["KMSMasterKeyID"] = want["kms_key_id"]
        rule = dict(ApplyServerSideEncryptionByDefault=default, BucketKeyEnabled=want["bucket_key_enabled"])
        return lambda: client.put_bucket_encryption(
            aws_retry=True, Bucket=name, ServerSideEncryptionConfiguration=dict(Rules=[rule])
        )
    if setting == "public_access_block":
        # Switches the user left unset keep their value; on a new bucket (unknown) they block, as AWS's default.
        have = have or {}
        merged = dict((k, True if have.get(k) is None else have[k]) for k in PUBLIC_ACCESS_KEYS)
        merged.update(want)
        config = dict((PUBLIC_ACCESS_KEYS[k], v) for k, v in merged.items())
        return lambda: client.put_public_access_block(aws_retry=True, Bucket=name, PublicAccessBlockConfiguration=config)
    if setting == "object_ownership":
        controls = dict(Rules=[dict(ObjectOwnership=want)])
        return lambda: client.put_bucket_ownership_controls(aws_retry=True, Bucket=name, OwnershipControls=controls)
    if setting == "policy":
        if not want:
            return lambda: client.delete_bucket_policy(aws_retry=True, Bucket=name)
        return lambda: client.put_bucket_policy(aws_retry=True, Bucket=name, Policy=json.dumps(want))
    if setting == "lifecycle_rules":
        if not want:
            return lambda: client.delete_bucket_lifecycle(aws_retry=True, Bucket=name)
        return lambda: client.put_bucket_lifecycle_configuration(
            aws_retry=True, Bucket=name, LifecycleConfiguration=dict(Rules=want)
        )
    if setting == "cors_rules":
        if not want:
            return lambda: client.delete_bucket_cors(aws_retry=True, Bucket=name)
        return lambda: client.put_bucket_cors(aws_retry=True, Bucket=name, CORSConfiguration=dict(CORSRules=want))
    if setting == "logging":
        status = {}
        if want["enabled"]:
            status = dict(LoggingEnabled=dict(TargetBucket=want["target_bucket"], TargetPrefix=want["target_prefix"]))
        return lambda: client.put_bucket_logging(aws_retry=True, Bucket=name, BucketLoggingStatus=status)
    if setting == "replication":
        return write_replication(client, name, want)
    if setting == "tags":
        if not want:
            return lambda: client.delete_bucket_tagging(aws_retry=True, Bucket=name)
        return lambda: client.put_bucket_tagging(
            aws_retry=True, Bucket=name, Tagging=dict(TagSet=ansible_dict_to_boto3_tag_list(want))
        )
    raise ValueError(setting)


def setting_differs(setting, want, have):
    if setting == "policy":
        return compare_policies(have or {}, want or {}) if (have or want) else False
    if setting == "object_lock":
        return object_lock_differs(want, have)
    if setting in ("lifecycle_rules", "cors_rules"):
        return normalize_rules(want) != normalize_rules(have or [])
    if setting == "replication":
        return replication_differs(want, have)
    if setting == "versioning" and want == "suspended" and have == "disabled":
        return False  # a bucket that never had versioning keeps no versions either
    if setting == "logging" and not want["enabled"]:
        return have.get("enabled", False)
    if setting == "tags":
        # want is the complete tag set (purge_tags already applied): extra tags are drift too.
        return want != (have or {})
    return differs(want, have)


def tags_to_have(module, current_tags):
    dummy, to_remove = compare_aws_tags(current_tags or {}, module.params["tags"], module.params["purge_tags"])
    tags = dict((k, v) for k, v in (current_tags or {}).items() if k not in to_remove)
    tags.update(module.params["tags"])
    return tags


def new_bucket_settings():
    """What a bucket created a moment ago is known to have, for the settings CreateBucket does not set.

    AWS turns on the public access block and SSE-S3 for new buckets, but not every S3 implementation
    or partition does: those two are written whenever they are managed, never assumed.
    """
    return dict(
        versioning="disabled",
        object_lock=dict(enabled=False),
        encryption=dict(algorithm=None, kms_key_id=None, bucket_key_enabled=False),
        public_access_block=dict((k, None) for k in PUBLIC_ACCESS_KEYS),
        object_ownership=None,
        policy=None,
        lifecycle_rules=[],
        cors_rules=[],
        logging=dict(enabled=False),
        replication=None,
        tags={},
    )


def create_bucket(module, client, changes):
    """The settings of the new bucket, or None when a concurrent run created it first (BucketAlreadyOwnedByYou)."""
    name = module.params["name"]
    request = dict(Bucket=name)
    region = module.region
    if region and region != "us-east-1":
        request["CreateBucketConfiguration"] = dict(LocationConstraint=region)
    if module.params["object_ownership"]:
        request["ObjectOwnership"] = module.params["object_ownership"]
    lock = module.params["object_lock"]
    if lock and lock["enabled"]:
        # Object Lock at creation, where every account may turn it on; S3 then enables versioning itself.
        request["ObjectLockEnabledForBucket"] = True

    def write():
        try:
            client.create_bucket(aws_retry=True, **request)
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] == "BucketAlreadyExists":
                module.fail_json(msg="Bucket name {0} is taken by another AWS account.".format(name))
            if e.response["Error"]["Code"] == "BucketAlreadyOwnedByYou":
                return False
            raise
        return True

    if changes.apply("bucket", None, dict(name=name, state="present"), write) is False:
        return None
    current = new_bucket_settings()
    if "ObjectOwnership" in request:
        current["object_ownership"] = request["ObjectOwnership"]
    if "ObjectLockEnabledForBucket" in request:
        current["versioning"] = "enabled"
        current["object_lock"] = dict(enabled=True, mode=None, days=None, years=None)
    return current


def check_encryption_key(module, desired):
    """Refuse a default encryption key that does not exist or is not Enabled.

    S3 accepts any key in PutBucketEncryption and only the uploads that follow fail, so this is
    checked here, once, before the write that sets it.
    """
    key_id = (desired.get("encryption") or {}).get("kms_key_id")
    if key_id:
        KmsKeys(module).require_usable(key_id, "encryption.kms_key_id")


def check_replication(module, client, versioning):
    """Refuse, before any write, replication S3 would refuse or never carry out (reads the destinations)."""
    problems = []
    if versioning != "enabled":
        problems.append("replication needs versioning enabled on the source bucket (versioning: enabled).")
    problems += destination_problems(client, module.params["replication"]["rules"], module.region, module.check_mode)
    if problems:
        module.fail_json(msg="S3 bucket {0}: {1}".format(module.params["name"], " ".join(problems)))


def ensure_present(module, client):
    changes = ChangeSet(module)
    name = module.params["name"]
    desired = desired_settings(module)
    current = None
    exists = bucket_exists(client, name)
    if not exists:
        check_encryption_key(module, desired)
        if "replication" in desired:
            check_replication(module, client, desired.get("versioning"))
        current = create_bucket(module, client, changes)
    if current is None:
        current = read_settings(client, name, [s for s in desired if s != "replication"])
        if "replication" in desired:
            current["replication"] = read_replication(client, name)
    else:
        current = dict((k, v) for k, v in current.items() if k in desired)
    if "replication" in desired:
        desired["replication"] = wanted_replication(module.params["replication"], current.get("replication"))
    if "policy" in desired:
        desired["policy"] = desired_policy(module, current.get("policy"))
    if "tags" in desired:
        desired["tags"] = tags_to_have(module, current.get("tags"))
    if "object_lock" in desired:
        refuse_disabling(module, name, desired["object_lock"], current.get("object_lock"))
    after = dict(current)
    # Ownership before policy and logging: log delivery and ACL-free buckets depend on it.
    # Versioning before Object Lock: S3 turns Object Lock on only for a versioned bucket.
    # Replication after versioning and encryption: S3 refuses it on a bucket without versioning.
    order = ("object_ownership", "public_access_block", "versioning", "object_lock", "encryption", "policy",
             "lifecycle_rules", "cors_rules", "logging", "replication", "tags")
    to_write = [s for s in order if s in desired and setting_differs(s, desired[s], current.get(s))]
    if exists and "encryption" in to_write:
        check_encryption_key(module, desired)
    if exists and "replication" in to_write and desired["replication"] is not None:
        versioning = desired.get("versioning") or current.get("versioning") or read_versioning(client, name)
        check_replication(module, client, versioning)
    for setting in to_write:
        write = write_setting(client, name, setting, desired[setting], current.get(setting))
        if setting == "replication":
            changes.apply(setting, replication_summary(current.get(setting)), replication_summary(desired[setting]), write)
        else:
            changes.apply(setting, current.get(setting), desired[setting], write)
        after[setting] = desired[setting]
    bucket = dict(name=name, arn=bucket_arn(name))
    bucket.update(after)
    if "replication" in bucket:
        bucket["replication"] = replication_summary(bucket["replication"])
    return changes.result(bucket=bucket)


def object_versions(client, name):
    """Every object version and delete marker of the bucket, as DeleteObjects wants them."""
    versions = []
    paginator = client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=name):
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            versions.append(dict(Key=entry["Key"], VersionId=entry["VersionId"]))
    return versions


def ensure_absent(module, client):
    changes = ChangeSet(module)
    name = module.params["name"]
    if not bucket_exists(client, name):
        return changes.result(bucket={})
    holds_data = holds_objects(client, name)
    if holds_data and not module.params["force"]:
        module.fail_json(msg="Bucket {0} is not empty; set force=true to delete it with all its objects.".format(name))

    def write():
        if holds_data:
            versions = object_versions(client, name)
            for start in range(0, len(versions), 1000):
                client.delete_objects(
                    aws_retry=True, Bucket=name, Delete=dict(Objects=versions[start:start + 1000], Quiet=True)
                )
        client.delete_bucket(aws_retry=True, Bucket=name)

    changes.apply("bucket", dict(name=name, state="present"), dict(name=name, state="absent"), write)
    return changes.result(bucket={})


MODULE_OPTIONS = list_mode_options(BUCKET_SPEC, "buckets")


def main():
    module = AnsibleAWSModule(supports_check_mode=True, **MODULE_OPTIONS)
    # NoSuchBucket too: a bucket created a moment ago may not be visible to the next call yet.
    if module.params["buckets"] is not None:
        client = items_client(module, "s3", ["OperationAborted", "NoSuchBucket"])
        run_list(module, "buckets", BUCKET_SPEC, "S3 bucket {0}", "S3 buckets", lambda item: validate_options(item.module),
                 in_pool(module, lambda item: for_state(item.module, ensure_present, ensure_absent)(item.module, client)))
    validate_options(module)
    client = aws_client(module, "s3", ["OperationAborted", "NoSuchBucket"])
    run_state(module, "S3 bucket {0}".format(module.params["name"]), ensure_present, ensure_absent, client)


if __name__ == "__main__":
    main()
