"""API errors answered as Kubernetes Status objects."""


class ApiError(Exception):
    """An error the server answers with `status()` and HTTP `code`."""

    def __init__(self, code, reason, message, name=None, kind=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.kind = kind

    def status(self):
        body = {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": self.message, "reason": self.reason, "code": self.code,
        }
        if self.name or self.kind:
            body["details"] = {k: v for k, v in (("name", self.name), ("kind", self.kind)) if v}
        return body


def not_found(kind, name):
    return ApiError(404, "NotFound", f'{kind.plural} "{name}" not found', name, kind.plural)


def already_exists(kind, name):
    return ApiError(409, "AlreadyExists", f'{kind.plural} "{name}" already exists', name, kind.plural)


def conflict(kind, name, why):
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {kind.plural} "{name}": {why}',
                    name, kind.plural)


def bad_request(message):
    return ApiError(400, "BadRequest", message)


def invalid(kind, name, message):
    return ApiError(422, "Invalid", f'{kind.kind} "{name}" is invalid: {message}', name, kind.plural)


def unauthorized():
    return ApiError(401, "Unauthorized", "Unauthorized")
