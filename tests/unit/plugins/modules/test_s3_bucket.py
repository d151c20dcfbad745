"""s3_bucket: the exact S3 calls of create, no-change, drift, check mode and delete runs."""

import json

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.storagekit.aws.plugins.modules import s3_bucket

NAME = "acme-uploads"
ARN = "arn:aws:s3:::acme-uploads"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
BUCKET = dict(Bucket=NAME)
TLS_ONLY = dict(
    Sid="DenyInsecureTransport",
    Effect="Deny",
    Principal="*",
    Action="s3:*",
    Resource=[ARN, ARN + "/*"],
    Condition=dict(Bool={"aws:SecureTransport": "false"}),
)
READ_ONLY = dict(
    Sid="ReadOnlyRole",
    Effect="Allow",
    Principal=dict(AWS="arn:aws:iam::123456789012:role/reader"),
    Action="s3:GetObject",
    Resource=ARN + "/*",
)
ALL_BLOCKED = dict(BlockPublicAcls=True, IgnorePublicAcls=True, BlockPublicPolicy=True, RestrictPublicBuckets=True)
ALL_BLOCKED_ARGS = dict(block_public_acls=True, ignore_public_acls=True, block_public_policy=True, restrict_public_buckets=True)

LIFECYCLE_ARGS = [
    dict(id="tidy-up", noncurrent_version_expiration_days=90, abort_incomplete_multipart_upload_days=7),
    dict(id="archive", prefix="exports/", transitions=[dict(days=30, storage_class="STANDARD_IA")]),
]
# What the module sends for LIFECYCLE_ARGS.
LIFECYCLE_SENT = [
    dict(
        ID="tidy-up",
        Status="Enabled",
        Filter=dict(Prefix=""),
        NoncurrentVersionExpiration=dict(NoncurrentDays=90),
        AbortIncompleteMultipartUpload=dict(DaysAfterInitiation=7),
    ),
    dict(
        ID="archive",
        Status="Enabled",
        Filter=dict(Prefix="exports/"),
        Transitions=[dict(Days=30, StorageClass="STANDARD_IA")],
    ),
]
# The same rules as S3 hands them back: other order, the empty filter shortened to {}.
LIFECYCLE_READ = [
    dict(
        ID="archive",
        Filter=dict(Prefix="exports/"),
        Status="Enabled",
        Transitions=[dict(Days=30, StorageClass="STANDARD_IA")],
    ),
    dict(
        ID="tidy-up",
        Filter={},
        Status="Enabled",
        NoncurrentVersionExpiration=dict(NoncurrentDays=90),
        AbortIncompleteMultipartUpload=dict(DaysAfterInitiation=7),
    ),
]
CORS_ARGS = [
    dict(allowed_origins=["https://app.example.com"], allowed_methods=["get", "put"], allowed_headers=["*"], max_age_seconds=3000),
    dict(allowed_origins=["*"], allowed_methods=["GET"]),
]
CORS_SENT = [
    dict(AllowedOrigins=["https://app.example.com"], AllowedMethods=["GET", "PUT"], AllowedHeaders=["*"], MaxAgeSeconds=3000),
    dict(AllowedOrigins=["*"], AllowedMethods=["GET"]),
]
CORS_READ = [CORS_SENT[1], CORS_SENT[0]]

ARGS = dict(
    name=NAME,
    versioning="enabled",
    encryption=dict(algorithm="aws:kms", kms_key_id=KEY_ARN),
    public_access_block=ALL_BLOCKED_ARGS,
    object_ownership="BucketOwnerEnforced",
    deny_insecure_transport=True,
    lifecycle_rules=LIFECYCLE_ARGS,
    cors_rules=CORS_ARGS,
    logging=dict(target_bucket="acme-access-logs", target_prefix="acme-uploads/"),
    tags=dict(team="storage"),
)
KMS_ENCRYPTION = dict(
    Rules=[dict(ApplyServerSideEncryptionByDefault=dict(SSEAlgorithm="aws:kms", KMSMasterKeyID=KEY_ARN), BucketKeyEnabled=True)]
)
LOGGING = dict(TargetBucket="acme-access-logs", TargetPrefix="acme-uploads/")


