"""backup_vault: one DescribeBackupVault a no-change run, the facets that differ written, recovery points kept."""

import datetime

from ansible_collections.storagekit.aws.plugins.modules import backup_vault

NAME = "storagekit"
ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:storagekit"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"
TOPIC = "arn:aws:sns:us-east-1:123456789012:backup-events"
EVENTS = sorted(backup_vault.DEFAULT_EVENTS)
POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:1"


def vault(**extra):
    found = dict(BackupVaultName=NAME, BackupVaultArn=ARN, EncryptionKeyArn=KEY, NumberOfRecoveryPoints=0, Locked=False)
    found.update(extra)
    return found


def expect_describe(stubs, found):
    if found is None:
        stubs["backup"].add_client_error("describe_backup_vault", "AccessDeniedException", http_status_code=403,
                                         expected_params=dict(BackupVaultName=NAME))
    else:
        stubs["backup"].add_response("describe_backup_vault", found, dict(BackupVaultName=NAME))


def expect_tags(stubs, tags):
    stubs["backup"].add_response("list_tags", dict(Tags=tags), dict(ResourceArn=ARN))


def expect_notifications(stubs, topic=None, events=None):
    if topic is None:
        stubs["backup"].add_client_error("get_backup_vault_notifications", "ResourceNotFoundException",
                                         http_status_code=404, expected_params=dict(BackupVaultName=NAME))
    else:
        stubs["backup"].add_response(
            "get_backup_vault_notifications",
            dict(BackupVaultName=NAME, BackupVaultArn=ARN, SNSTopicArn=topic, BackupVaultEvents=events),
            dict(BackupVaultName=NAME),
        )


FULL = dict(
    name=NAME,
    encryption_key_id=KEY,
    tags={"managed-by": "storagekit.aws"},
    lock=dict(min_retention_days=7, max_retention_days=400),
    notifications=dict(sns_topic_arn=TOPIC),
)


def test_create_writes_vault_lock_and_notifications_after_access_denied(stubs, run_module):
    expect_describe(stubs, None)
    stubs["backup"].add_response(
        "create_backup_vault",
        dict(BackupVaultName=NAME, BackupVaultArn=ARN),
        dict(BackupVaultName=NAME, EncryptionKeyArn=KEY, BackupVaultTags={"managed-by": "storagekit.aws"}),
    )
    stubs["kms"].add_response("describe_key", dict(KeyMetadata=dict(KeyId="k", Arn=KEY, KeyState="Enabled")), dict(KeyId=KEY))
    stubs["backup"].add_response("put_backup_vault_lock_configuration", {},
                                 dict(BackupVaultName=NAME, MinRetentionDays=7, MaxRetentionDays=400))
    stubs["backup"].add_response("put_backup_vault_notifications", {},
                                 dict(BackupVaultName=NAME, SNSTopicArn=TOPIC, BackupVaultEvents=EVENTS))
    result = run_module(backup_vault, FULL)
    assert result["changed"] is True
    assert result["vault"]["arn"] == ARN
    assert result["vault"]["lock"] == dict(mode="governance", min_retention_days=7, max_retention_days=400)
    assert result["vault"]["notifications"] == dict(sns_topic_arn=TOPIC, events=EVENTS)


def test_no_change_run_reads_vault_tags_and_notifications_only(stubs, run_module):
    expect_describe(stubs, vault(Locked=True, MinRetentionDays=7, MaxRetentionDays=400))
    expect_tags(stubs, {"managed-by": "storagekit.aws"})
    expect_notifications(stubs, TOPIC, list(reversed(EVENTS)))
    result = run_module(backup_vault, FULL, diff=True)
    assert result["changed"] is False
    assert result["diff"] == dict(before={}, after={})


def test_check_mode_predicts_lock_and_notifications_without_writing(stubs, run_module):
    expect_describe(stubs, vault())
    expect_tags(stubs, {"managed-by": "storagekit.aws", "old": "1"})
    expect_notifications(stubs)
    result = run_module(backup_vault, FULL, check_mode=True, diff=True)
    assert result["changed"] is True
    assert set(result["diff"]["after"]) == {"tags", "lock", "notifications"}
    assert result["vault"]["tags"] == {"managed-by": "storagekit.aws"}


