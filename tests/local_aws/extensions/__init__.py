"""Per-service additions to moto: one module per service, listed here.

To add a service: write extensions/<service>.py with a ServiceExtension subclass (see
extensions/base.py) and add it to EXTENSIONS.
"""

from .dynamodb import DynamoDBExtension
from .kms import KMSExtension

EXTENSIONS = [
    DynamoDBExtension,
    KMSExtension,
]
