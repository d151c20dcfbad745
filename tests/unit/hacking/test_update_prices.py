"""hacking/update_prices.py against offer files in the documented AWS Price List bulk API layout (a fixture)."""

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "unit" / "fixtures" / "price_list_offers.json"


def load_script():
    spec = importlib.util.spec_from_file_location("update_prices", REPO / "hacking" / "update_prices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update_prices = load_script()


def lay_out(root, offers_by_region):
    """Write an offer index, region indexes and region offer files as the bulk API serves them."""
    index = {"formatVersion": "v1.0", "offers": {}}
    for service in {s for offers in offers_by_region.values() for s in offers}:
        region_index = {"regions": {}}
        for region, offers in offers_by_region.items():
            if service in offers:
                path = "/offers/v1.0/aws/{0}/20261101000000/{1}/index.json".format(service, region)
                (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
                (root / path.lstrip("/")).write_text(json.dumps(offers[service]))
                region_index["regions"][region] = {"regionCode": region, "currentVersionUrl": path}
        path = "/offers/v1.0/aws/{0}/current/region_index.json".format(service)
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(json.dumps(region_index))
        current = "/offers/v1.0/aws/{0}/current/index.json".format(service)
        (root / current.lstrip("/")).write_text(json.dumps(next(o[service] for o in offers_by_region.values() if service in o)))
        index["offers"][service] = {"offerCode": service, "currentVersionUrl": current, "currentRegionIndexUrl": path}
    (root / "offers/v1.0/aws").mkdir(parents=True, exist_ok=True)
    (root / "offers/v1.0/aws/index.json").write_text(json.dumps(index))
    return root.as_uri()


def test_the_documented_format_gives_the_on_demand_price_of_the_right_product():
    offers = json.loads(FIXTURE.read_text())
    rules = [r for r in update_prices.rules() if r[1] in ("AmazonRDS", "AmazonDynamoDB")]
    rds = update_prices.prices_of(offers["AmazonRDS"], rules)
    assert rds == {("rds_postgres", "instance_hour", "db.t4g.micro"): 0.016,  # not MySQL's 0.017
                   ("rds_postgres", "instance_hour_multi_az", "db.t4g.micro"): 0.032,
                   ("rds_postgres", "storage_gb_month", "gp3"): 0.115}
    dynamodb = update_prices.prices_of(offers["AmazonDynamoDB"], rules)
    # The free tier dimension (0 to 18600 WCU-hours at $0) is skipped; the request unit is scaled to a million.
    assert dynamodb == {("dynamodb", "wcu_hour"): 0.000735, ("dynamodb", "write_request_million"): 0.7068}


def test_missing_prices_fail_naming_them_and_leave_the_table(tmp_path, capsys):
    offers = json.loads(FIXTURE.read_text())
    base = lay_out(tmp_path / "api", {"us-east-1": {"AmazonRDS": offers["AmazonRDS"]}})
    output = tmp_path / "cost_prices.py"
    assert update_prices.main(["--base", base, "--region", "us-east-1", "--output", str(output)]) == 1
    assert "AmazonDynamoDB: no such offer in the offer index" in capsys.readouterr().err
    full = synthetic_offers()
    del full["AmazonRDS"]["products"]["P0"]
    base = lay_out(tmp_path / "api2", {"us-east-1": full})
    assert update_prices.main(["--base", base, "--region", "us-east-1", "--output", str(output)]) == 1
    assert "us-east-1 AmazonRDS: rds_postgres.instance_hour.db.t4g.micro" in capsys.readouterr().err
    assert not output.exists()


def synthetic_offers(factor=1.0):
    """One product per rule, priced 1, 2, 3, ... times factor, in the fixture's format."""
    offers = {}
    for n, (path, service, match, scale) in enumerate(update_prices.rules()):
        offer = offers.setdefault(service, {"offerCode": service, "publicationDate": "2026-12-01T00:00:00Z",
                                            "products": {}, "terms": {"OnDemand": {}}})
        sku = "P{0}".format(len(offer["products"]))
        if isinstance(match, dict):
            product = {"sku": sku, "productFamily": match["productFamily"],
                       "attributes": {k: v for k, v in match.items() if k != "productFamily"}}
        else:
            product = {"sku": sku, "productFamily": "x", "attributes": {"usagetype": "USE1-" + match}}
        offer["products"][sku] = product
        offer["terms"]["OnDemand"][sku] = {sku + ".T": {"priceDimensions": {sku + ".T.D": {
            "beginRange": "0", "endRange": "Inf", "unit": "x", "pricePerUnit": {"USD": str((n + 1) * factor / scale)}}}}}
    return offers


def test_a_full_run_writes_a_table_the_estimate_reads(tmp_path):
    base = lay_out(tmp_path / "api", {"us-east-1": synthetic_offers(), "eu-west-1": synthetic_offers(2.0)})
    output = tmp_path / "cost_prices.py"
    assert update_prices.main(["--base", base, "--region", "us-east-1", "--region", "eu-west-1", "--output", str(output)]) == 0
    spec = importlib.util.spec_from_file_location("generated_prices", output)
    generated = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generated)
    assert generated.SOURCE_DATE == "2026-12-01" and generated.HOURS_PER_MONTH == 730
    assert sorted(generated.PRICES) == ["eu-west-1", "us-east-1"]
    rules = update_prices.rules()
    # Every path of a rule holds its region's price, scaled to the table's unit; CloudFront's one offer file
    # (here the us-east-1 one) serves every region.
    for n, (path, service, _match, _scale) in enumerate(rules):
        value = generated.PRICES["eu-west-1"]
        for key in path:
            value = value[key]
        assert value == pytest.approx((n + 1) * (1.0 if service in update_prices.GLOBAL_SERVICES else 2.0))

    from ansible_collections.storagekit.aws.plugins.module_utils.cost_estimate import estimate
    result = estimate({"region": "eu-west-1", "resources": [{"type": "kms", "keys": 1}]}, prices=generated.PRICES)
    assert result["total"] == generated.PRICES["eu-west-1"]["kms"]["key_month"]


def test_the_generated_table_has_the_shape_of_the_shipped_one(tmp_path):
    from ansible_collections.storagekit.aws.plugins.module_utils import cost_prices

    base = lay_out(tmp_path / "api", {"us-east-1": synthetic_offers()})
    output = tmp_path / "cost_prices.py"
    update_prices.main(["--base", base, "--region", "us-east-1", "--output", str(output)])
    spec = importlib.util.spec_from_file_location("generated_prices2", output)
    generated = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generated)

    def shape(table):
        return {k: shape(v) for k, v in table.items()} if isinstance(table, dict) else None

    assert shape(generated.PRICES["us-east-1"]) == shape(cost_prices.PRICES["us-east-1"])


def test_only_the_block_from_source_to_table_is_rewritten(tmp_path):
    shipped = update_prices.OUTPUT.read_text()
    base = lay_out(tmp_path / "api", {"us-east-1": synthetic_offers()})
    output = tmp_path / "cost_prices.py"
    assert update_prices.main(["--base", base, "--region", "us-east-1", "--output", str(output)]) == 0
    written = output.read_text()
    head, tail = shipped.split("SOURCE = ", 1)[0], shipped.split('"""\n', 3)[-1]
    assert written.startswith(head) and written.endswith(tail) and "def read_table" in tail
    assert 'SOURCE_DATE = "2026-12-01"\nREGIONS = ("us-east-1",)\n' in written
    assert "hand-entered" not in written


def test_a_price_file_without_the_block_is_refused():
    with pytest.raises(ValueError):
        update_prices.render("PRICES = {}\n", {"us-east-1": {"kms": {"key_month": 1.0}}}, "2026-12-01", ["us-east-1"])
