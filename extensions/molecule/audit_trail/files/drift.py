"""Change the trail out of band, the way a console user would: account-wide S3 data events instead of the stack's,
log file validation off, logging stopped."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

(cloudtrail,) = local_clients(sys.argv[1], "cloudtrail")
TRAIL = "storagekit-molecule-audit"
cloudtrail.put_event_selectors(TrailName=TRAIL, AdvancedEventSelectors=[{"Name": "every bucket", "FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}])
cloudtrail.update_trail(Name=TRAIL, EnableLogFileValidation=False)
cloudtrail.stop_logging(Name=TRAIL)
