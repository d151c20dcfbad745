"""What the storage_analytics role made, read with the services' own calls: the Macie session, publication
configuration, custom data identifiers and jobs; the Storage Lens configuration and its tags; the analytics and
metrics configurations of the buckets."""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

ACCOUNT = "123456789012"
LENS = "sk-molecule-storage-lens"
BUCKETS = ["sk-molecule-sa-invoices", "sk-molecule-sa-assets"]
macie, s3, s3control = local_clients(sys.argv[1], "macie2", "s3", "s3control")
s3control.meta.events.register("before-sign.s3-control", lambda request, **kw: setattr(
    request, "url", re.sub(r"://\d{12}\.", "://", request.url, count=1)))
found = {"session": None, "identifiers": {}, "jobs": {}, "lens": None, "buckets": {}}
try:
    found["session"] = macie.get_macie_session()
    found["publication"] = macie.get_findings_publication_configuration()["securityHubConfiguration"]
    for item in macie.list_custom_data_identifiers()["items"]:
        found["identifiers"][item["name"]] = macie.get_custom_data_identifier(id=item["id"])
    for item in macie.list_classification_jobs()["items"]:
        found["jobs"][item["name"]] = macie.describe_classification_job(jobId=item["jobId"])
except macie.exceptions.ClientError as error:
    if error.response["Error"]["Code"] not in ("ResourceNotFoundException", "AccessDeniedException"):
        raise
try:
    found["lens"] = s3control.get_storage_lens_configuration(ConfigId=LENS, AccountId=ACCOUNT)["StorageLensConfiguration"]
    found["lens_tags"] = {t["Key"]: t["Value"] for t in s3control.get_storage_lens_configuration_tagging(
        ConfigId=LENS, AccountId=ACCOUNT)["Tags"]}
except s3control.exceptions.ClientError as error:
    if error.response["Error"]["Code"] != "NoSuchConfiguration":
        raise
for bucket in BUCKETS:
    try:
        found["buckets"][bucket] = {
            "analytics": s3.list_bucket_analytics_configurations(Bucket=bucket).get("AnalyticsConfigurationList", []),
            "metrics": s3.list_bucket_metrics_configurations(Bucket=bucket).get("MetricsConfigurationList", []),
        }
    except s3.exceptions.ClientError:
        pass
print(json.dumps(found, default=str))
