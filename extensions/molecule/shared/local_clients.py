"""boto3 clients for the drift scripts of the scenarios, bound to the local endpoint and nothing else."""

import sys
from urllib.parse import urlparse

import boto3


def local_clients(endpoint, *services, region="us-east-1"):
    """One client per service on ``endpoint`` in ``region``; exits unless the endpoint is on 127.0.0.1."""
    if urlparse(endpoint).hostname != "127.0.0.1":
        sys.exit("refusing to touch anything but the local endpoint on 127.0.0.1: " + endpoint)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)
    return [session.client(service, endpoint_url=endpoint) for service in services]
