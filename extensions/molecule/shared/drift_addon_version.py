"""Move the EBS CSI add-on to another version out of band, as a console user would."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from local_clients import local_clients  # noqa: E402  pylint: disable=wrong-import-position

endpoint, cluster = sys.argv[1:]
eks, = local_clients(endpoint, "eks")
eks.update_addon(clusterName=cluster, addonName="aws-ebs-csi-driver", addonVersion="v1.43.0-eksbuild.1")
print("drifted")
