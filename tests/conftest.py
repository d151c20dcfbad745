"""Shared pytest fixtures.

The local AWS endpoint (the storagekit-local-aws package in local_aws/, installed in the venv)
starts only when a test asks for `local_aws`, `aws` or `boto3_client`, so test directories that
do not use it pay nothing.
"""

from pathlib import Path

# pylint: disable=unused-import
from storagekit_local_aws.pytest_fixtures import aws, boto3_client, local_aws  # noqa: F401


# The slowest tests first (measured on a 2-core machine, longest first), so that the two xdist workers end together
# instead of one running a long playbook test alone at the end while the other idles. Each entry is a prefix of
# "path::test name"; within an entry, and for every test not named here, the collected order stays. A destroy test
# comes before the throttling test of the same playbook: they share an xdist group, and the throttling test compares
# with the stack the destroy test converged (tests/playbook_tests/conftest.py, converge_clean).
SLOWEST_FIRST = (
    "tests/playbook_tests/test_destroy.py::test_web_app_stack_",
    "tests/playbook_tests/test_throttling.py::test_converges_under_throttling_to_the_state_of_a_clean_run[web_app_stack]",
    "tests/playbook_tests/test_demo.py",
    "tests/build_tests/test_collection_install.py::test_eks_platform_storage_",
    "tests/build_tests/test_collection_install.py::test_reference_playbook_from_the_installed_copy[web_app_stack]",
    "tests/playbook_tests/test_destroy.py::test_serverless_app_",
    "tests/playbook_tests/test_throttling.py",
    "tests/build_tests/test_collection_install.py::test_reference_playbook_from_the_installed_copy[serverless_app]",
    "tests/playbook_tests/test_restore_drill.py",
    "tests/playbook_tests/test_guardrails.py::test_web_app_stack_overrides",
    "tests/build_tests/test_collection_install.py",
    "tests/playbook_tests/test_rds_failover.py",
    "tests/playbook_tests/test_bad_input.py",
    "tests/playbook_tests/test_residency.py",
    "tests/playbook_tests/",
    "tests/build_tests/",
    "local_aws/tests/",
)
REPO = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items):
    def rank(item):
        path = Path(item.path).resolve()
        where = "{0}::{1}".format(path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path, item.name)
        return next((index for index, prefix in enumerate(SLOWEST_FIRST) if where.startswith(prefix)),
                    len(SLOWEST_FIRST))

    items.sort(key=rank)
