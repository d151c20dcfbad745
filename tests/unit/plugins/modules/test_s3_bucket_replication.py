"""s3_bucket replication: the exact S3 calls of create, no-change, drift, check mode, purge and the refusals."""

import copy

from ansible_collections.storagekit.aws.plugins.modules import s3_bucket

NAME = "acme-uploads"
DEST = "acme-uploads-dr"
DEST_ARN = "arn:aws:s3:::acme-uploads-dr"
ROLE = "arn:aws:iam::123456789012:role/acme-uploads-replication"
DEST_KEY = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555"
BUCKET = dict(Bucket=NAME)

RULE_ARGS = dict(
    id="dr",
    priority=1,
    destination_bucket=DEST,
    destination_kms_key_id=DEST_KEY,
    storage_class="STANDARD_IA",
    delete_marker_replication=True,
    replication_time_control=True,
)
ARGS = dict(name=NAME, versioning="enabled", replication=dict(role=ROLE, rules=[RULE_ARGS]))
RULE_SENT = dict(
    ID="dr",
    Priority=1,
    Status="Enabled",
    Filter=dict(Prefix=""),
    DeleteMarkerReplication=dict(Status="Enabled"),
    Destination=dict(
        Bucket=DEST_ARN,
        StorageClass="STANDARD_IA",
        EncryptionConfiguration=dict(ReplicaKmsKeyID=DEST_KEY),
        ReplicationTime=dict(Status="Enabled", Time=dict(Minutes=15)),
        Metrics=dict(Status="Enabled", EventThreshold=dict(Minutes=15)),
    ),
    SourceSelectionCriteria=dict(SseKmsEncryptedObjects=dict(Status="Enabled")),
)
# The same rule as S3 hands it back: members in another order, the empty prefix filter as {}.
RULE_READ = dict(
    ID="dr",
    Status="Enabled",
    Priority=1,
    Filter={},
    SourceSelectionCriteria=dict(SseKmsEncryptedObjects=dict(Status="Enabled")),
    Destination=dict(
        Bucket=DEST_ARN,
        Metrics=dict(Status="Enabled", EventThreshold=dict(Minutes=15)),
        ReplicationTime=dict(Status="Enabled", Time=dict(Minutes=15)),
        EncryptionConfiguration=dict(ReplicaKmsKeyID=DEST_KEY),
        StorageClass="STANDARD_IA",
    ),
    DeleteMarkerReplication=dict(Status="Enabled"),
)
OTHER_RULE = dict(ID="other", Priority=2, Status="Enabled", Filter=dict(Prefix="logs/"),
                  DeleteMarkerReplication=dict(Status="Disabled"), Destination=dict(Bucket="arn:aws:s3:::acme-logs-dr"))


def s3(stubs):
    return stubs["s3"]


def expect_head(stubs, exists=True):
    if exists:
        s3(stubs).add_response("head_bucket", {}, BUCKET)
    else:
        s3(stubs).add_client_error("head_bucket", service_error_code="404", http_status_code=404, expected_params=BUCKET)


def expect_versioning(stubs, bucket=NAME, status="Enabled"):
    s3(stubs).add_response("get_bucket_versioning", dict(Status=status) if status else {}, dict(Bucket=bucket))


def expect_replication(stubs, rules=None):
    if rules is None:
        s3(stubs).add_client_error("get_bucket_replication", service_error_code="ReplicationConfigurationNotFoundError",
                                   http_status_code=404, expected_params=BUCKET)
    else:
        config = dict(Role=ROLE, Rules=rules)
        s3(stubs).add_response("get_bucket_replication", dict(ReplicationConfiguration=config), BUCKET)


def expect_destination(stubs, region="us-west-2", versioning="Enabled"):
    if region is None:
        s3(stubs).add_client_error("head_bucket", service_error_code="404", http_status_code=404,
                                   expected_params=dict(Bucket=DEST))
        return
    s3(stubs).add_response("head_bucket", dict(BucketRegion=region), dict(Bucket=DEST))
    expect_versioning(stubs, DEST, versioning)


def expect_put(stubs, rules):
    config = dict(Role=ROLE, Rules=rules)
    s3(stubs).add_response("put_bucket_replication", {}, dict(BUCKET, ReplicationConfiguration=config))


def test_new_bucket_checks_the_destination_then_writes_replication_after_versioning(run_module, stubs):
    expect_head(stubs, exists=False)
    expect_destination(stubs)
    s3(stubs).add_response("create_bucket", {}, BUCKET)
    s3(stubs).add_response("put_bucket_versioning", {}, dict(BUCKET, VersioningConfiguration=dict(Status="Enabled")))
    expect_put(stubs, [RULE_SENT])
    result = run_module(s3_bucket, ARGS)
    assert result["changed"]
    rule = result["bucket"]["replication"]["rules"][0]
    assert rule["destination_bucket"] == DEST_ARN
    assert rule["sse_kms_encrypted_objects"] and rule["metrics"] and rule["replication_time_control"]


def test_no_change_reads_the_configuration_once_and_writes_nothing(run_module, stubs):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_replication(stubs, [RULE_READ])
    result = run_module(s3_bucket, ARGS)
    assert not result["changed"]


