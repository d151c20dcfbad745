"""Move an EKS add-on to another version out of band, as a console user would.

usage: drift_addon_version.py ENDPOINT CLUSTER ADDON VERSION
"""

import sys

from local_clients import local_clients

endpoint, cluster, addon, version = sys.argv[1:]
eks, = local_clients(endpoint, "eks")
eks.update_addon(clusterName=cluster, addonName=addon, addonVersion=version)
print("drifted", addon, version)
