"""Print the effective parameters of a DB parameter group as JSON ({name: value}), engine defaults included."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

rds, = local_clients(sys.argv[1], "rds")
pages = rds.get_paginator("describe_db_parameters").paginate(DBParameterGroupName=sys.argv[2])
print(json.dumps({p["ParameterName"]: p.get("ParameterValue") for page in pages for p in page["Parameters"]}))