class JsonOf:
    """Equal to a JSON document that decodes to ``value``, whatever its formatting and key order."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, str) and json.loads(other) == self.value

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(json.dumps(self.value, sort_keys=True))

    def __repr__(self):
        return "JsonOf({0!r})".format(self.value)


def policy_of(*statements):
    return dict(Version="2012-10-17", Statement=list(statements))


def s3(stubs):
    return stubs["s3"]


def expect_head(stubs, exists=True):
    if exists:
        s3(stubs).add_response("head_bucket", {}, BUCKET)
    else:
        s3(stubs).add_client_error(
            "head_bucket", service_error_code="404", service_message="Not Found", http_status_code=404, expected_params=BUCKET
        )


def expect_missing(stubs, operation, code):
    """A Get that answers "no such configuration"."""
    s3(stubs).add_client_error(
        operation, service_error_code=code, service_message="not found", http_status_code=404, expected_params=BUCKET
    )


def expect_versioning(stubs, status="Enabled"):
    s3(stubs).add_response("get_bucket_versioning", dict(Status=status) if status else {}, BUCKET)


def expect_encryption(stubs, config=None):
    s3(stubs).add_response("get_bucket_encryption", dict(ServerSideEncryptionConfiguration=config or KMS_ENCRYPTION), BUCKET)


def expect_public_access_block(stubs, config=None):
    if config is None:
        expect_missing(stubs, "get_public_access_block", "NoSuchPublicAccessBlockConfiguration")
    else:
        s3(stubs).add_response("get_public_access_block", dict(PublicAccessBlockConfiguration=config), BUCKET)


def expect_ownership(stubs, ownership="BucketOwnerEnforced"):
    controls = dict(Rules=[dict(ObjectOwnership=ownership)])
    s3(stubs).add_response("get_bucket_ownership_controls", dict(OwnershipControls=controls), BUCKET)


def expect_lifecycle(stubs, rules):
    if rules:
        s3(stubs).add_response("get_bucket_lifecycle_configuration", dict(Rules=rules), BUCKET)
    else:
        expect_missing(stubs, "get_bucket_lifecycle_configuration", "NoSuchLifecycleConfiguration")


def expect_cors(stubs, rules):
    if rules:
        s3(stubs).add_response("get_bucket_cors", dict(CORSRules=rules), BUCKET)
    else:
        expect_missing(stubs, "get_bucket_cors", "NoSuchCORSConfiguration")


def expect_logging(stubs, enabled=None):
    s3(stubs).add_response("get_bucket_logging", dict(LoggingEnabled=enabled) if enabled else {}, BUCKET)


def expect_tags(stubs, tags):
    if tags:
        tag_set = [dict(Key=k, Value=v) for k, v in tags.items()]
        s3(stubs).add_response("get_bucket_tagging", dict(TagSet=tag_set), BUCKET)
    else:
        expect_missing(stubs, "get_bucket_tagging", "NoSuchTagSet")


def expect_policy(stubs, policy):
    if policy:
        s3(stubs).add_response("get_bucket_policy", dict(Policy=json.dumps(policy)), BUCKET)
    else:
        expect_missing(stubs, "get_bucket_policy", "NoSuchBucketPolicy")


def expect_write(stubs, operation, **params):
    s3(stubs).add_response(operation, {}, dict(BUCKET, **params))


def expect_all_reads_in_sync(stubs):
    """One Get per setting of ARGS, each answering what ARGS asks for (in the order the module reads)."""
    expect_versioning(stubs)
    expect_encryption(stubs)
    expect_public_access_block(stubs, ALL_BLOCKED)
    expect_ownership(stubs)
    expect_lifecycle(stubs, LIFECYCLE_READ)
    expect_cors(stubs, CORS_READ)
    expect_logging(stubs, LOGGING)
    expect_tags(stubs, dict(team="storage"))
    expect_policy(stubs, policy_of(TLS_ONLY))


def expect_writes_of_a_new_bucket(stubs):
    """The writes ARGS needs on a new bucket: every setting but the ownership that CreateBucket set."""
    expect_write(stubs, "put_public_access_block", PublicAccessBlockConfiguration=ALL_BLOCKED)
    expect_write(stubs, "put_bucket_versioning", VersioningConfiguration=dict(Status="Enabled"))
    expect_write(stubs, "put_bucket_encryption", ServerSideEncryptionConfiguration=KMS_ENCRYPTION)
    expect_write(stubs, "put_bucket_policy", Policy=JsonOf(policy_of(TLS_ONLY)))
    expect_write(stubs, "put_bucket_lifecycle_configuration", LifecycleConfiguration=dict(Rules=LIFECYCLE_SENT))
    expect_write(stubs, "put_bucket_cors", CORSConfiguration=dict(CORSRules=CORS_SENT))
    expect_write(stubs, "put_bucket_logging", BucketLoggingStatus=dict(LoggingEnabled=LOGGING))
    expect_write(stubs, "put_bucket_tagging", Tagging=dict(TagSet=[dict(Key="team", Value="storage")]))


@pytest.fixture
def region(monkeypatch):
    """Set the region the module runs in (the run_module fixture always passes us-east-1)."""

    def use(name):
        monkeypatch.setattr(AnsibleAWSModule, "region", property(lambda self: name))

    return use


# ---------------------------------------------------------------------------------------------
# Creating
# ---------------------------------------------------------------------------------------------


def expect_key(stubs, state="Enabled"):
    """One KMS DescribeKey of the default encryption key; ``state`` None: the key does not exist."""
    if state is None:
        stubs["kms"].add_client_error("describe_key", "NotFoundException", expected_params=dict(KeyId=KEY_ARN))
        return
    metadata = dict(KeyId=KEY_ARN.rsplit("/", 1)[1], Arn=KEY_ARN, KeyState=state, Enabled=state == "Enabled")
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=metadata), dict(KeyId=KEY_ARN))


def test_create_in_us_east_1_sends_no_location_and_writes_only_what_differs_from_a_new_bucket(stubs, run_module):
    expect_head(stubs, exists=False)
    expect_key(stubs)
    s3(stubs).add_response("create_bucket", dict(Location="/" + NAME), dict(BUCKET, ObjectOwnership="BucketOwnerEnforced"))
    expect_writes_of_a_new_bucket(stubs)
    result = run_module(s3_bucket, ARGS, diff=True)
    assert result["changed"] is True
    bucket = result["bucket"]
    assert bucket["name"] == NAME and bucket["arn"] == ARN
    assert bucket["versioning"] == "enabled"
    assert bucket["object_ownership"] == "BucketOwnerEnforced"
    assert bucket["public_access_block"] == ALL_BLOCKED_ARGS
    assert bucket["policy"] == policy_of(TLS_ONLY)
    assert bucket["tags"] == dict(team="storage")
    assert result["diff"]["before"]["bucket"] is None
    assert result["diff"]["after"]["bucket"] == dict(name=NAME, state="present")
    assert result["diff"]["after"]["public_access_block"] == ALL_BLOCKED_ARGS
    assert "object_ownership" not in result["diff"]["after"]


def test_create_in_another_region_sends_the_location_constraint(stubs, run_module, region):
    region("eu-west-1")
    expect_head(stubs, exists=False)
    s3(stubs).add_response(
        "create_bucket",
        dict(Location="http://acme-uploads.s3.amazonaws.com/"),
        dict(BUCKET, CreateBucketConfiguration=dict(LocationConstraint="eu-west-1"), ObjectOwnership="ObjectWriter"),
    )
    # ObjectWriter is set by CreateBucket itself: no PutBucketOwnershipControls follows.
    result = run_module(s3_bucket, dict(name=NAME, object_ownership="ObjectWriter"))
    assert result["changed"] is True
    assert result["bucket"]["object_ownership"] == "ObjectWriter"


def test_create_writes_encryption_and_public_access_block_instead_of_assuming_them(stubs, run_module):
    expect_head(stubs, exists=False)
    s3(stubs).add_response("create_bucket", dict(Location="/" + NAME), BUCKET)
    expect_write(stubs, "put_public_access_block", PublicAccessBlockConfiguration=ALL_BLOCKED)
    expect_write(
        stubs,
        "put_bucket_encryption",
        ServerSideEncryptionConfiguration=dict(
            Rules=[dict(ApplyServerSideEncryptionByDefault=dict(SSEAlgorithm="AES256"), BucketKeyEnabled=False)]
        ),
    )
    args = dict(
        name=NAME,
        encryption=dict(algorithm="AES256"),
        public_access_block=ALL_BLOCKED_ARGS,
        lifecycle_rules=[],
        cors_rules=[],
        logging=dict(enabled=False),
        tags={},
        deny_insecure_transport=False,
    )
    result = run_module(s3_bucket, args, diff=True)
    assert result["changed"] is True
    assert sorted(result["diff"]["after"]) == ["bucket", "encryption", "public_access_block"]
    assert result["bucket"]["encryption"] == dict(algorithm="AES256", kms_key_id=None, bucket_key_enabled=False)


def test_create_with_a_different_public_access_block_writes_all_four_switches(stubs, run_module):
    expect_head(stubs, exists=False)
    s3(stubs).add_response("create_bucket", dict(Location="/" + NAME), BUCKET)
    expect_write(
        stubs,
        "put_public_access_block",
        PublicAccessBlockConfiguration=dict(ALL_BLOCKED, BlockPublicPolicy=False, RestrictPublicBuckets=False),
    )
    args = dict(name=NAME, public_access_block=dict(block_public_policy=False, restrict_public_buckets=False))
    assert run_module(s3_bucket, args)["changed"] is True


def test_bucket_name_taken_by_another_account_fails_clearly(stubs, run_module):
    expect_head(stubs, exists=False)
    s3(stubs).add_client_error(
        "create_bucket", service_error_code="BucketAlreadyExists", http_status_code=409, expected_params=BUCKET
    )
    result = run_module(s3_bucket, dict(name=NAME), expect_failure=True)
    assert result["msg"] == "Bucket name acme-uploads is taken by another AWS account."


def test_the_bucket_another_run_created_meanwhile_is_read_and_kept(stubs, run_module):
    """Both runs found no bucket; S3 answers the second CreateBucket with BucketAlreadyOwnedByYou."""
    expect_head(stubs, exists=False)
    expect_key(stubs)
    s3(stubs).add_client_error(
        "create_bucket", service_error_code="BucketAlreadyOwnedByYou", http_status_code=409,
        expected_params=dict(BUCKET, ObjectOwnership="BucketOwnerEnforced"),
    )
    expect_all_reads_in_sync(stubs)
    result = run_module(s3_bucket, ARGS)
    assert result["changed"] is True
    assert result["bucket"]["versioning"] == "enabled"


@pytest.mark.parametrize("state, message", [
    (None, "encryption.kms_key_id: KMS key {0} was not found; the key must exist and be Enabled.".format(KEY_ARN)),
    ("Disabled", "encryption.kms_key_id: KMS key {0} is Disabled; the key must be Enabled.".format(KEY_ARN)),
])
def test_create_with_an_encryption_key_that_cannot_be_used_is_refused_before_createbucket(stubs, run_module, state, message):
    expect_head(stubs, exists=False)
    expect_key(stubs, state)
    result = run_module(s3_bucket, ARGS, expect_failure=True)
    assert result["msg"] == message


def test_encryption_change_to_a_missing_key_is_refused_before_any_write(stubs, run_module):
    expect_head(stubs)
    s3(stubs).add_response("get_bucket_versioning", dict(Status="Suspended"), BUCKET)
    s3(stubs).add_response("get_bucket_encryption", dict(ServerSideEncryptionConfiguration=dict(
        Rules=[dict(ApplyServerSideEncryptionByDefault=dict(SSEAlgorithm="AES256"))])), BUCKET)
    expect_key(stubs, None)
    args = dict(name=NAME, versioning="enabled", encryption=dict(algorithm="aws:kms", kms_key_id=KEY_ARN))
    result = run_module(s3_bucket, args, expect_failure=True)
    assert "was not found" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Existing buckets
# ---------------------------------------------------------------------------------------------


def test_no_change_run_reads_each_managed_setting_once_and_writes_nothing(stubs, run_module):
    expect_head(stubs)
    expect_all_reads_in_sync(stubs)
    result = run_module(s3_bucket, ARGS, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})
    assert result["bucket"]["encryption"] == dict(algorithm="aws:kms", kms_key_id=KEY_ARN, bucket_key_enabled=True)
    assert result["bucket"]["logging"] == dict(enabled=True, target_bucket="acme-access-logs", target_prefix="acme-uploads/")


def test_settings_not_given_are_neither_read_nor_written(stubs, run_module):
    expect_head(stubs)
    result = run_module(s3_bucket, dict(name=NAME))
    assert result["changed"] is False
    assert result["bucket"] == dict(name=NAME, arn=ARN)


def test_only_the_given_setting_is_read(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs)
    result = run_module(s3_bucket, dict(name=NAME, versioning="enabled"))
    assert result["changed"] is False
    assert result["bucket"] == dict(name=NAME, arn=ARN, versioning="enabled")


def test_drift_is_put_back_by_one_write_each_and_shown_in_the_diff(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs, "Suspended")
    expect_public_access_block(stubs, None)
    expect_tags(stubs, dict(team="someone-else", extra="x"))
    expect_policy(stubs, None)
    # Writes go in the module's order: public access block, versioning, policy, tags.
    expect_write(stubs, "put_public_access_block", PublicAccessBlockConfiguration=ALL_BLOCKED)
    expect_write(stubs, "put_bucket_versioning", VersioningConfiguration=dict(Status="Enabled"))
    expect_write(stubs, "put_bucket_policy", Policy=JsonOf(policy_of(TLS_ONLY)))
    expect_write(stubs, "put_bucket_tagging", Tagging=dict(TagSet=[dict(Key="team", Value="storage")]))
    args = dict(
        name=NAME,
        versioning="enabled",
        public_access_block=ALL_BLOCKED_ARGS,
        deny_insecure_transport=True,
        tags=dict(team="storage"),
    )
    result = run_module(s3_bucket, args, diff=True)
    assert result["changed"] is True
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before == dict(
        versioning="suspended",
        public_access_block=dict((k, False) for k in ALL_BLOCKED_ARGS),
        policy=None,
        tags=dict(team="someone-else", extra="x"),
    )
    assert after == dict(
        versioning="enabled",
        public_access_block=ALL_BLOCKED_ARGS,
        policy=policy_of(TLS_ONLY),
        tags=dict(team="storage"),
    )


def test_public_access_block_keeps_the_switches_not_given(stubs, run_module):
    expect_head(stubs)
    expect_public_access_block(stubs, dict(ALL_BLOCKED, BlockPublicPolicy=False))
    expect_write(
        stubs, "put_public_access_block", PublicAccessBlockConfiguration=dict(ALL_BLOCKED, BlockPublicPolicy=False, BlockPublicAcls=False)
    )
    result = run_module(s3_bucket, dict(name=NAME, public_access_block=dict(block_public_acls=False)))
    assert result["changed"] is True


def test_encryption_change_to_sse_s3_drops_the_key_and_bucket_key(stubs, run_module):
    expect_head(stubs)
    expect_encryption(stubs)
    expect_write(
        stubs,
        "put_bucket_encryption",
        ServerSideEncryptionConfiguration=dict(
            Rules=[dict(ApplyServerSideEncryptionByDefault=dict(SSEAlgorithm="AES256"), BucketKeyEnabled=False)]
        ),
    )
    result = run_module(s3_bucket, dict(name=NAME, encryption=dict(algorithm="AES256")))
    assert result["changed"] is True


def test_object_ownership_drift_is_one_put(stubs, run_module):
    expect_head(stubs)
    expect_ownership(stubs, "ObjectWriter")
    expect_write(stubs, "put_bucket_ownership_controls", OwnershipControls=dict(Rules=[dict(ObjectOwnership="BucketOwnerEnforced")]))
    assert run_module(s3_bucket, dict(name=NAME, object_ownership="BucketOwnerEnforced"))["changed"] is True


def test_an_extra_tag_is_purged(stubs, run_module):
    expect_head(stubs)
    expect_tags(stubs, dict(team="storage", extra="x"))
    expect_write(stubs, "put_bucket_tagging", Tagging=dict(TagSet=[dict(Key="team", Value="storage")]))
    result = run_module(s3_bucket, dict(name=NAME, tags=dict(team="storage")), diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["tags"] == dict(team="storage")


def test_an_extra_tag_is_kept_without_purge_tags(stubs, run_module):
    expect_head(stubs)
    expect_tags(stubs, dict(team="storage", extra="x"))
    result = run_module(s3_bucket, dict(name=NAME, tags=dict(team="storage"), purge_tags=False))
    assert result["changed"] is False
    assert result["bucket"]["tags"] == dict(team="storage", extra="x")


def test_empty_tags_delete_the_tag_set(stubs, run_module):
    expect_head(stubs)
    expect_tags(stubs, dict(team="storage"))
    expect_write(stubs, "delete_bucket_tagging")
    assert run_module(s3_bucket, dict(name=NAME, tags={}))["changed"] is True


# ---------------------------------------------------------------------------------------------
# Policy and the TLS-only statement
# ---------------------------------------------------------------------------------------------


def test_deny_insecure_transport_keeps_the_other_statements_of_the_current_policy(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, policy_of(READ_ONLY))
    expect_write(stubs, "put_bucket_policy", Policy=JsonOf(policy_of(READ_ONLY, TLS_ONLY)))
    result = run_module(s3_bucket, dict(name=NAME, deny_insecure_transport=True))
    assert result["changed"] is True
    assert result["bucket"]["policy"] == policy_of(READ_ONLY, TLS_ONLY)


def test_deny_insecure_transport_already_there_is_no_change(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, policy_of(TLS_ONLY, READ_ONLY))
    assert run_module(s3_bucket, dict(name=NAME, deny_insecure_transport=True))["changed"] is False


def test_deny_insecure_transport_false_removes_only_that_statement(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, policy_of(TLS_ONLY, READ_ONLY))
    expect_write(stubs, "put_bucket_policy", Policy=JsonOf(policy_of(READ_ONLY)))
    assert run_module(s3_bucket, dict(name=NAME, deny_insecure_transport=False))["changed"] is True


def test_deny_insecure_transport_false_deletes_a_policy_left_empty(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, policy_of(TLS_ONLY))
    expect_write(stubs, "delete_bucket_policy")
    result = run_module(s3_bucket, dict(name=NAME, deny_insecure_transport=False), diff=True)
    assert result["changed"] is True
    assert result["diff"] == dict(before=dict(policy=policy_of(TLS_ONLY)), after=dict(policy={}))


def test_deny_insecure_transport_false_without_a_policy_is_no_change(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, None)
    assert run_module(s3_bucket, dict(name=NAME, deny_insecure_transport=False))["changed"] is False


def test_given_policy_replaces_the_current_one_and_gets_the_tls_statement(stubs, run_module):
    expect_head(stubs)
    other = dict(READ_ONLY, Sid="SomeoneElse")
    expect_policy(stubs, policy_of(other, TLS_ONLY))
    expect_write(stubs, "put_bucket_policy", Policy=JsonOf(policy_of(READ_ONLY, TLS_ONLY)))
    args = dict(name=NAME, policy=json.dumps(policy_of(READ_ONLY)), deny_insecure_transport=True)
    assert run_module(s3_bucket, args)["changed"] is True


def test_given_policy_equal_to_the_current_one_in_another_order_is_no_change(stubs, run_module):
    expect_head(stubs)
    expect_policy(stubs, policy_of(TLS_ONLY, READ_ONLY))
    args = dict(name=NAME, policy=policy_of(READ_ONLY, TLS_ONLY))
    assert run_module(s3_bucket, args)["changed"] is False


# ---------------------------------------------------------------------------------------------
# Lifecycle and CORS rules
# ---------------------------------------------------------------------------------------------


def test_rules_compare_regardless_of_order_and_of_empty_filters(stubs, run_module):
    expect_head(stubs)
    legacy = [dict(rule, Prefix="") for rule in LIFECYCLE_READ]  # older buckets also answer an empty Prefix
    expect_lifecycle(stubs, legacy)
    expect_cors(stubs, CORS_READ)
    result = run_module(s3_bucket, dict(name=NAME, lifecycle_rules=LIFECYCLE_ARGS, cors_rules=CORS_ARGS))
    assert result["changed"] is False
    assert result["bucket"]["lifecycle_rules"] == legacy


def test_a_lifecycle_rule_change_is_one_put_of_the_whole_configuration(stubs, run_module):
    expect_head(stubs)
    expect_lifecycle(stubs, LIFECYCLE_READ)
    rules = [dict(LIFECYCLE_ARGS[0], noncurrent_version_expiration_days=30), LIFECYCLE_ARGS[1]]
    sent = [dict(LIFECYCLE_SENT[0], NoncurrentVersionExpiration=dict(NoncurrentDays=30)), LIFECYCLE_SENT[1]]
    expect_write(stubs, "put_bucket_lifecycle_configuration", LifecycleConfiguration=dict(Rules=sent))
    result = run_module(s3_bucket, dict(name=NAME, lifecycle_rules=rules), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["lifecycle_rules"] == LIFECYCLE_READ
    assert result["diff"]["after"]["lifecycle_rules"] == sent


def test_every_lifecycle_option_is_sent(stubs, run_module):
    expect_head(stubs)
    expect_lifecycle(stubs, [])
    rule = dict(
        id="all",
        status="disabled",
        prefix="logs/",
        expiration_days=365,
        transitions=[dict(days=30, storage_class="GLACIER_IR")],
        noncurrent_version_transitions=[dict(days=7, storage_class="GLACIER")],
        noncurrent_version_expiration_days=60,
        noncurrent_versions_to_keep=3,
        abort_incomplete_multipart_upload_days=2,
    )
    sent = dict(
        ID="all",
        Status="Disabled",
        Filter=dict(Prefix="logs/"),
        Expiration=dict(Days=365),
        Transitions=[dict(Days=30, StorageClass="GLACIER_IR")],
        NoncurrentVersionTransitions=[dict(NoncurrentDays=7, StorageClass="GLACIER")],
        NoncurrentVersionExpiration=dict(NoncurrentDays=60, NewerNoncurrentVersions=3),
        AbortIncompleteMultipartUpload=dict(DaysAfterInitiation=2),
    )
    expect_write(stubs, "put_bucket_lifecycle_configuration", LifecycleConfiguration=dict(Rules=[sent]))
    assert run_module(s3_bucket, dict(name=NAME, lifecycle_rules=[rule]))["changed"] is True


def test_a_cors_rule_change_is_one_put(stubs, run_module):
    expect_head(stubs)
    expect_cors(stubs, CORS_READ)
    expect_write(stubs, "put_bucket_cors", CORSConfiguration=dict(CORSRules=CORS_SENT[:1]))
    assert run_module(s3_bucket, dict(name=NAME, cors_rules=CORS_ARGS[:1]))["changed"] is True


def test_empty_rule_lists_delete_the_configurations(stubs, run_module):
    expect_head(stubs)
    expect_lifecycle(stubs, LIFECYCLE_READ)
    expect_cors(stubs, CORS_READ)
    expect_write(stubs, "delete_bucket_lifecycle")
    expect_write(stubs, "delete_bucket_cors")
    result = run_module(s3_bucket, dict(name=NAME, lifecycle_rules=[], cors_rules=[]), diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"] == dict(lifecycle_rules=[], cors_rules=[])


def test_empty_rule_lists_on_a_bucket_without_rules_are_no_change(stubs, run_module):
    expect_head(stubs)
    expect_lifecycle(stubs, [])
    expect_cors(stubs, [])
    assert run_module(s3_bucket, dict(name=NAME, lifecycle_rules=[], cors_rules=[]))["changed"] is False


# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------


def test_logging_is_enabled(stubs, run_module):
    expect_head(stubs)
    expect_logging(stubs, None)
    expect_write(stubs, "put_bucket_logging", BucketLoggingStatus=dict(LoggingEnabled=LOGGING))
    result = run_module(s3_bucket, dict(name=NAME, logging=ARGS["logging"]), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["logging"] == dict(enabled=False)


def test_logging_target_change_is_one_put(stubs, run_module):
    expect_head(stubs)
    expect_logging(stubs, dict(LOGGING, TargetPrefix="old/"))
    expect_write(stubs, "put_bucket_logging", BucketLoggingStatus=dict(LoggingEnabled=LOGGING))
    assert run_module(s3_bucket, dict(name=NAME, logging=ARGS["logging"]))["changed"] is True


def test_logging_is_disabled(stubs, run_module):
    expect_head(stubs)
    expect_logging(stubs, LOGGING)
    expect_write(stubs, "put_bucket_logging", BucketLoggingStatus={})
    result = run_module(s3_bucket, dict(name=NAME, logging=dict(enabled=False)))
    assert result["changed"] is True
    assert result["bucket"]["logging"] == dict(enabled=False)


def test_logging_already_disabled_is_no_change(stubs, run_module):
    expect_head(stubs)
    expect_logging(stubs, None)
    assert run_module(s3_bucket, dict(name=NAME, logging=dict(enabled=False)))["changed"] is False


# ---------------------------------------------------------------------------------------------
# Check mode
# ---------------------------------------------------------------------------------------------


def test_check_mode_create_makes_no_write_and_predicts_the_bucket(stubs, run_module):
    expect_head(stubs, exists=False)
    expect_key(stubs)
    result = run_module(s3_bucket, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["bucket"] == dict(name=NAME, state="present")
    assert result["diff"]["after"]["versioning"] == "enabled"
    assert result["bucket"]["lifecycle_rules"] == LIFECYCLE_SENT
    assert result["bucket"]["policy"] == policy_of(TLS_ONLY)


def test_check_mode_drift_only_reads_and_predicts_the_change(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs, "Suspended")
    expect_policy(stubs, policy_of(READ_ONLY))
    args = dict(name=NAME, versioning="enabled", deny_insecure_transport=True)
    result = run_module(s3_bucket, args, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"] == dict(versioning="suspended", policy=policy_of(READ_ONLY))
    assert result["bucket"]["policy"] == policy_of(READ_ONLY, TLS_ONLY)


# ---------------------------------------------------------------------------------------------
# state=absent
# ---------------------------------------------------------------------------------------------


def expect_sample(stubs, versions=(), markers=()):
    page = dict(Versions=[version(key) for key in versions], DeleteMarkers=[version(key, "m") for key in markers])
    s3(stubs).add_response("list_object_versions", page, dict(BUCKET, MaxKeys=1))


def version(key, kind="v"):
    return dict(Key=key, VersionId="{0}-{1}".format(kind, key))


def test_absent_bucket_that_does_not_exist_is_unchanged(stubs, run_module):
    expect_head(stubs, exists=False)
    result = run_module(s3_bucket, dict(name=NAME, state="absent"), diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_absent_refuses_a_bucket_with_objects_without_force(stubs, run_module):
    expect_head(stubs)
    expect_sample(stubs, versions=["a.txt"])
    result = run_module(s3_bucket, dict(name=NAME, state="absent"), expect_failure=True)
    assert result["msg"] == "Bucket acme-uploads is not empty; set force=true to delete it with all its objects."


def test_absent_refuses_a_bucket_holding_only_delete_markers_without_force(stubs, run_module):
    expect_head(stubs)
    expect_sample(stubs, markers=["gone.txt"])
    result = run_module(s3_bucket, dict(name=NAME, state="absent"), expect_failure=True)
    assert "not empty" in result["msg"]


def test_absent_deletes_an_empty_bucket(stubs, run_module):
    expect_head(stubs)
    expect_sample(stubs)
    expect_write(stubs, "delete_bucket")
    result = run_module(s3_bucket, dict(name=NAME, state="absent"), diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["bucket"] == dict(name=NAME, state="absent")


def test_absent_with_force_deletes_every_version_and_marker_in_batches_then_the_bucket(stubs, run_module):
    expect_head(stubs)
    expect_sample(stubs, versions=["k0000"])
    first_versions = ["k{0:04d}".format(i) for i in range(900)]
    first_markers = ["m{0:04d}".format(i) for i in range(50)]
    second_versions = ["k{0:04d}".format(i) for i in range(900, 1000)]
    second_markers = ["m{0:04d}".format(i) for i in range(50, 80)]
    s3(stubs).add_response(
        "list_object_versions",
        dict(
            IsTruncated=True,
            NextKeyMarker="k0899",
            NextVersionIdMarker="v-k0899",
            Versions=[version(k) for k in first_versions],
            DeleteMarkers=[version(k, "m") for k in first_markers],
        ),
        BUCKET,
    )
    s3(stubs).add_response(
        "list_object_versions",
        dict(
            IsTruncated=False,
            Versions=[version(k) for k in second_versions],
            DeleteMarkers=[version(k, "m") for k in second_markers],
        ),
        dict(BUCKET, KeyMarker="k0899", VersionIdMarker="v-k0899"),
    )
    everything = (
        [version(k) for k in first_versions]
        + [version(k, "m") for k in first_markers]
        + [version(k) for k in second_versions]
        + [version(k, "m") for k in second_markers]
    )
    assert len(everything) == 1080
    expect_write(stubs, "delete_objects", Delete=dict(Objects=everything[:1000], Quiet=True))
    expect_write(stubs, "delete_objects", Delete=dict(Objects=everything[1000:], Quiet=True))
    expect_write(stubs, "delete_bucket")
    result = run_module(s3_bucket, dict(name=NAME, state="absent", force=True))
    assert result["changed"] is True
    assert result["bucket"] == {}


def test_absent_with_force_in_check_mode_only_reads(stubs, run_module):
    expect_head(stubs)
    expect_sample(stubs, versions=["a.txt"])
    result = run_module(s3_bucket, dict(name=NAME, state="absent", force=True), check_mode=True)
    assert result["changed"] is True


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(encryption=dict(algorithm="AES256", kms_key_id=KEY_ARN)), "encryption.kms_key_id needs algorithm aws:kms or aws:kms:dsse."),
        (
            dict(lifecycle_rules=[dict(id="x", expiration_days=1), dict(id="x", expiration_days=2)]),
            "lifecycle_rules ids must be unique.",
        ),
        (dict(lifecycle_rules=[dict(id="idle", prefix="tmp/")]), "Lifecycle rule idle has no action."),
        (
            dict(lifecycle_rules=[dict(id="keep", noncurrent_versions_to_keep=3, expiration_days=1)]),
            "Lifecycle rule keep: noncurrent_versions_to_keep needs noncurrent_version_expiration_days.",
        ),
        (dict(policy='{"Version": "2012-10-17", "Statement": ['), "policy is not valid JSON."),
        (
            dict(name="Bad_Bucket..Name"),
            "name: bucket name 'Bad_Bucket..Name' is not valid: a bucket name may hold only lowercase letters, digits, "
            "dots and hyphens, and must begin and end with a letter or digit.",
        ),
        (dict(name="ab"), "name: bucket name 'ab' is not valid: a bucket name must be 3 to 63 characters long."),
        (dict(name="a" * 64), "a bucket name must be 3 to 63 characters long."),
        (dict(name="acme..uploads"), "a bucket name must not contain two adjacent dots."),
        (dict(name="-acme"), "must begin and end with a letter or digit."),
        (dict(name="acme-"), "must begin and end with a letter or digit."),
        (dict(name="192.168.5.4"), "a bucket name must not be formatted as an IP address."),
        (dict(name="xn--acme"), "must not start with the reserved prefix xn--."),
        (dict(name="sthree-acme"), "must not start with the reserved prefix sthree-."),
        (dict(name="amzn-s3-demo-acme"), "must not start with the reserved prefix amzn-s3-demo-."),
        (dict(name="acme-s3alias"), "must not end with the reserved suffix -s3alias."),
        (dict(name="acme--ol-s3"), "must not end with the reserved suffix --ol-s3."),
        (dict(name="acme.mrap"), "must not end with the reserved suffix .mrap."),
        (dict(name="acme--x-s3"), "must not end with the reserved suffix --x-s3."),
        (
            dict(logging=dict(enabled=True, target_bucket="Logs_Bucket", target_prefix="")),
            "logging.target_bucket: bucket name 'Logs_Bucket' is not valid",
        ),
    ],
)
def test_inconsistent_options_fail_before_any_call(stubs, run_module, args, message):
    result = run_module(s3_bucket, dict(dict(name=NAME), **args), expect_failure=True)
    assert message in result["msg"]
    assert not stubs.clients


def test_access_denied_on_a_read_fails_cleanly(stubs, run_module):
    expect_head(stubs)
    s3(stubs).add_client_error(
        "get_bucket_versioning", service_error_code="AccessDenied", http_status_code=403, expected_params=BUCKET
    )
    result = run_module(s3_bucket, dict(name=NAME, versioning="enabled"), expect_failure=True)
    assert result["msg"].startswith("Failed to manage S3 bucket {0}: ".format(NAME))
    assert "(AccessDenied) when calling the GetBucketVersioning operation" in result["msg"]


# ---------------------------------------------------------------------------------------------
# Object Lock
# ---------------------------------------------------------------------------------------------

LOCKED = dict(name=NAME, versioning="enabled", object_lock=dict(days=30))
GOVERNANCE_30 = dict(ObjectLockEnabled="Enabled", Rule=dict(DefaultRetention=dict(Mode="GOVERNANCE", Days=30)))


def expect_object_lock(stubs, config=None):
    if config is None:
        expect_missing(stubs, "get_object_lock_configuration", "ObjectLockConfigurationNotFoundError")
    else:
        s3(stubs).add_response("get_object_lock_configuration", dict(ObjectLockConfiguration=config), BUCKET)


def test_create_with_object_lock_turns_it_on_in_create_bucket_and_writes_only_the_retention(stubs, run_module):
    expect_head(stubs, exists=False)
    s3(stubs).add_response("create_bucket", dict(Location="/" + NAME), dict(BUCKET, ObjectLockEnabledForBucket=True))
    # S3 enables versioning on a bucket created with Object Lock: no PutBucketVersioning.
    expect_write(stubs, "put_object_lock_configuration", ObjectLockConfiguration=GOVERNANCE_30)
    result = run_module(s3_bucket, LOCKED, diff=True)
    assert result["changed"] is True
    assert result["bucket"]["object_lock"] == dict(enabled=True, mode="GOVERNANCE", days=30, years=None)
    assert result["diff"]["after"]["object_lock"] == dict(enabled=True, mode="GOVERNANCE", days=30, years=None)


def test_create_with_object_lock_and_no_retention_makes_one_call(stubs, run_module):
    expect_head(stubs, exists=False)
    s3(stubs).add_response("create_bucket", dict(Location="/" + NAME), dict(BUCKET, ObjectLockEnabledForBucket=True))
    result = run_module(s3_bucket, dict(name=NAME, versioning="enabled", object_lock=dict(enabled=True)))
    assert result["changed"] is True
    assert result["bucket"]["object_lock"] == dict(enabled=True, mode=None, days=None, years=None)


def test_object_lock_in_sync_is_read_once_and_not_written(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_object_lock(stubs, GOVERNANCE_30)
    result = run_module(s3_bucket, LOCKED, diff=True)
    assert result["changed"] is False
    assert "diff" not in result or not result["diff"].get("after")


def test_object_lock_on_an_existing_versioned_bucket_is_put_after_versioning(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs, None)
    expect_object_lock(stubs, None)
    expect_write(stubs, "put_bucket_versioning", VersioningConfiguration=dict(Status="Enabled"))
    compliance = dict(ObjectLockEnabled="Enabled", Rule=dict(DefaultRetention=dict(Mode="COMPLIANCE", Years=1)))
    expect_write(stubs, "put_object_lock_configuration", ObjectLockConfiguration=compliance)
    args = dict(name=NAME, versioning="enabled", object_lock=dict(mode="COMPLIANCE", years=1))
    result = run_module(s3_bucket, args, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["object_lock"] == dict(enabled=False)


def test_object_lock_retention_change_in_check_mode_only_reads(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_object_lock(stubs, dict(ObjectLockEnabled="Enabled", Rule=dict(DefaultRetention=dict(Mode="GOVERNANCE", Days=7))))
    result = run_module(s3_bucket, LOCKED, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["object_lock"]["days"] == 7
    assert result["diff"]["after"]["object_lock"]["days"] == 30


def test_object_lock_without_retention_removes_the_default_retention(stubs, run_module):
    expect_head(stubs)
    expect_versioning(stubs)
    expect_object_lock(stubs, GOVERNANCE_30)
    expect_write(stubs, "put_object_lock_configuration", ObjectLockConfiguration=dict(ObjectLockEnabled="Enabled"))
    result = run_module(s3_bucket, dict(name=NAME, versioning="enabled", object_lock={}))
    assert result["changed"] is True


def test_object_lock_is_never_turned_off(stubs, run_module):
    expect_head(stubs)
    expect_object_lock(stubs, GOVERNANCE_30)
    result = run_module(s3_bucket, dict(name=NAME, object_lock=dict(enabled=False)), expect_failure=True)
    assert "has Object Lock enabled, which can never be disabled" in result["msg"]


def test_object_lock_off_on_a_bucket_without_it_changes_nothing(stubs, run_module):
    expect_head(stubs)
    expect_object_lock(stubs, None)
    assert run_module(s3_bucket, dict(name=NAME, object_lock=dict(enabled=False)))["changed"] is False


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(versioning="enabled", object_lock=dict(mode="COMPLIANCE")), "mode COMPLIANCE needs an explicit retention"),
        (dict(object_lock=dict(days=30)), "object_lock needs versioning: enabled"),
        (dict(versioning="suspended", object_lock=dict(days=30)), "object_lock needs versioning: enabled"),
        (dict(versioning="enabled", object_lock=dict(days=0)), "must be a positive number"),
        (dict(versioning="enabled", object_lock=dict(days=1, years=1)), "mutually exclusive"),
    ],
)
def test_bad_object_lock_is_refused_before_any_call(stubs, run_module, args, message):
    result = run_module(s3_bucket, dict(args, name=NAME), expect_failure=True)
    assert message in result["msg"]
