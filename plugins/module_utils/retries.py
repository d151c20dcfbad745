# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The retries of every client of the collection's modules: throttling and server errors, jittered backoff.

amazon.aws's ``AWSRetry`` retries ``Throttling``, ``RequestLimitExceeded``, ``TooManyRequestsException``
and a few server error codes, the names of the query protocol services and EC2. The services our modules call
most answer throttling with other codes: ``ThrottlingException`` (DynamoDB, Application Auto Scaling, KMS,
Secrets Manager, ACM, EKS), ``SlowDown`` (S3), ``PriorRequestNotComplete`` (Route 53), and 5xx answers with
codes of their own (``InternalServerError``, ``ServiceUnavailableException``). Those calls got only botocore's
own attempts (3 in its default ``standard`` mode), and a run of a whole stack under throttling failed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# What AWS answers when it throttles a caller, and the transient server errors that go away on a retry.
RETRYABLE_CODES = frozenset(
    (
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "PriorRequestNotComplete",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "Unavailable",
    )
)
# Tries of one call when aws_config does not say: about a minute and a half of backoff in all.
DEFAULT_ATTEMPTS = 10
# Jittered backoff: a random sleep up to 1 s, 2 s, 4 s, ... 30 s before the next try.
DELAY = 1
MAX_DELAY = 30


class StorageKitRetry(AWSRetry):
    """AWSRetry that also retries the throttling codes of JSON, rest-json and S3 services and any HTTP 5xx."""

    @staticmethod
    def status_code_from_exception(error):
        return (error.response.get("Error", {}).get("Code"), error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        code, status = response_code
        return code in RETRYABLE_CODES or code in (catch_extra_error_codes or ()) or (status or 0) >= 500


def max_attempts(module):
    """Tries of one call: O(aws_config.retries.total_max_attempts), or O(aws_config.retries.max_attempts) + 1
    (botocore counts only the retries there), or DEFAULT_ATTEMPTS."""
    retries = (module.params.get("aws_config") or {}).get("retries") or {}
    if retries.get("total_max_attempts"):
        return int(retries["total_max_attempts"])
    if retries.get("max_attempts") is not None:
        return int(retries["max_attempts"]) + 1
    return DEFAULT_ATTEMPTS


def retry_decorator(module, catch_extra_error_codes=None):
    """The decorator of the module's clients, bounded by the module's aws_config; calls retry with aws_retry=True."""
    return StorageKitRetry.jittered_backoff(
        retries=max_attempts(module), delay=DELAY, max_delay=MAX_DELAY, catch_extra_error_codes=catch_extra_error_codes
    )


def aws_client(module, service, catch_extra_error_codes=None, **extra_params):
    """A client of ``service`` for ``module`` whose calls retry with retry_decorator(module)."""
    return module.client(service, retry_decorator=retry_decorator(module, catch_extra_error_codes), **extra_params)


def caller_account(module, given=None):
    """``given``, or the account of the module's credentials (one STS call)."""
    if given:
        return given
    return aws_client(module, "sts").get_caller_identity(aws_retry=True)["Account"]
