"""Out-of-band changes the storage_analytics role must put back: Storage Lens activity metrics turned off, the
storage class analysis export of a bucket removed and its request metrics filter of the whole bucket deleted."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT = "123456789012"
LENS = "sk-molecule-storage-lens"
BUCKET = "sk-molecule-sa-invoices"
s3, s3control = local_clients(sys.argv[1], "s3", "s3control")
s3control.meta.events.register("before-sign.s3-control", lambda request, **kw: setattr(
    request, "url", re.sub(r"://\d{12}\.", "://", request.url, count=1)))
lens = s3control.get_storage_lens_configuration(ConfigId=LENS, AccountId=ACCOUNT)["StorageLensConfiguration"]
lens["AccountLevel"]["ActivityMetrics"] = {"IsEnabled": False}
lens["AccountLevel"]["BucketLevel"]["ActivityMetrics"] = {"IsEnabled": False}
s3control.put_storage_lens_configuration(ConfigId=LENS, AccountId=ACCOUNT, StorageLensConfiguration=lens)
analytics = s3.list_bucket_analytics_configurations(Bucket=BUCKET)["AnalyticsConfigurationList"][0]
analytics["StorageClassAnalysis"] = {}
s3.put_bucket_analytics_configuration(Bucket=BUCKET, Id=analytics["Id"], AnalyticsConfiguration=analytics)
s3.delete_bucket_metrics_configuration(Bucket=BUCKET, Id="EntireBucket")
