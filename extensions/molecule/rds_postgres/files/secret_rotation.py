"""Print the rotation settings of a secret as JSON: metadata only, never the secret's value."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

secretsmanager, = local_clients(sys.argv[1], "secretsmanager")
secret = secretsmanager.describe_secret(SecretId=sys.argv[2])
print(json.dumps({
    "rotation_enabled": secret.get("RotationEnabled", False),
    "rotation_rules": secret.get("RotationRules", {}),
    "kms_key_id": secret.get("KmsKeyId"),
    "owning_service": secret.get("OwningService"),
}))
