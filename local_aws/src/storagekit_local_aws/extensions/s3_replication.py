"""S3 replication (moto 5.2.5 stores PutBucketReplication and copies nothing).

moto checks only the source bucket's versioning, answers GetBucketReplication with every rule's Filter
turned into an empty prefix and DeleteMarkerReplication into Disabled (its SourceSelectionCriteria
dropped), and never copies an object. Here, following the Amazon S3 User Guide ("Replicating objects
within and across Regions", "Getting replication status information") and the botocore model:

- PutBucketReplication is validated as S3 does: the model's shape, versioning enabled on the source and
  on every destination bucket, destinations that exist, unique rule IDs, unique priorities among rules
  with a Filter, DeleteMarkerReplication with every Filter, no delete marker replication for a rule
  with a tag filter, Metrics with ReplicationTime, SourceSelectionCriteria SseKmsEncryptedObjects and
  ReplicaKmsKeyID only together. GetBucketReplication answers the configuration as it was put;
  DeleteBucketReplication and DeleteBucket remove it.
- New objects are replicated when the call that wrote them returns (AWS: asynchronously, most within
  seconds; Replication Time Control: 99.99 % within 15 minutes): PutObject, CopyObject and
  CompleteMultipartUpload in a bucket with an enabled rule whose prefix and tags match the object. The
  replica keeps the key, version ID, body, metadata, content type and tags; its storage class is the
  rule's or the source's; SSE-KMS objects are replicated only by rules with SseKmsEncryptedObjects and
  re-encrypted with the rule's ReplicaKmsKeyID; other replicas keep SSE-S3 or take the destination's
  default encryption. Of several matching rules for one destination, the highest priority applies.
- Objects that existed before the configuration, replicas themselves and deletes of a version are not
  replicated (as on AWS); a DeleteObject that makes a delete marker is, by rules with
  DeleteMarkerReplication Enabled, when the destination holds the key.
- HeadObject and GetObject answer x-amz-replication-status: COMPLETED (or FAILED when the destination
  bucket is gone or has no versioning) on the source object, REPLICA on the replica.
"""

import threading

from .base import aws_error, validate_input, xml_payload, xml_reply

OPERATIONS = {"PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication"}
WRITES = {"PutObject", "CopyObject", "CompleteMultipartUpload"}
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"


def _s3_backend(exchange):
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[exchange.account_id][get_partition(exchange.call.region)]


