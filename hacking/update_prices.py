# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regenerate plugins/module_utils/cost_prices.py from the AWS Price List bulk API files (needs internet).

    python hacking/update_prices.py [--base https://pricing.us-east-1.amazonaws.com] [--region us-east-1 ...]

It reads the offer index (/offers/v1.0/aws/index.json), each service's region index and the offer file of each
region (the documented JSON format: products with attributes, terms.OnDemand with priceDimensions), takes the
on-demand USD price of each product the estimate uses (the first non-zero tier), and rewrites the table. A price
it cannot find fails the run naming it, so the table never holds a silent gap. --base also takes file:// URLs
of a directory laid out like the API (the tests use a small fixture that way).
"""

import argparse
import json
import re
import sys
import urllib.request
from pathlib import Path

DEFAULT_BASE = "https://pricing.us-east-1.amazonaws.com"
DEFAULT_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
OUTPUT = Path(__file__).resolve().parents[1] / "plugins" / "module_utils" / "cost_prices.py"
GLOBAL_SERVICES = ("AmazonCloudFront",)  # one offer file for all regions

RDS_INSTANCES = ["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large", "db.t4g.xlarge", "db.m6g.large",
                 "db.m6g.xlarge", "db.m7g.large", "db.m7g.xlarge", "db.r6g.large", "db.r6g.xlarge", "db.r7g.large",
                 "db.r7g.xlarge"]
CACHE_NODES = ["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.m6g.large", "cache.m7g.large",
               "cache.m7g.xlarge", "cache.r6g.large", "cache.r7g.large", "cache.r7g.xlarge"]
S3_CLASSES = {"STANDARD": "", "STANDARD_IA": "SIA-", "INTELLIGENT_TIERING": "INT-", "GLACIER_IR": "GIR-",
              "GLACIER": "GLACIER-", "DEEP_ARCHIVE": "GDA-"}
S3_STORAGE = {"STANDARD": "TimedStorage-ByteHrs", "STANDARD_IA": "TimedStorage-SIA-ByteHrs",
              "INTELLIGENT_TIERING": "TimedStorage-INT-FA-ByteHrs", "GLACIER_IR": "TimedStorage-GIR-ByteHrs",
              "GLACIER": "TimedStorage-GlacierByteHrs", "DEEP_ARCHIVE": "TimedStorage-GDA-ByteHrs"}


def rules():
    """(table path, service, match, scale): match is {attribute: value} or a usagetype name without region prefix."""
    out = []
    for cls in RDS_INSTANCES:
        for suffix, deployment in (("", "Single-AZ"), ("_multi_az", "Multi-AZ")):
            out.append((("rds_postgres", "instance_hour" + suffix, cls), "AmazonRDS",
                        {"productFamily": "Database Instance", "databaseEngine": "PostgreSQL",
                         "deploymentOption": deployment, "instanceType": cls}, 1))
    for suffix, prefix in (("", "RDS:"), ("_multi_az", "RDS:Multi-AZ-")):
        for vol, name in (("gp2", "GP2-Storage"), ("gp3", "GP3-Storage"), ("io1", "PIOPS-Storage"), ("io2", "PIOPS-Storage-IO2")):
            out.append((("rds_postgres", "storage_gb_month" + suffix, vol), "AmazonRDS", prefix + name, 1))
        for vol, name in (("gp3", "GP3-PIOPS"), ("io1", "PIOPS"), ("io2", "PIOPS-IO2")):
            out.append((("rds_postgres", "iops_month" + suffix, vol), "AmazonRDS", prefix + name, 1))
        out.append((("rds_postgres", "throughput_mibps_month" + suffix), "AmazonRDS", prefix + "GP3-Throughput", 1))
    out.append((("rds_postgres", "backup_gb_month"), "AmazonRDS", "RDS:ChargedBackupUsage", 1))
    for node in CACHE_NODES:
        for engine, name in (("redis", "Redis"), ("valkey", "Valkey")):
            out.append((("elasticache", "node_hour", engine, node), "AmazonElastiCache",
                        {"productFamily": "Cache Instance", "cacheEngine": name, "instanceType": node}, 1))
    for key, name, scale in (("write_request_million", "WriteRequestUnits", 1e6), ("read_request_million", "ReadRequestUnits", 1e6),
                             ("wcu_hour", "WriteCapacityUnit-Hrs", 1), ("rcu_hour", "ReadCapacityUnit-Hrs", 1),
                             ("storage_gb_month", "TimedStorage-ByteHrs", 1), ("pitr_gb_month", "TimedPITRStorage-ByteHrs", 1)):
        out.append((("dynamodb", key), "AmazonDynamoDB", name, scale))
    for cls, tag in S3_CLASSES.items():
        out.append((("s3", "storage_gb_month", cls), "AmazonS3", S3_STORAGE[cls], 1))
        out.append((("s3", "put_thousand", cls), "AmazonS3", "Requests-{0}Tier1".format(tag), 1000))
        out.append((("s3", "get_thousand", cls), "AmazonS3", "Requests-{0}Tier2".format(tag), 1000))
    for key, name, scale in ((("storage_gb_month", "standard"), "TimedStorage-ByteHrs", 1),
                             (("storage_gb_month", "ia"), "IATimedStorage-ByteHrs", 1),
                             (("storage_gb_month", "archive"), "ArchiveTimedStorage-ByteHrs", 1),
                             (("elastic_read_gb",), "ElasticThroughput-ReadBytes", 1),
                             (("elastic_write_gb",), "ElasticThroughput-WriteBytes", 1),
                             (("provisioned_mibps_month",), "ProvisionedTP-MiBpsHrs", 1)):
        out.append((("efs",) + key, "AmazonEFS", name, scale))
    out.append((("cloudfront", "data_out_gb"), "AmazonCloudFront", "US-DataTransfer-Out-Bytes", 1))
    out.append((("cloudfront", "https_requests_10k"), "AmazonCloudFront", "US-Requests-Tier2-HTTPS", 10000))
    out.append((("kms", "key_month"), "awskms", "KMS-Keys", 1))
    out.append((("secretsmanager", "secret_month"), "AWSSecretsManager", "AWSSecretsManager-Secrets", 1))
    for kind, name in (("RDS", "RDS"), ("DynamoDB", "DDB"), ("S3", "S3"), ("EFS", "EFS"), ("EBS", "EBS")):
        out.append((("backup", "storage_gb_month", kind), "AWSBackup", "WarmStorage-ByteHrs-" + name, 1))
    return out


def load(base, path):
    with urllib.request.urlopen(base.rstrip("/") + path) as response:  # nosec: the AWS pricing endpoint or a file
        return json.load(response)


def on_demand_price(offer, sku):
    """The USD price of the first non-zero tier of the product's on-demand term (free tiers are priced apart)."""
    for term in offer.get("terms", {}).get("OnDemand", {}).get(sku, {}).values():
        dims = sorted(term["priceDimensions"].values(), key=lambda d: float(d.get("beginRange") or 0))
        for dim in dims:
            price = float(dim["pricePerUnit"].get("USD", 0))
            if price:
                return price
        return 0.0
    return None


def matches(product, match):
    attrs = product.get("attributes", {})
    if isinstance(match, dict):
        return all((product.get(k) if k == "productFamily" else attrs.get(k)) == v for k, v in match.items())
    return re.match(r"^(?:[A-Z]+[0-9]*-)?{0}$".format(re.escape(match)), attrs.get("usagetype", "")) is not None


def prices_of(offer, service_rules):
    found = {}
    for path, _service, match, scale in service_rules:
        for sku, product in offer.get("products", {}).items():
            if matches(product, match):
                price = on_demand_price(offer, sku)
                if price is not None:
                    found[path] = round(price * scale, 10)
                    break
    return found


def put(table, path, value):
    for key in path[:-1]:
        table = table.setdefault(key, {})
    table[path[-1]] = value


def build(base, regions):
    index = load(base, "/offers/v1.0/aws/index.json")
    by_service = {}
    for rule in rules():
        by_service.setdefault(rule[1], []).append(rule)
    table, missing, dates = {region: {} for region in regions}, [], []
    for service, service_rules in sorted(by_service.items()):
        offer_info = index["offers"].get(service)
        if offer_info is None:
            missing.append("{0}: no such offer in the offer index".format(service))
            continue
        if service in GLOBAL_SERVICES:
            offer = load(base, offer_info["currentVersionUrl"])
            offers = dict.fromkeys(regions, offer)
        else:
            region_index = load(base, offer_info["currentRegionIndexUrl"])["regions"]
            offers = {r: load(base, region_index[r]["currentVersionUrl"]) for r in regions if r in region_index}
        for region in regions:
            offer = offers.get(region)
            found = prices_of(offer, service_rules) if offer else {}
            if offer:
                dates.append(offer.get("publicationDate", "")[:10])
            for path, _s, match, _scale in service_rules:
                if path in found:
                    put(table[region], path, found[path])
                else:
                    missing.append("{0} {1}: {2} ({3})".format(region, service, ".".join(path), match))
    return table, missing, max(dates) if dates else ""


def rows(table, regions):
    """The table as text: a line per price, its path and then its value in each of ``regions``."""
    paths = []

    def walk(node, path):
        for key in sorted(node):
            if isinstance(node[key], dict):
                walk(node[key], path + (key,))
            else:
                paths.append(path + (key,))

    walk(table[regions[0]], ())
    width = max(len(" ".join(path)) for path in paths)
    lines = []
    for path in paths:
        values = []
        for region in regions:
            value = table[region]
            for key in path:
                value = value[key]
            values.append(repr(float(value)))
        lines.append(" ".join(path).ljust(width) + "  " + " ".join(values))
    return "\n".join(lines)


# The block of cost_prices.py the run rewrites: from SOURCE to the end of TABLE. The rest of the file (its
# docstring, read_table and PRICES) stays as it is.
BLOCK = re.compile(r'^SOURCE = .*?^TABLE = """\n.*?^"""\n', re.MULTILINE | re.DOTALL)
BLOCK_TEXT = '''SOURCE = "AWS Price List bulk API, offer files published {date}"
SOURCE_DATE = "{date}"
REGIONS = {region_tuple}

# A price a line: its path in a region's table, then its value in each of REGIONS, in that order.
TABLE = """
{rows}
"""
'''


def render(text, table, date, regions):
    """``text``, the cost_prices.py file, with its block from SOURCE to TABLE made of ``table``."""
    region_tuple = "({0}{1})".format(", ".join('"{0}"'.format(r) for r in regions), "," if len(regions) == 1 else "")
    block = BLOCK_TEXT.format(date=date, region_tuple=region_tuple, rows=rows(table, regions))
    rendered, count = BLOCK.subn(lambda match: block, text, count=1)
    if count != 1:
        raise ValueError("no block from SOURCE to the end of TABLE in the price file")
    return rendered


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help="the Price List bulk API host, or a file:// directory")
    parser.add_argument("--region", action="append", help="a region to include (repeat); default: " + ", ".join(DEFAULT_REGIONS))
    parser.add_argument("--output", default=str(OUTPUT), help="where to write the price file; default: " + str(OUTPUT))
    args = parser.parse_args(argv)
    regions = args.region or DEFAULT_REGIONS
    table, missing, date = build(args.base, regions)
    if missing:
        sys.stderr.write("prices not found in the offer files, the table is left unchanged:\n  " + "\n  ".join(missing) + "\n")
        return 1
    Path(args.output).write_text(render(OUTPUT.read_text(), table, date, regions))
    print("wrote {0}: {1} regions, offer files of {2}".format(args.output, len(regions), date))
    return 0


if __name__ == "__main__":
    sys.exit(main())
