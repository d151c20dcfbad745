"""Write an item in each region of the molecule global table and read it in the other; fail if it is not there."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, table, home, replica = sys.argv[1:5]
clients = {region: local_clients(endpoint, "dynamodb", region=region)[0] for region in (home, replica)}


def read_back(region, key, seconds=10):
    """Replication is asynchronous on AWS: poll for a while before giving up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        item = clients[region].get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        if item:
            return item
        time.sleep(0.5)
    sys.exit("item {0} not readable in {1}".format(key, region))


for source, target in ((home, replica), (replica, home)):
    key = {"pk": {"S": "written-in-" + source}, "sk": {"S": "1"}}
    clients[source].put_item(TableName=table, Item=dict(key, note={"S": "hello from " + source}))
    item = read_back(target, key)
    assert item["note"]["S"] == "hello from " + source, item
    print("written in {0}, read in {1}".format(source, target))
