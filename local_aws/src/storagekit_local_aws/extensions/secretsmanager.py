"""Secrets Manager: the master user secrets of RDS instances reach their PostgreSQL servers.

moto 5.2.5 rotates a secret without a rotation function by copying the current value into a new
version; a secret RDS manages (ManageMasterUserPassword) is rotated by RDS itself on AWS, which
generates a new password and sets it on the database. Here RotateSecret of such a secret does the
same: a new password in the new current version, and ALTER ROLE on the instance's server, so the old
password stops working. PutSecretValue and UpdateSecret with a new value set that value's password.
"""

from .base import ServiceExtension
from .rds_servers import new_password, rotate_secret, store_password

FOLLOWED = {"RotateSecret", "PutSecretValue", "UpdateSecret"}


class SecretsManagerExtension(ServiceExtension):
    service = "secretsmanager"

    def rewrite(self, exchange):
        if exchange.operation not in FOLLOWED or exchange.reply.status != 200 or self.data is None:
            return
        from moto.secretsmanager.models import secretsmanager_backends

        try:
            secret_id = exchange.request_json().get("SecretId")
        except ValueError:
            return
        secret = secretsmanager_backends[exchange.account_id][exchange.call.region].secrets.get(secret_id)
        if secret is None or not self.data.postgres_with_secret(secret.arn):
            return
        if exchange.operation == "RotateSecret":
            store_password(secret, new_password())
        rotate_secret(self.data, secret)
