# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Restoring an AWS Backup recovery point into a new resource, and removing that copy again.

StartRestoreJob takes the restore metadata of the resource type (keys AWS documents per type); the new resource
gets a name of our choosing, so it can be found, tagged, waited for and deleted by that name. One ``Kind`` per
resource type holds what differs: the service, the metadata keys, how the copy is found, tagged and deleted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.storagekit.aws.plugins.module_utils.reading import all_items
from ansible_collections.storagekit.aws.plugins.module_utils.reading import described
from ansible_collections.storagekit.aws.plugins.module_utils.reading import first_described

# Restore jobs end in one of these.
JOB_DONE = ("COMPLETED", "ABORTED", "FAILED")


def tag_list(tags):
    return [dict(Key=key, Value=value) for key, value in sorted(tags.items())]


def tag_dict(tags):
    return dict((tag["Key"], tag["Value"]) for tag in tags or [])


class Kind:
    """What a restore of one resource type needs; the defaults suit none, each type sets its own."""

    service = None
    name_key = None
    # Metadata every restore of the type gets: a new resource, never the original.
    fixed = {}
    first_delay = 1.0

    def key_metadata(self, kms_key_arn):
        return {}

    def find(self, client, name):
        """dict(arn, ready, tags, raw) of the resource called ``name``, or None."""
        raise NotImplementedError

    def find_source(self, client, name):
        return self.find(client, name)

    def like(self, client, found):
        """Metadata that makes the copy like the found source: its KMS key, for RDS also its network."""
        raise NotImplementedError

    def tag(self, client, found, tags):
        raise NotImplementedError

    def delete(self, client, found, name):
        raise NotImplementedError


class DynamoDBTable(Kind):
    service = "dynamodb"
    name_key = "targetTableName"

    def key_metadata(self, kms_key_arn):
        return dict(encryptionType="KMS", kmsMasterKeyArn=kms_key_arn)

    def find(self, client, name):
        table = described(client.describe_table, "Table", "ResourceNotFoundException", TableName=name)
        if table is None:
            return None
        tags = all_items(client.list_tags_of_resource, "Tags", ResourceArn=table["TableArn"])
        return dict(arn=table["TableArn"], ready=table["TableStatus"] == "ACTIVE", tags=tag_dict(tags), raw=table)

    def like(self, client, found):
        key = (found["raw"].get("SSEDescription") or {}).get("KMSMasterKeyArn")
        return self.key_metadata(key) if key else {}

    def tag(self, client, found, tags):
        client.tag_resource(aws_retry=True, ResourceArn=found["arn"], Tags=tag_list(tags))

    def delete(self, client, found, name):
        if found["raw"].get("DeletionProtectionEnabled"):
            client.update_table(aws_retry=True, TableName=name, DeletionProtectionEnabled=False)
        client.delete_table(aws_retry=True, TableName=name)


class RDSInstance(Kind):
    service = "rds"
    name_key = "DBInstanceIdentifier"
    # A scratch copy must be removable without a second step.
    fixed = dict(DeletionProtection="false")
    first_delay = 5.0

    def key_metadata(self, kms_key_arn):
        return dict(KmsKeyId=kms_key_arn)

    def find(self, client, name):
        instance = first_described(client.describe_db_instances, "DBInstances", "DBInstanceNotFound",
                                   DBInstanceIdentifier=name)
        if instance is None:
            return None
        return dict(arn=instance["DBInstanceArn"], ready=instance["DBInstanceStatus"] == "available",
                    tags=tag_dict(instance.get("TagList")), raw=instance)

    def like(self, client, found):
        db = found["raw"]
        metadata = dict(
            DBSubnetGroupName=(db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
            VpcSecurityGroupIds=sorted(g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])) or None,
            DBParameterGroupName=(db.get("DBParameterGroups") or [{}])[0].get("DBParameterGroupName"),
            DBInstanceClass=db.get("DBInstanceClass"),
            KmsKeyId=db.get("KmsKeyId"),
            # Its own RDS managed master secret, as the source has one; without it the copy has the snapshot's
            # password and no secret to read it from.
            ManageMasterUserPassword="true" if db.get("MasterUserSecret") else None,
        )
        return dict((k, v) for k, v in metadata.items() if v)

    def tag(self, client, found, tags):
        client.add_tags_to_resource(aws_retry=True, ResourceName=found["arn"], Tags=tag_list(tags))

    def delete(self, client, found, name):
        if found["raw"].get("DeletionProtection"):
            client.modify_db_instance(aws_retry=True, DBInstanceIdentifier=name, DeletionProtection=False,
                                      ApplyImmediately=True)
        if found["raw"]["DBInstanceStatus"] != "deleting":
            client.delete_db_instance(aws_retry=True, DBInstanceIdentifier=name, SkipFinalSnapshot=True,
                                      DeleteAutomatedBackups=True)


