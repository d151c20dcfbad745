"""Per-service additions to moto: one module per service, listed here.

To add a service: write extensions/<service>.py with a ServiceExtension subclass (see
extensions/base.py) and add it to EXTENSIONS.
"""

from .acm import ACMExtension
from .backup import BackupExtension
from .budgets import BudgetsExtension
from .ce import CostExplorerExtension
from .application_autoscaling import ApplicationAutoScalingExtension
from .cloudfront import CloudFrontExtension
from .cloudtrail import CloudTrailExtension
from .cloudwatch import CloudWatchExtension
from .dynamodb import DynamoDBExtension
from .ec2 import EC2Extension
from .elasticache import ElastiCacheExtension
from .efs import EFSExtension
from .eks import EKSExtension
from .iam import IAMExtension
from .kms import KMSExtension
from .macie2 import Macie2Extension
from .rds import RDSExtension
from .s3 import S3Extension
from .s3control import S3ControlExtension
from .secretsmanager import SecretsManagerExtension

EXTENSIONS = [
    ACMExtension,
    ApplicationAutoScalingExtension,
    BackupExtension,
    BudgetsExtension,
    CostExplorerExtension,
    CloudFrontExtension,
    CloudTrailExtension,
    CloudWatchExtension,
    DynamoDBExtension,
    EC2Extension,
    ElastiCacheExtension,
    EFSExtension,
    EKSExtension,
    IAMExtension,
    KMSExtension,
    Macie2Extension,
    RDSExtension,
    S3Extension,
    S3ControlExtension,
    SecretsManagerExtension,
]