def test_drift_is_put_back(stubs, run_module):
    expect_describe(stubs, vault(Locked=True, MinRetentionDays=1, MaxRetentionDays=400))
    expect_tags(stubs, {"managed-by": "storagekit.aws", "old": "1"})
    stubs["backup"].add_response("untag_resource", {}, dict(ResourceArn=ARN, TagKeyList=["old"]))
    stubs["backup"].add_response("put_backup_vault_lock_configuration", {},
                                 dict(BackupVaultName=NAME, MinRetentionDays=7, MaxRetentionDays=400))
    expect_notifications(stubs, TOPIC, ["BACKUP_JOB_STARTED"])
    stubs["backup"].add_response("put_backup_vault_notifications", {},
                                 dict(BackupVaultName=NAME, SNSTopicArn=TOPIC, BackupVaultEvents=EVENTS))
    result = run_module(backup_vault, FULL)
    assert result["changed"] is True


def test_compliance_lock_sends_changeable_for_days(stubs, run_module):
    expect_describe(stubs, vault())
    stubs["backup"].add_response(
        "put_backup_vault_lock_configuration", {},
        dict(BackupVaultName=NAME, MinRetentionDays=30, MaxRetentionDays=400, ChangeableForDays=3),
    )
    lock = dict(mode="compliance", min_retention_days=30, max_retention_days=400, changeable_for_days=3)
    result = run_module(backup_vault, dict(name=NAME, lock=lock))
    assert result["vault"]["lock"]["mode"] == "compliance"


def test_immutable_compliance_lock_is_refused_before_any_write(stubs, run_module):
    past = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    expect_describe(stubs, vault(Locked=True, MinRetentionDays=30, MaxRetentionDays=400, LockDate=past))
    result = run_module(backup_vault, dict(name=NAME, lock=dict(enabled=False)), expect_failure=True)
    assert "immutable" in result["msg"]


def test_another_key_is_refused(stubs, run_module):
    expect_describe(stubs, vault())
    result = run_module(backup_vault, dict(name=NAME, encryption_key_id=OTHER_KEY), expect_failure=True)
    assert "sets a vault's key when it creates the vault" in result["msg"]


def test_bad_options_are_refused_before_any_call(run_module):
    lock = dict(mode="compliance", min_retention_days=30)
    notifications = dict(sns_topic_arn=TOPIC, events=["BACKUP_JOB_FAILED"])
    result = run_module(backup_vault, dict(name=NAME, lock=lock, notifications=notifications), expect_failure=True)
    assert "compliance lock needs min_retention_days, max_retention_days and changeable_for_days" in result["msg"]
    assert "not BACKUP_JOB_FAILED" in result["msg"]


def test_absent_refuses_a_vault_with_recovery_points(stubs, run_module):
    expect_describe(stubs, vault(NumberOfRecoveryPoints=2))
    result = run_module(backup_vault, dict(name=NAME, state="absent"), expect_failure=True)
    assert "holds 2 recovery points" in result["msg"] and "delete_recovery_points=true" in result["msg"]


def test_absent_with_consent_deletes_points_then_vault(stubs, run_module):
    expect_describe(stubs, vault(NumberOfRecoveryPoints=1))
    stubs["backup"].add_response("list_recovery_points_by_backup_vault",
                                 dict(RecoveryPoints=[dict(RecoveryPointArn=POINT)]), dict(BackupVaultName=NAME))
    stubs["backup"].add_response("delete_recovery_point", {}, dict(BackupVaultName=NAME, RecoveryPointArn=POINT))
    stubs["backup"].add_response("delete_backup_vault", {}, dict(BackupVaultName=NAME))
    result = run_module(backup_vault, dict(name=NAME, state="absent", delete_recovery_points=True))
    assert result["changed"] is True and result["vault"] == {}


def test_absent_deletes_an_empty_vault_and_is_idempotent(stubs, run_module):
    expect_describe(stubs, vault())
    stubs["backup"].add_response("delete_backup_vault", {}, dict(BackupVaultName=NAME))
    assert run_module(backup_vault, dict(name=NAME, state="absent"))["changed"] is True
    expect_describe(stubs, None)
    assert run_module(backup_vault, dict(name=NAME, state="absent"))["changed"] is False