def test_a_removed_rule_is_put_back_and_the_diff_shows_it(run_module, stubs):
    args = copy.deepcopy(ARGS)
    args["replication"]["rules"].append(dict(id="logs", priority=2, prefix="logs/", destination_bucket=DEST))
    logs_sent = dict(ID="logs", Priority=2, Status="Enabled", Filter=dict(Prefix="logs/"),
                     DeleteMarkerReplication=dict(Status="Disabled"), Destination=dict(Bucket=DEST_ARN))
    expect_head(stubs)
    expect_versioning(stubs)
    expect_replication(stubs, [RULE_READ])
    expect_destination(stubs)
    expect_put(stubs, [RULE_SENT, logs_sent])
    result = run_module(s3_bucket, args, diff=True)
    assert result["changed"]
    assert [r["id"] for r in result["diff"]["before"]["replication"]["rules"]] == ["dr"]
    assert [r["id"] for r in result["diff"]["after"]["replication"]["rules"]] == ["dr", "logs"]


def test_check_mode_reads_and_predicts_without_writing(run_module, stubs):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_replication(stubs, None)
    expect_destination(stubs)
    result = run_module(s3_bucket, ARGS, check_mode=True)
    assert result["changed"]
    assert result["bucket"]["replication"]["role"] == ROLE


def test_check_mode_accepts_a_destination_an_earlier_task_creates(run_module, stubs):
    expect_head(stubs, exists=False)
    expect_destination(stubs, region=None)
    result = run_module(s3_bucket, ARGS, check_mode=True)
    assert result["changed"]


def test_tag_filters_and_purge_rules_false_keep_the_other_rules(run_module, stubs):
    args = dict(name=NAME, replication=dict(role=ROLE, purge_rules=False, rules=[
        dict(id="tagged", priority=3, prefix="exports/", tags=dict(replicate="yes"), destination_bucket=DEST_ARN)]))
    tagged_sent = dict(ID="tagged", Priority=3, Status="Enabled",
                       Filter=dict(And=dict(Prefix="exports/", Tags=[dict(Key="replicate", Value="yes")])),
                       DeleteMarkerReplication=dict(Status="Disabled"), Destination=dict(Bucket=DEST_ARN))
    expect_head(stubs)
    expect_replication(stubs, [OTHER_RULE])
    expect_versioning(stubs)  # not managed in the task: read before the write
    expect_destination(stubs)
    expect_put(stubs, [OTHER_RULE, tagged_sent])
    assert run_module(s3_bucket, args)["changed"]


def test_absent_deletes_the_configuration(run_module, stubs):
    expect_head(stubs)
    expect_replication(stubs, [RULE_READ])
    s3(stubs).add_response("delete_bucket_replication", {}, BUCKET)
    result = run_module(s3_bucket, dict(name=NAME, replication=dict(state="absent")))
    assert result["changed"] and result["bucket"]["replication"] is None


def test_absent_without_a_configuration_is_no_change(run_module, stubs):
    expect_head(stubs)
    expect_replication(stubs, None)
    assert not run_module(s3_bucket, dict(name=NAME, replication=dict(state="absent")))["changed"]


def test_a_destination_in_the_source_region_is_refused_before_any_write(run_module, stubs):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_replication(stubs, None)
    expect_destination(stubs, region="us-east-1")
    result = run_module(s3_bucket, ARGS, expect_failure=True)
    assert "is in the source region us-east-1" in result["msg"]
    assert "must be a key of the destination region us-east-1, not us-west-2" in result["msg"]


def test_same_region_replication_when_asked_for(run_module, stubs):
    args = copy.deepcopy(ARGS)
    rule = args["replication"]["rules"][0]
    rule.update(cross_region=False, destination_kms_key_id=None)
    sent = copy.deepcopy(RULE_SENT)
    del sent["Destination"]["EncryptionConfiguration"], sent["SourceSelectionCriteria"]
    expect_head(stubs)
    expect_versioning(stubs)
    expect_replication(stubs, None)
    expect_destination(stubs, region="us-east-1")
    expect_put(stubs, [sent])
    assert run_module(s3_bucket, args)["changed"]


def test_an_unversioned_destination_and_source_are_refused_before_any_write(run_module, stubs):
    args = dict(name=NAME, replication=ARGS["replication"])
    expect_head(stubs)
    expect_replication(stubs, None)
    expect_versioning(stubs, status=None)
    expect_destination(stubs, versioning="Suspended")
    result = run_module(s3_bucket, args, expect_failure=True)
    assert "versioning enabled on the source bucket" in result["msg"]
    assert "destination bucket acme-uploads-dr needs versioning enabled" in result["msg"]


def test_a_missing_destination_is_refused_before_the_bucket_is_created(run_module, stubs):
    expect_head(stubs, exists=False)
    expect_destination(stubs, region=None)
    result = run_module(s3_bucket, ARGS, expect_failure=True)
    assert "destination bucket acme-uploads-dr does not exist" in result["msg"]


def test_option_problems_are_refused_without_a_call(run_module, stubs):
    rules = [dict(RULE_ARGS, tags=dict(a="b")), dict(RULE_ARGS, destination_kms_key_id="alias/dr", metrics=False)]
    args = dict(name=NAME, versioning="suspended", replication=dict(role="replication-role", rules=rules))
    msg = run_module(s3_bucket, args, expect_failure=True)["msg"]
    for problem in ("must be the ARN of the IAM role", "needs versioning: enabled", "ids must be unique",
                    "priorities must be unique", "does not replicate delete markers for rules with a tag filter",
                    "replication_time_control needs metrics", "must be a key or alias ARN"):
        assert problem in msg
