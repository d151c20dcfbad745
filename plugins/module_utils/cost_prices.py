# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS on-demand list prices (USD) that storagekit.aws.cost_estimate reads.

Entered by hand from the public AWS pricing pages; to be regenerated from the AWS Price List bulk files with
`make prices` (hacking/update_prices.py), which rewrites this file. The us-east-1 figures were checked against
the public pricing pages; those of the other regions are the published regional prices as best known when the
file was written. Regenerate before relying on an estimate for a budget.

Units are in the key names: *_hour per instance or node hour, *_gb_month per GB-month, *_million per million
requests, *_thousand per thousand requests, *_month per unit and month.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SOURCE = "hand-entered from the AWS pricing pages; regenerate with make prices"
SOURCE_DATE = "2026-11-01"
CURRENCY = "USD"
HOURS_PER_MONTH = 730

PRICES = {
    "us-east-1": {
        "rds_postgres": {
            "instance_hour": {
                "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129,
                "db.t4g.xlarge": 0.258, "db.m6g.large": 0.159, "db.m6g.xlarge": 0.318, "db.m7g.large": 0.168,
                "db.m7g.xlarge": 0.337, "db.r6g.large": 0.225, "db.r6g.xlarge": 0.45, "db.r7g.large": 0.239,
                "db.r7g.xlarge": 0.478,
            },
            "instance_hour_multi_az": {
                "db.t4g.micro": 0.032, "db.t4g.small": 0.064, "db.t4g.medium": 0.13, "db.t4g.large": 0.258,
                "db.t4g.xlarge": 0.516, "db.m6g.large": 0.318, "db.m6g.xlarge": 0.636, "db.m7g.large": 0.336,
                "db.m7g.xlarge": 0.674, "db.r6g.large": 0.45, "db.r6g.xlarge": 0.9, "db.r7g.large": 0.478,
                "db.r7g.xlarge": 0.956,
            },
            "storage_gb_month": {"gp2": 0.115, "gp3": 0.115, "io1": 0.125, "io2": 0.125},
            "storage_gb_month_multi_az": {"gp2": 0.23, "gp3": 0.23, "io1": 0.25, "io2": 0.25},
            "iops_month": {"gp3": 0.02, "io1": 0.1, "io2": 0.1},
            "iops_month_multi_az": {"gp3": 0.04, "io1": 0.2, "io2": 0.2},
            "throughput_mibps_month": 0.08,
            "throughput_mibps_month_multi_az": 0.16,
            "backup_gb_month": 0.095,
        },
        "elasticache": {
            "node_hour": {
                "redis": {
                    "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065,
                    "cache.m6g.large": 0.149, "cache.m7g.large": 0.158, "cache.m7g.xlarge": 0.315,
                    "cache.r6g.large": 0.206, "cache.r7g.large": 0.219, "cache.r7g.xlarge": 0.437,
                },
                "valkey": {
                    "cache.t4g.micro": 0.0128, "cache.t4g.small": 0.0256, "cache.t4g.medium": 0.052,
                    "cache.m6g.large": 0.1192, "cache.m7g.large": 0.1264, "cache.m7g.xlarge": 0.252,
                    "cache.r6g.large": 0.1648, "cache.r7g.large": 0.1752, "cache.r7g.xlarge": 0.3496,
                },
            },
        },
        "dynamodb": {
            "write_request_million": 0.625, "read_request_million": 0.125, "wcu_hour": 0.00065, "rcu_hour": 0.00013,
            "storage_gb_month": 0.25, "pitr_gb_month": 0.2,
        },
        "s3": {
            "storage_gb_month": {
                "STANDARD": 0.023, "STANDARD_IA": 0.0125, "INTELLIGENT_TIERING": 0.023, "GLACIER_IR": 0.004,
                "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099,
            },
            "put_thousand": {
                "STANDARD": 0.005, "STANDARD_IA": 0.01, "INTELLIGENT_TIERING": 0.005, "GLACIER_IR": 0.02,
                "GLACIER": 0.03, "DEEP_ARCHIVE": 0.05,
            },
            "get_thousand": {
                "STANDARD": 0.0004, "STANDARD_IA": 0.001, "INTELLIGENT_TIERING": 0.0004, "GLACIER_IR": 0.01,
                "GLACIER": 0.0004, "DEEP_ARCHIVE": 0.0004,
            },
        },
        "efs": {
            "storage_gb_month": {"standard": 0.3, "ia": 0.016, "archive": 0.008},
            "elastic_read_gb": 0.03, "elastic_write_gb": 0.06, "provisioned_mibps_month": 6.0,
        },
        "cloudfront": {"data_out_gb": 0.085, "https_requests_10k": 0.01},
        "kms": {"key_month": 1.0},
        "secretsmanager": {"secret_month": 0.4},
        "backup": {"storage_gb_month": {"RDS": 0.095, "DynamoDB": 0.1, "S3": 0.05, "EFS": 0.05, "EBS": 0.05}},
    },
    "us-west-2": {
        "rds_postgres": {
            "instance_hour": {
                "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129,
                "db.t4g.xlarge": 0.258, "db.m6g.large": 0.159, "db.m6g.xlarge": 0.318, "db.m7g.large": 0.168,
                "db.m7g.xlarge": 0.337, "db.r6g.large": 0.225, "db.r6g.xlarge": 0.45, "db.r7g.large": 0.239,
                "db.r7g.xlarge": 0.478,
            },
            "instance_hour_multi_az": {
                "db.t4g.micro": 0.032, "db.t4g.small": 0.064, "db.t4g.medium": 0.13, "db.t4g.large": 0.258,
                "db.t4g.xlarge": 0.516, "db.m6g.large": 0.318, "db.m6g.xlarge": 0.636, "db.m7g.large": 0.336,
                "db.m7g.xlarge": 0.674, "db.r6g.large": 0.45, "db.r6g.xlarge": 0.9, "db.r7g.large": 0.478,
                "db.r7g.xlarge": 0.956,
            },
            "storage_gb_month": {"gp2": 0.115, "gp3": 0.115, "io1": 0.125, "io2": 0.125},
            "storage_gb_month_multi_az": {"gp2": 0.23, "gp3": 0.23, "io1": 0.25, "io2": 0.25},
            "iops_month": {"gp3": 0.02, "io1": 0.1, "io2": 0.1},
            "iops_month_multi_az": {"gp3": 0.04, "io1": 0.2, "io2": 0.2},
            "throughput_mibps_month": 0.08,
            "throughput_mibps_month_multi_az": 0.16,
            "backup_gb_month": 0.095,
        },
        "elasticache": {
            "node_hour": {
                "redis": {
                    "cache.t4g.micro": 0.016, "cache.t4g.small": 0.032, "cache.t4g.medium": 0.065,
                    "cache.m6g.large": 0.149, "cache.m7g.large": 0.158, "cache.m7g.xlarge": 0.315,
                    "cache.r6g.large": 0.206, "cache.r7g.large": 0.219, "cache.r7g.xlarge": 0.437,
                },
                "valkey": {
                    "cache.t4g.micro": 0.0128, "cache.t4g.small": 0.0256, "cache.t4g.medium": 0.052,
                    "cache.m6g.large": 0.1192, "cache.m7g.large": 0.1264, "cache.m7g.xlarge": 0.252,
                    "cache.r6g.large": 0.1648, "cache.r7g.large": 0.1752, "cache.r7g.xlarge": 0.3496,
                },
            },
        },
        "dynamodb": {
            "write_request_million": 0.625, "read_request_million": 0.125, "wcu_hour": 0.00065, "rcu_hour": 0.00013,
            "storage_gb_month": 0.25, "pitr_gb_month": 0.2,
        },
        "s3": {
            "storage_gb_month": {
                "STANDARD": 0.023, "STANDARD_IA": 0.0125, "INTELLIGENT_TIERING": 0.023, "GLACIER_IR": 0.004,
                "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099,
            },
            "put_thousand": {
                "STANDARD": 0.005, "STANDARD_IA": 0.01, "INTELLIGENT_TIERING": 0.005, "GLACIER_IR": 0.02,
                "GLACIER": 0.03, "DEEP_ARCHIVE": 0.05,
            },
            "get_thousand": {
                "STANDARD": 0.0004, "STANDARD_IA": 0.001, "INTELLIGENT_TIERING": 0.0004, "GLACIER_IR": 0.01,
                "GLACIER": 0.0004, "DEEP_ARCHIVE": 0.0004,
            },
        },
        "efs": {
            "storage_gb_month": {"standard": 0.3, "ia": 0.016, "archive": 0.008},
            "elastic_read_gb": 0.03, "elastic_write_gb": 0.06, "provisioned_mibps_month": 6.0,
        },
        "cloudfront": {"data_out_gb": 0.085, "https_requests_10k": 0.01},
        "kms": {"key_month": 1.0},
        "secretsmanager": {"secret_month": 0.4},
        "backup": {"storage_gb_month": {"RDS": 0.095, "DynamoDB": 0.1, "S3": 0.05, "EFS": 0.05, "EBS": 0.05}},
    },
    "eu-west-1": {
        "rds_postgres": {
            "instance_hour": {
                "db.t4g.micro": 0.018, "db.t4g.small": 0.036, "db.t4g.medium": 0.072, "db.t4g.large": 0.144,
                "db.t4g.xlarge": 0.288, "db.m6g.large": 0.178, "db.m6g.xlarge": 0.356, "db.m7g.large": 0.188,
                "db.m7g.xlarge": 0.376, "db.r6g.large": 0.25, "db.r6g.xlarge": 0.5, "db.r7g.large": 0.266,
                "db.r7g.xlarge": 0.532,
            },
            "instance_hour_multi_az": {
                "db.t4g.micro": 0.036, "db.t4g.small": 0.072, "db.t4g.medium": 0.144, "db.t4g.large": 0.288,
                "db.t4g.xlarge": 0.576, "db.m6g.large": 0.356, "db.m6g.xlarge": 0.712, "db.m7g.large": 0.376,
                "db.m7g.xlarge": 0.752, "db.r6g.large": 0.5, "db.r6g.xlarge": 1.0, "db.r7g.large": 0.532,
                "db.r7g.xlarge": 1.064,
            },
            "storage_gb_month": {"gp2": 0.127, "gp3": 0.127, "io1": 0.138, "io2": 0.138},
            "storage_gb_month_multi_az": {"gp2": 0.254, "gp3": 0.254, "io1": 0.276, "io2": 0.276},
            "iops_month": {"gp3": 0.022, "io1": 0.11, "io2": 0.11},
            "iops_month_multi_az": {"gp3": 0.044, "io1": 0.22, "io2": 0.22},
            "throughput_mibps_month": 0.088,
            "throughput_mibps_month_multi_az": 0.176,
            "backup_gb_month": 0.095,
        },
        "elasticache": {
            "node_hour": {
                "redis": {
                    "cache.t4g.micro": 0.018, "cache.t4g.small": 0.036, "cache.t4g.medium": 0.072,
                    "cache.m6g.large": 0.166, "cache.m7g.large": 0.176, "cache.m7g.xlarge": 0.351,
                    "cache.r6g.large": 0.229, "cache.r7g.large": 0.244, "cache.r7g.xlarge": 0.487,
                },
                "valkey": {
                    "cache.t4g.micro": 0.0144, "cache.t4g.small": 0.0288, "cache.t4g.medium": 0.0576,
                    "cache.m6g.large": 0.1328, "cache.m7g.large": 0.1408, "cache.m7g.xlarge": 0.2808,
                    "cache.r6g.large": 0.1832, "cache.r7g.large": 0.1952, "cache.r7g.xlarge": 0.3896,
                },
            },
        },
        "dynamodb": {
            "write_request_million": 0.7068, "read_request_million": 0.1413, "wcu_hour": 0.000735,
            "rcu_hour": 0.000147, "storage_gb_month": 0.283, "pitr_gb_month": 0.2265,
        },
        "s3": {
            "storage_gb_month": {
                "STANDARD": 0.023, "STANDARD_IA": 0.0125, "INTELLIGENT_TIERING": 0.023, "GLACIER_IR": 0.004,
                "GLACIER": 0.0036, "DEEP_ARCHIVE": 0.00099,
            },
            "put_thousand": {
                "STANDARD": 0.005, "STANDARD_IA": 0.01, "INTELLIGENT_TIERING": 0.005, "GLACIER_IR": 0.02,
                "GLACIER": 0.03, "DEEP_ARCHIVE": 0.05,
            },
            "get_thousand": {
                "STANDARD": 0.0004, "STANDARD_IA": 0.001, "INTELLIGENT_TIERING": 0.0004, "GLACIER_IR": 0.01,
                "GLACIER": 0.0004, "DEEP_ARCHIVE": 0.0004,
            },
        },
        "efs": {
            "storage_gb_month": {"standard": 0.33, "ia": 0.0175, "archive": 0.0088},
            "elastic_read_gb": 0.033, "elastic_write_gb": 0.066, "provisioned_mibps_month": 6.6,
        },
        "cloudfront": {"data_out_gb": 0.085, "https_requests_10k": 0.012},
        "kms": {"key_month": 1.0},
        "secretsmanager": {"secret_month": 0.4},
        "backup": {"storage_gb_month": {"RDS": 0.095, "DynamoDB": 0.11, "S3": 0.055, "EFS": 0.055, "EBS": 0.055}},
    },
    "eu-central-1": {
        "rds_postgres": {
            "instance_hour": {
                "db.t4g.micro": 0.019, "db.t4g.small": 0.037, "db.t4g.medium": 0.074, "db.t4g.large": 0.148,
                "db.t4g.xlarge": 0.296, "db.m6g.large": 0.188, "db.m6g.xlarge": 0.376, "db.m7g.large": 0.198,
                "db.m7g.xlarge": 0.397, "db.r6g.large": 0.266, "db.r6g.xlarge": 0.532, "db.r7g.large": 0.282,
                "db.r7g.xlarge": 0.564,
            },
            "instance_hour_multi_az": {
                "db.t4g.micro": 0.038, "db.t4g.small": 0.074, "db.t4g.medium": 0.148, "db.t4g.large": 0.296,
                "db.t4g.xlarge": 0.592, "db.m6g.large": 0.376, "db.m6g.xlarge": 0.752, "db.m7g.large": 0.396,
                "db.m7g.xlarge": 0.794, "db.r6g.large": 0.532, "db.r6g.xlarge": 1.064, "db.r7g.large": 0.564,
                "db.r7g.xlarge": 1.128,
            },
            "storage_gb_month": {"gp2": 0.137, "gp3": 0.137, "io1": 0.149, "io2": 0.149},
            "storage_gb_month_multi_az": {"gp2": 0.274, "gp3": 0.274, "io1": 0.298, "io2": 0.298},
            "iops_month": {"gp3": 0.024, "io1": 0.119, "io2": 0.119},
            "iops_month_multi_az": {"gp3": 0.048, "io1": 0.238, "io2": 0.238},
            "throughput_mibps_month": 0.095,
            "throughput_mibps_month_multi_az": 0.19,
            "backup_gb_month": 0.1,
        },
        "elasticache": {
            "node_hour": {
                "redis": {
                    "cache.t4g.micro": 0.019, "cache.t4g.small": 0.037, "cache.t4g.medium": 0.074,
                    "cache.m6g.large": 0.171, "cache.m7g.large": 0.182, "cache.m7g.xlarge": 0.363,
                    "cache.r6g.large": 0.237, "cache.r7g.large": 0.252, "cache.r7g.xlarge": 0.503,
                },
                "valkey": {
                    "cache.t4g.micro": 0.0152, "cache.t4g.small": 0.0296, "cache.t4g.medium": 0.0592,
                    "cache.m6g.large": 0.1368, "cache.m7g.large": 0.1456, "cache.m7g.xlarge": 0.2904,
                    "cache.r6g.large": 0.1896, "cache.r7g.large": 0.2016, "cache.r7g.xlarge": 0.4024,
                },
            },
        },
        "dynamodb": {
            "write_request_million": 0.7625, "read_request_million": 0.1525, "wcu_hour": 0.000793,
            "rcu_hour": 0.0001586, "storage_gb_month": 0.306, "pitr_gb_month": 0.2448,
        },
        "s3": {
            "storage_gb_month": {
                "STANDARD": 0.0245, "STANDARD_IA": 0.0135, "INTELLIGENT_TIERING": 0.0245, "GLACIER_IR": 0.005,
                "GLACIER": 0.0045, "DEEP_ARCHIVE": 0.0018,
            },
            "put_thousand": {
                "STANDARD": 0.0054, "STANDARD_IA": 0.01, "INTELLIGENT_TIERING": 0.0054, "GLACIER_IR": 0.024,
                "GLACIER": 0.036, "DEEP_ARCHIVE": 0.06,
            },
            "get_thousand": {
                "STANDARD": 0.00043, "STANDARD_IA": 0.001, "INTELLIGENT_TIERING": 0.00043, "GLACIER_IR": 0.012,
                "GLACIER": 0.00043, "DEEP_ARCHIVE": 0.00043,
            },
        },
        "efs": {
            "storage_gb_month": {"standard": 0.36, "ia": 0.0191, "archive": 0.0096},
            "elastic_read_gb": 0.036, "elastic_write_gb": 0.072, "provisioned_mibps_month": 7.2,
        },
        "cloudfront": {"data_out_gb": 0.085, "https_requests_10k": 0.012},
        "kms": {"key_month": 1.0},
        "secretsmanager": {"secret_month": 0.4},
        "backup": {"storage_gb_month": {"RDS": 0.1, "DynamoDB": 0.12, "S3": 0.06, "EFS": 0.06, "EBS": 0.06}},
    },
}