def configuration_problem(backend, bucket, config):
    """(code, message) of S3's refusal of a replication configuration, or None."""
    if bucket.versioning_status != "Enabled":
        return "InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration"
    rules = config.get("Rules") or []
    ids = [r.get("ID") for r in rules if r.get("ID")]
    if len(ids) != len(set(ids)):
        return "InvalidArgument", "Rule Id must be unique"
    filtered = [r for r in rules if "Filter" in r]
    priorities = [r.get("Priority", 0) for r in filtered]
    if len(priorities) != len(set(priorities)):
        return "InvalidArgument", "Found two rules with same priority"
    for rule in rules:
        destination = rule["Destination"]
        rule_filter = rule.get("Filter")
        if rule_filter is not None and "DeleteMarkerReplication" not in rule:
            return ("InvalidRequest", "DeleteMarkerReplication must be specified for this version of Cross Region "
                    "Replication configuration schema.")
        tagged = rule_filter is not None and ("Tag" in rule_filter or (rule_filter.get("And") or {}).get("Tags"))
        if tagged and (rule.get("DeleteMarkerReplication") or {}).get("Status") == "Enabled":
            return ("InvalidArgument", "Delete marker replication is not supported if any Tag filter is specified. "
                    "Please refer to S3 Developer Guide for more information.")
        if "ReplicationTime" in destination and (destination.get("Metrics") or {}).get("Status") != "Enabled":
            return "InvalidRequest", "Replication destination must contain both ReplicationTime and Metrics or neither."
        sse_kms = ((rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects") or {}).get("Status")
        replica_key = (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")
        if sse_kms == "Enabled" and not replica_key:
            return "InvalidRequest", "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present."
        if replica_key and sse_kms != "Enabled":
            return "InvalidRequest", "SseKmsEncryptedObjects must be specified if EncryptionConfiguration is present."
        target = backend.buckets.get(destination["Bucket"].split(":::", 1)[-1])
        if target is None:
            return "InvalidRequest", "Destination bucket must exist."
        if target.versioning_status != "Enabled":
            return "InvalidRequest", "Destination bucket must have versioning enabled."
    return None


def rule_matches(rule, key_name, tags):
    """Does an enabled rule's filter (or the V1 schema's Prefix) take this object?"""
    if rule.get("Status") != "Enabled":
        return False
    rule_filter = rule.get("Filter")
    if rule_filter is None:
        return key_name.startswith(rule.get("Prefix") or "")
    both = rule_filter.get("And") or {}
    prefix = rule_filter.get("Prefix", both.get("Prefix")) or ""
    wanted = both.get("Tags") or ([rule_filter["Tag"]] if "Tag" in rule_filter else [])
    return key_name.startswith(prefix) and all(tags.get(t["Key"]) == t["Value"] for t in wanted)


def rules_by_destination(config, key_name, tags):
    """{destination bucket name: the matching rule of highest priority}."""
    chosen = {}
    for rule in config.get("Rules") or []:
        if not rule_matches(rule, key_name, tags):
            continue
        bucket = rule["Destination"]["Bucket"].split(":::", 1)[-1]
        if bucket not in chosen or rule.get("Priority", 0) > chosen[bucket].get("Priority", 0):
            chosen[bucket] = rule
    return chosen


def object_key(exchange):
    """(bucket, key) of an object call, path-style or virtual-hosted."""
    from ..operations import _s3_path_style

    path = _s3_path_style(exchange.environ.get("PATH_INFO", "/"), exchange.environ.get("HTTP_HOST", ""))
    bucket, dummy, key = path.lstrip("/").partition("/")
    return bucket, key


def reply_header(reply, name):
    for header, value in reply.headers:
        if header.lower() == name:
            return value
    return None


class Replication:
    """The replication configurations of the endpoint and the replication status of objects."""

    def __init__(self):
        self._lock = threading.Lock()
        self._configs = {}  # (account, bucket) -> ReplicationConfiguration as put
        self._status = {}  # (account, bucket, key, version id) -> COMPLETED | FAILED | REPLICA

    def reset(self):
        with self._lock:
            self._configs.clear()
            self._status.clear()

    def handle(self, exchange, bucket_name):
        backend = _s3_backend(exchange)
        bucket = backend.buckets.get(bucket_name)
        if bucket is None:
            return aws_error(exchange, "NoSuchBucket", "The specified bucket does not exist", 404)
        key = (exchange.account_id, bucket_name)
        if exchange.operation == "GetBucketReplication":
            with self._lock:
                config = self._configs.get(key)
            if config is None:
                return aws_error(exchange, "ReplicationConfigurationNotFoundError",
                                 "The replication configuration was not found", 404)
            return xml_reply(exchange, {"ReplicationConfiguration": config})
        if exchange.operation == "DeleteBucketReplication":
            with self._lock:
                self._configs.pop(key, None)
            return xml_reply(exchange, {})
        try:
            config = xml_payload(exchange)
        except ValueError:
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        if validate_input("s3", "PutBucketReplication", {"Bucket": bucket_name, "ReplicationConfiguration": config}):
            return aws_error(exchange, "MalformedXML", MALFORMED_XML)
        problem = configuration_problem(backend, bucket, config)
        if problem:
            return aws_error(exchange, problem[0], problem[1])
        with self._lock:
            self._configs[key] = config
        return xml_reply(exchange, {})

    def forget_bucket(self, account_id, bucket_name):
        with self._lock:
            self._configs.pop((account_id, bucket_name), None)

    def after(self, exchange):
        """After moto answered an object call: replicate what it wrote, or show the replication status."""
        operation = exchange.operation
        if operation in ("HeadObject", "GetObject") and exchange.reply.status in (200, 206):
            self._show_status(exchange)
        elif operation in WRITES and exchange.reply.status == 200:
            self._replicate_object(exchange)
        elif operation == "DeleteObject" and exchange.reply.status == 204:
            self._replicate_delete_marker(exchange)

    def _show_status(self, exchange):
        bucket, key = object_key(exchange)
        version = reply_header(exchange.reply, "x-amz-version-id")
        with self._lock:
            status = self._status.get((exchange.account_id, bucket, key, version))
        if status:
            exchange.reply.set_header("x-amz-replication-status", status)

    def _config(self, account_id, bucket):
        with self._lock:
            return self._configs.get((account_id, bucket))

    def _replicate_object(self, exchange):
        bucket_name, key_name = object_key(exchange)
        config = self._config(exchange.account_id, bucket_name)
        if config is None:
            return
        backend = _s3_backend(exchange)
        version = reply_header(exchange.reply, "x-amz-version-id")
        source = backend.get_object(bucket_name, key_name, version_id=version)
        if source is None:
            return
        with self._lock:
            if self._status.get((exchange.account_id, bucket_name, key_name, source.version_id)) == "REPLICA":
                return  # a replica is not replicated again
        tags = backend.tagger.get_tag_dict_for_resource(source.arn)
        statuses = []
        for destination, rule in rules_by_destination(config, key_name, tags).items():
            sse_kms = (rule.get("SourceSelectionCriteria") or {}).get("SseKmsEncryptedObjects") or {}
            if (source.encryption or "").startswith("aws:kms") and sse_kms.get("Status") != "Enabled":
                continue  # S3 does not replicate SSE-KMS objects without it
            statuses.append(self._copy(backend, exchange.account_id, source, destination, rule["Destination"]))
        if statuses:
            status = "FAILED" if "FAILED" in statuses else "COMPLETED"
            with self._lock:
                self._status[(exchange.account_id, bucket_name, key_name, source.version_id)] = status

    def _copy(self, backend, account_id, source, destination, target):
        bucket = backend.buckets.get(destination)
        if bucket is None or bucket.versioning_status != "Enabled":
            return "FAILED"
        encryption, kms_key_id = source.encryption, None
        replica_key = (target.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")
        if (source.encryption or "").startswith("aws:kms"):
            kms_key_id = replica_key
        replica = backend.put_object(
            destination, source.name, source.value, storage=target.get("StorageClass") or source.storage_class,
            encryption=encryption, kms_key_id=kms_key_id, disable_notification=True,
        )
        replica._version_id = source.version_id  # a replica keeps its source's version ID
        replica.set_metadata(dict(source.metadata))
        backend.tagger.copy_tags(source.arn, replica.arn)
        with self._lock:
            self._status[(account_id, destination, source.name, source.version_id)] = "REPLICA"
        return "COMPLETED"

    def _replicate_delete_marker(self, exchange):
        if "versionId" in exchange.environ.get("QUERY_STRING", ""):
            return  # deleting a version is never replicated
        if reply_header(exchange.reply, "x-amz-delete-marker") != "true":
            return
        bucket_name, key_name = object_key(exchange)
        config = self._config(exchange.account_id, bucket_name)
        if config is None:
            return
        from moto.s3.models import FakeDeleteMarker, FakeKey

        backend = _s3_backend(exchange)
        marker_version = reply_header(exchange.reply, "x-amz-version-id")
        for destination, rule in rules_by_destination(config, key_name, {}).items():
            if (rule.get("DeleteMarkerReplication") or {}).get("Status") != "Enabled":
                continue
            bucket = backend.buckets.get(destination)
            if bucket is None or not isinstance(bucket.keys.get(key_name), FakeKey):
                continue
            marker = FakeDeleteMarker(key=bucket.keys[key_name])
            marker._version_id = marker_version or marker.version_id
            bucket.keys[key_name] = marker
