"""KMS: what moto 5.2.5 gets wrong, following the botocore service model.

- ScheduleKeyDeletion and CancelKeyDeletion accept a key id or a key ARN, as AWS does (moto
  fails with an internal error on an ARN, which amazon.aws.kms_key sends), and answer with the
  key ARN, the key state and the pending window.
"""

from .base import ServiceExtension, aws_error, json_reply, validate_input


def moto_backend(exchange):
    from moto.kms.models import kms_backends

    return kms_backends[exchange.account_id][exchange.call.region]


class KMSExtension(ServiceExtension):
    service = "kms"

    def handle(self, exchange):
        handler = {
            "ScheduleKeyDeletion": self.schedule_key_deletion,
            "CancelKeyDeletion": self.cancel_key_deletion,
        }.get(exchange.operation)
        if handler is None:
            return None
        params = exchange.request_json()
        problem = validate_input("kms", exchange.operation, params)
        if problem:
            return aws_error(exchange, "ValidationException", problem)
        backend = moto_backend(exchange)
        key = backend.keys.get(backend.get_key_id(params["KeyId"]))  # a key id or key ARN, as AWS takes
        if key is None:
            return aws_error(exchange, "NotFoundException", "Key '{0}' does not exist".format(params["KeyId"]))
        return handler(exchange, backend, key, params)

    @staticmethod
    def schedule_key_deletion(exchange, backend, key, params):
        days = params.get("PendingWindowInDays", 30)
        if not 7 <= days <= 30:
            return aws_error(
                exchange, "ValidationException", "PendingWindowInDays must be between 7 and 30, not {0}".format(days)
            )
        if key.key_state == "PendingDeletion":
            return aws_error(exchange, "KMSInvalidStateException", "{0} is pending deletion.".format(key.arn))
        deletion_date = backend.schedule_key_deletion(key.id, days)
        return json_reply(
            exchange,
            {"KeyId": key.arn, "DeletionDate": deletion_date, "KeyState": "PendingDeletion", "PendingWindowInDays": days},
        )

    @staticmethod
    def cancel_key_deletion(exchange, backend, key, params):
        if key.key_state != "PendingDeletion":
            return aws_error(exchange, "KMSInvalidStateException", "{0} is not pending deletion.".format(key.arn))
        backend.cancel_key_deletion(key.id)
        return json_reply(exchange, {"KeyId": key.arn})
