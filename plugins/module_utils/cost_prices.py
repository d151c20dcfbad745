# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS on-demand list prices (USD) that storagekit.aws.cost_estimate reads.

`make prices` (hacking/update_prices.py) regenerates them from the AWS Price List bulk API files: it rewrites
the block from SOURCE to the end of TABLE and leaves the rest of this file as it is. SOURCE says where the prices
came from. Regenerate before relying on an estimate for a budget.

Units are in the key names: *_hour per instance or node hour, *_gb_month per GB-month, *_million per million
requests, *_thousand per thousand requests, *_month per unit and month.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

CURRENCY = "USD"
HOURS_PER_MONTH = 730

SOURCE = "hand-entered from the AWS pricing pages; regenerate with make prices"
# Entered by hand from the public AWS pricing pages: the us-east-1 figures were checked against them; those of
# the other regions are the published regional prices as best known when the file was written.
SOURCE_DATE = "2026-11-01"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1")

# A price a line: its path in a region's table, then its value in each of REGIONS, in that order.
TABLE = """
backup storage_gb_month DynamoDB                   0.1 0.1 0.11 0.12
backup storage_gb_month EBS                        0.05 0.05 0.055 0.06
backup storage_gb_month EFS                        0.05 0.05 0.055 0.06
backup storage_gb_month RDS                        0.095 0.095 0.095 0.1
backup storage_gb_month S3                         0.05 0.05 0.055 0.06
cloudfront data_out_gb                             0.085 0.085 0.085 0.085
cloudfront https_requests_10k                      0.01 0.01 0.012 0.012
dynamodb pitr_gb_month                             0.2 0.2 0.2265 0.2448
dynamodb rcu_hour                                  0.00013 0.00013 0.000147 0.0001586
dynamodb read_request_million                      0.125 0.125 0.1413 0.1525
dynamodb storage_gb_month                          0.25 0.25 0.283 0.306
dynamodb wcu_hour                                  0.00065 0.00065 0.000735 0.000793
dynamodb write_request_million                     0.625 0.625 0.7068 0.7625
efs elastic_read_gb                                0.03 0.03 0.033 0.036
efs elastic_write_gb                               0.06 0.06 0.066 0.072
efs provisioned_mibps_month                        6.0 6.0 6.6 7.2
efs storage_gb_month archive                       0.008 0.008 0.0088 0.0096
efs storage_gb_month ia                            0.016 0.016 0.0175 0.0191
efs storage_gb_month standard                      0.3 0.3 0.33 0.36
elasticache node_hour redis cache.m6g.large        0.149 0.149 0.166 0.171
elasticache node_hour redis cache.m7g.large        0.158 0.158 0.176 0.182
elasticache node_hour redis cache.m7g.xlarge       0.315 0.315 0.351 0.363
elasticache node_hour redis cache.r6g.large        0.206 0.206 0.229 0.237
elasticache node_hour redis cache.r7g.large        0.219 0.219 0.244 0.252
elasticache node_hour redis cache.r7g.xlarge       0.437 0.437 0.487 0.503
elasticache node_hour redis cache.t4g.medium       0.065 0.065 0.072 0.074
elasticache node_hour redis cache.t4g.micro        0.016 0.016 0.018 0.019
elasticache node_hour redis cache.t4g.small        0.032 0.032 0.036 0.037
elasticache node_hour valkey cache.m6g.large       0.1192 0.1192 0.1328 0.1368
elasticache node_hour valkey cache.m7g.large       0.1264 0.1264 0.1408 0.1456
elasticache node_hour valkey cache.m7g.xlarge      0.252 0.252 0.2808 0.2904
elasticache node_hour valkey cache.r6g.large       0.1648 0.1648 0.1832 0.1896
elasticache node_hour valkey cache.r7g.large       0.1752 0.1752 0.1952 0.2016
elasticache node_hour valkey cache.r7g.xlarge      0.3496 0.3496 0.3896 0.4024
elasticache node_hour valkey cache.t4g.medium      0.052 0.052 0.0576 0.0592
elasticache node_hour valkey cache.t4g.micro       0.0128 0.0128 0.0144 0.0152
elasticache node_hour valkey cache.t4g.small       0.0256 0.0256 0.0288 0.0296
kms key_month                                      1.0 1.0 1.0 1.0
rds_postgres backup_gb_month                       0.095 0.095 0.095 0.1
rds_postgres instance_hour db.m6g.large            0.159 0.159 0.178 0.188
rds_postgres instance_hour db.m6g.xlarge           0.318 0.318 0.356 0.376
rds_postgres instance_hour db.m7g.large            0.168 0.168 0.188 0.198
rds_postgres instance_hour db.m7g.xlarge           0.337 0.337 0.376 0.397
rds_postgres instance_hour db.r6g.large            0.225 0.225 0.25 0.266
rds_postgres instance_hour db.r6g.xlarge           0.45 0.45 0.5 0.532
rds_postgres instance_hour db.r7g.large            0.239 0.239 0.266 0.282
rds_postgres instance_hour db.r7g.xlarge           0.478 0.478 0.532 0.564
rds_postgres instance_hour db.t4g.large            0.129 0.129 0.144 0.148
rds_postgres instance_hour db.t4g.medium           0.065 0.065 0.072 0.074
rds_postgres instance_hour db.t4g.micro            0.016 0.016 0.018 0.019
rds_postgres instance_hour db.t4g.small            0.032 0.032 0.036 0.037
rds_postgres instance_hour db.t4g.xlarge           0.258 0.258 0.288 0.296
rds_postgres instance_hour_multi_az db.m6g.large   0.318 0.318 0.356 0.376
rds_postgres instance_hour_multi_az db.m6g.xlarge  0.636 0.636 0.712 0.752
rds_postgres instance_hour_multi_az db.m7g.large   0.336 0.336 0.376 0.396
rds_postgres instance_hour_multi_az db.m7g.xlarge  0.674 0.674 0.752 0.794
rds_postgres instance_hour_multi_az db.r6g.large   0.45 0.45 0.5 0.532
rds_postgres instance_hour_multi_az db.r6g.xlarge  0.9 0.9 1.0 1.064
rds_postgres instance_hour_multi_az db.r7g.large   0.478 0.478 0.532 0.564
rds_postgres instance_hour_multi_az db.r7g.xlarge  0.956 0.956 1.064 1.128
rds_postgres instance_hour_multi_az db.t4g.large   0.258 0.258 0.288 0.296
rds_postgres instance_hour_multi_az db.t4g.medium  0.13 0.13 0.144 0.148
rds_postgres instance_hour_multi_az db.t4g.micro   0.032 0.032 0.036 0.038
rds_postgres instance_hour_multi_az db.t4g.small   0.064 0.064 0.072 0.074
rds_postgres instance_hour_multi_az db.t4g.xlarge  0.516 0.516 0.576 0.592
rds_postgres iops_month gp3                        0.02 0.02 0.022 0.024
rds_postgres iops_month io1                        0.1 0.1 0.11 0.119
rds_postgres iops_month io2                        0.1 0.1 0.11 0.119
rds_postgres iops_month_multi_az gp3               0.04 0.04 0.044 0.048
rds_postgres iops_month_multi_az io1               0.2 0.2 0.22 0.238
rds_postgres iops_month_multi_az io2               0.2 0.2 0.22 0.238
rds_postgres storage_gb_month gp2                  0.115 0.115 0.127 0.137
rds_postgres storage_gb_month gp3                  0.115 0.115 0.127 0.137
rds_postgres storage_gb_month io1                  0.125 0.125 0.138 0.149
rds_postgres storage_gb_month io2                  0.125 0.125 0.138 0.149
rds_postgres storage_gb_month_multi_az gp2         0.23 0.23 0.254 0.274
rds_postgres storage_gb_month_multi_az gp3         0.23 0.23 0.254 0.274
rds_postgres storage_gb_month_multi_az io1         0.25 0.25 0.276 0.298
rds_postgres storage_gb_month_multi_az io2         0.25 0.25 0.276 0.298
rds_postgres throughput_mibps_month                0.08 0.08 0.088 0.095
rds_postgres throughput_mibps_month_multi_az       0.16 0.16 0.176 0.19
s3 get_thousand DEEP_ARCHIVE                       0.0004 0.0004 0.0004 0.00043
s3 get_thousand GLACIER                            0.0004 0.0004 0.0004 0.00043
s3 get_thousand GLACIER_IR                         0.01 0.01 0.01 0.012
s3 get_thousand INTELLIGENT_TIERING                0.0004 0.0004 0.0004 0.00043
s3 get_thousand STANDARD                           0.0004 0.0004 0.0004 0.00043
s3 get_thousand STANDARD_IA                        0.001 0.001 0.001 0.001
s3 put_thousand DEEP_ARCHIVE                       0.05 0.05 0.05 0.06
s3 put_thousand GLACIER                            0.03 0.03 0.03 0.036
s3 put_thousand GLACIER_IR                         0.02 0.02 0.02 0.024
s3 put_thousand INTELLIGENT_TIERING                0.005 0.005 0.005 0.0054
s3 put_thousand STANDARD                           0.005 0.005 0.005 0.0054
s3 put_thousand STANDARD_IA                        0.01 0.01 0.01 0.01
s3 storage_gb_month DEEP_ARCHIVE                   0.00099 0.00099 0.00099 0.0018
s3 storage_gb_month GLACIER                        0.0036 0.0036 0.0036 0.0045
s3 storage_gb_month GLACIER_IR                     0.004 0.004 0.004 0.005
s3 storage_gb_month INTELLIGENT_TIERING            0.023 0.023 0.023 0.0245
s3 storage_gb_month STANDARD                       0.023 0.023 0.023 0.0245
s3 storage_gb_month STANDARD_IA                    0.0125 0.0125 0.0125 0.0135
secretsmanager secret_month                        0.4 0.4 0.4 0.4
"""


def read_table(regions, text):
    """The nested ``{region: {service: {...: price}}}`` of a TABLE."""
    prices = dict((region, {}) for region in regions)
    for line in text.strip().splitlines():
        words = line.split()
        path, values = words[:-len(regions)], words[-len(regions):]
        for region, value in zip(regions, values):
            node = prices[region]
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = float(value)
    return prices


PRICES = read_table(REGIONS, TABLE)
