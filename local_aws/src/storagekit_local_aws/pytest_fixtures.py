"""pytest fixtures for tests against the local AWS endpoint.

A conftest.py imports them by name, so the endpoint starts only when a test asks for `local_aws`,
`aws` or `boto3_client`:

    from storagekit_local_aws.pytest_fixtures import aws, boto3_client, local_aws  # noqa: F401

Needs pytest (the package's `test` extra); the endpoint itself does not.
"""

import os
from urllib.parse import urlparse

import pytest

from .server import LocalAWS

# Settings that could point a client at a real account or at another endpoint.
_AWS_ENV_REMOVED = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CA_BUNDLE", "AWS_URL", "EC2_URL",
    "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS",
)


def assert_local(url):
    """Tests must never reach real AWS: the endpoint has to be 127.0.0.1."""
    assert urlparse(url).hostname == "127.0.0.1", f"not a local endpoint: {url}"


@pytest.fixture(scope="session")
def local_aws():
    """The local AWS endpoint for the whole test session, with AWS_* env pointing at it."""
    with LocalAWS() as endpoint, pytest.MonkeyPatch.context() as env:
        assert_local(endpoint.url)
        for name in list(os.environ):
            if name in _AWS_ENV_REMOVED or name.startswith("AWS_ENDPOINT_URL_"):
                env.delenv(name)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_REGION", "us-east-1")
        env.setenv("AWS_ENDPOINT_URL", endpoint.url)
        env.setenv("AWS_CONFIG_FILE", os.devnull)
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield endpoint


@pytest.fixture
def aws(local_aws):  # pylint: disable=redefined-outer-name
    """The endpoint with fresh state: moto, extensions, latency timers, request log, settings."""
    local_aws.reset()
    local_aws.configure(**local_aws.startup_settings)
    return local_aws


@pytest.fixture
def boto3_client(aws):  # pylint: disable=redefined-outer-name
    """Factory: boto3_client("dynamodb", attempts=1) -> a client bound to the endpoint.

    `attempts` is the total number of tries (1 = no retries); botocore's own "max_attempts"
    counts retries only, so {"max_attempts": 1} still retries once.
    """
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )

    def make(service, region_name="us-east-1", attempts=None, **kwargs):
        if attempts is not None:
            kwargs["config"] = Config(retries={"total_max_attempts": attempts})
        client = session.client(service, endpoint_url=aws.url, region_name=region_name, **kwargs)
        assert_local(client.meta.endpoint_url)
        return client

    return make
