"""Unit-test harness: import the collection from this checkout and run modules against stubbed clients.

Each AWS client is a real botocore client bound to a loopback endpoint with a Stubber attached, so
every request is validated against the botocore service model and nothing leaves the process.
"""

import json
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
STUB_ENDPOINT = "http://127.0.0.1:1"


def _make_collection_importable():
    """Expose this checkout as ansible_collections.storagekit.aws unless it already is."""
    try:
        import ansible_collections.storagekit.aws  # noqa: F401 pylint: disable=unused-import

        return
    except ImportError:
        pass
    root = Path(tempfile.mkdtemp(prefix="storagekit-unit-"))
    (root / "ansible_collections" / "storagekit").mkdir(parents=True)
    (root / "ansible_collections" / "storagekit" / "aws").symlink_to(REPO)
    sys.path.insert(0, str(root))
    import ansible_collections  # namespace package: pick up the new path entry

    ansible_collections.__path__.append(str(root / "ansible_collections"))


_make_collection_importable()


class Stubs:
    """One stubbed botocore client per service, created on first use."""

    def __init__(self):
        import boto3
        from botocore.stub import Stubber

        self._session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        )
        self._stubber = Stubber
        self.clients = {}
        self.stubbers = {}

    def __getitem__(self, service):
        if service not in self.clients:
            client = self._session.client(service, endpoint_url=STUB_ENDPOINT)
            assert urlparse(client.meta.endpoint_url).hostname == "127.0.0.1"
            stubber = self._stubber(client)
            stubber.activate()
            self.clients[service] = client
            self.stubbers[service] = stubber
        return self.stubbers[service]

    def assert_no_pending_responses(self):
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


UNIT_TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def no_aws_environment(request, monkeypatch):
    """Unit tests see no AWS_* variable: the local endpoint's session fixture sets them for the whole worker once a
    test of another directory starts it, and a module would then take its credentials (masked in the output as
    no_log values) or its endpoint from there. Only tests under this directory: when pytest's rootdir is another
    directory (local_aws/, with the Makefile's arguments), this conftest's fixtures reach every test."""
    if not Path(request.node.path).resolve().is_relative_to(UNIT_TESTS):
        return
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def stubs():
    stubs = Stubs()
    yield stubs


@pytest.fixture
def run_module(monkeypatch, capsys, stubs):
    """Run a module's main() with ``args``; return its JSON result. Stubs must all be consumed."""
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
    from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

    def fake_client(self, service, retry_decorator=None, **kwargs):
        stubs[service]
        client = stubs.clients[service]
        if retry_decorator is None:
            return client
        return RetryingBotoClientWrapper(client, retry_decorator)

    monkeypatch.setattr(AnsibleAWSModule, "client", fake_client)
    # Waiting polls from one second up; tests never sleep.
    monkeypatch.setattr("time.sleep", lambda seconds: None)

    def run(module, args, check_mode=False, diff=False, expect_failure=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff, region="us-east-1")
        args.setdefault("endpoint_url", STUB_ENDPOINT)
        assert urlparse(args["endpoint_url"]).hostname == "127.0.0.1"
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        result = json.loads(capsys.readouterr().out)
        if expect_failure:
            assert exit_info.value.code == 1, result
            assert result.get("failed"), result
        else:
            assert exit_info.value.code == 0, result
        stubs.assert_no_pending_responses()
        return result

    return run
