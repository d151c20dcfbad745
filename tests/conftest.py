"""Shared pytest fixtures.

The local AWS endpoint (the storagekit-local-aws package in local_aws/, installed in the venv)
starts only when a test asks for `local_aws`, `aws` or `boto3_client`, so test directories that
do not use it pay nothing.
"""

# pylint: disable=unused-import
from storagekit_local_aws.pytest_fixtures import aws, boto3_client, local_aws  # noqa: F401