class S3Bucket(Kind):
    service = "s3"
    name_key = "DestinationBucketName"
    fixed = dict(NewBucket="true")

    def key_metadata(self, kms_key_arn):
        return dict(EncryptionType="SSE-KMS", KMSKey=kms_key_arn)

    def find(self, client, name):
        try:
            client.head_bucket(aws_retry=True, Bucket=name)
        except is_boto3_error_code(["404", "NoSuchBucket", "NotFound"]):
            return None
        try:
            tags = client.get_bucket_tagging(aws_retry=True, Bucket=name)["TagSet"]
        except is_boto3_error_code("NoSuchTagSet"):
            tags = []
        return dict(arn="arn:aws:s3:::" + name, ready=True, tags=tag_dict(tags), raw={})

    def like(self, client, found):
        name = found["arn"].split(":::", 1)[1]
        try:
            rules = client.get_bucket_encryption(aws_retry=True, Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
        except is_boto3_error_code("ServerSideEncryptionConfigurationNotFoundError"):
            return {}
        key = rules[0]["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID")
        return self.key_metadata(key) if key else {}

    def tag(self, client, found, tags):
        merged = dict(found["tags"], **tags)
        client.put_bucket_tagging(aws_retry=True, Bucket=found["arn"].split(":::", 1)[1], Tagging=dict(TagSet=tag_list(merged)))

    def delete(self, client, found, name):
        """Every version and delete marker first: a bucket holding any cannot be deleted."""
        while True:
            page = client.list_object_versions(aws_retry=True, Bucket=name, MaxKeys=1000)
            objects = [dict(Key=v["Key"], VersionId=v["VersionId"]) for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if not objects:
                break
            client.delete_objects(aws_retry=True, Bucket=name, Delete=dict(Objects=objects, Quiet=True))
        client.delete_bucket(aws_retry=True, Bucket=name)


class EFSFileSystem(Kind):
    service = "efs"
    name_key = "CreationToken"
    fixed = dict(newFileSystem="true")

    def key_metadata(self, kms_key_arn):
        return dict(Encrypted="true", KmsKeyId=kms_key_arn)

    def find(self, client, name):
        file_systems = client.describe_file_systems(aws_retry=True, CreationToken=name)["FileSystems"]
        if not file_systems:
            return None
        fs = file_systems[0]
        return dict(arn=fs["FileSystemArn"], ready=fs["LifeCycleState"] == "available", tags=tag_dict(fs.get("Tags")), raw=fs)

    def find_source(self, client, name):
        """A source file system is named by its id, a copy by its creation token."""
        fs = client.describe_file_systems(aws_retry=True, FileSystemId=name)["FileSystems"][0]
        return dict(arn=fs["FileSystemArn"], ready=True, tags=tag_dict(fs.get("Tags")), raw=fs)

    def like(self, client, found):
        fs = found["raw"]
        metadata = dict(PerformanceMode=fs.get("PerformanceMode"))
        if fs.get("KmsKeyId"):
            metadata.update(self.key_metadata(fs["KmsKeyId"]))
        return metadata

    def tag(self, client, found, tags):
        client.tag_resource(aws_retry=True, ResourceId=found["raw"]["FileSystemId"], Tags=tag_list(tags))

    def delete(self, client, found, name):
        fs_id = found["raw"]["FileSystemId"]
        for target in all_items(client.describe_mount_targets, "MountTargets", next_key="NextMarker", request_key="Marker",
                                FileSystemId=fs_id):
            client.delete_mount_target(aws_retry=True, MountTargetId=target["MountTargetId"])
        client.delete_file_system(aws_retry=True, FileSystemId=fs_id)


KINDS = dict(DynamoDB=DynamoDBTable(), RDS=RDSInstance(), S3=S3Bucket(), EFS=EFSFileSystem())


def idempotency_token(recovery_point_arn, target_name, tags):
    """The same restore asked twice (a retry after a lost answer) is one job on AWS's side. The tags are part of it:
    AWS answers a token it has seen with that job and starts nothing, so a later drill (another run's tag) into a
    name an earlier one used and removed needs a token of its own."""
    text = json.dumps([recovery_point_arn, target_name, sorted(tags.items())])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def restore_metadata(kind, backed_up, target_name, kms_key_arn=None, overrides=None, like_source=None):
    """The metadata of a restore into ``target_name``: what the point recorded, the type's fixed keys, what makes
    the copy like its source, the key, then the caller's overrides, all as strings as the API wants them."""
    metadata = dict(backed_up or {})
    metadata.update(kind.fixed)
    metadata.update(like_source or {})
    if kms_key_arn:
        metadata.update(kind.key_metadata(kms_key_arn))
    metadata.update(overrides or {})
    metadata[kind.name_key] = target_name
    return dict((key, metadata_value(value)) for key, value in metadata.items())


def metadata_value(value):
    """Restore metadata values are strings: booleans as ``true``/``false``, lists (security groups) as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def missing_tags(found, tags):
    """The tags of ``tags`` the found resource lacks or has with another value, as ``key=value`` strings."""
    return sorted("{0}={1}".format(k, v) for k, v in tags.items() if found["tags"].get(k) != v)
