"""Print the Application Auto Scaling targets and policies of one resource, as JSON (read calls only).

usage: read_auto_scaling.py ENDPOINT NAMESPACE RESOURCE_ID
"""

import json
import sys

from local_clients import local_clients

endpoint, namespace, resource_id = sys.argv[1:]
scaling, = local_clients(endpoint, "application-autoscaling")
print(json.dumps({
    "targets": scaling.describe_scalable_targets(ServiceNamespace=namespace, ResourceIds=[resource_id])["ScalableTargets"],
    "policies": scaling.describe_scaling_policies(ServiceNamespace=namespace, ResourceId=resource_id)["ScalingPolicies"],
}, default=str))
