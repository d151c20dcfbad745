"""The scenario's buckets ("up": the stack's two and the reporting bucket) or their removal ("down")."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

BUCKETS = ["sk-molecule-sa-invoices", "sk-molecule-sa-assets", "sk-molecule-sa-reports"]
(s3,) = local_clients(sys.argv[1], "s3")
for bucket in BUCKETS:
    if sys.argv[2] == "up":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.delete_bucket(Bucket=bucket)
