"""The endpoint's fixtures for its own tests: `local_aws` (session), `aws` (fresh state), `boto3_client`."""

# pylint: disable=unused-import
from storagekit_local_aws.pytest_fixtures import aws, boto3_client, local_aws  # noqa: F401
