"""One AWS call as the extensions and latency hooks see it: request, identity and answer."""

import json
import os


class Exchange:
    """The identified call, its raw request and (once answered) its Reply."""

    def __init__(self, environ, body, call):
        self.environ = environ
        self.body = body
        self.call = call
        self.reply = None
        self._request_json = None

    @property
    def operation(self):
        return self.call.operation

    def request_json(self):
        """The JSON request body as a dict ({} when empty); raises ValueError when not JSON."""
        if self._request_json is None:
            data = json.loads(self.body or b"{}")
            if not isinstance(data, dict):
                raise ValueError("request body is not a JSON object")
            self._request_json = data
        return self._request_json

    @property
    def account_id(self):
        """The account moto files this call under, found the way moto finds it."""
        if "MOTO_ACCOUNT_ID" in os.environ:
            return os.environ["MOTO_ACCOUNT_ID"]
        if self.environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
            return self.environ["HTTP_X_MOTO_ACCOUNT_ID"]
        from moto.iam.models import get_account_id_from

        return get_account_id_from(self.call.access_key)
