#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: storagekit.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: eks_kubeconfig
short_description: Write a kubeconfig with a fresh IAM token for an EKS cluster, without the AWS CLI
version_added: 0.1.0
description:
  - Reads an EKS cluster with one C(DescribeCluster) call and writes a kubeconfig that reaches its API
    server, for M(kubernetes.core.k8s), M(kubernetes.core.helm) and the other kubernetes.core modules
    through their C(kubeconfig) option.
  - The kubeconfig holds a bearer token made the way C(aws eks get-token) makes it (a presigned STS
    C(GetCallerIdentity) request that signs the cluster name), in Python with botocore and the
    credentials of this task. Neither the AWS CLI nor C(aws-iam-authenticator) is needed where the
    kubernetes.core modules run, and no C(exec) plugin is written into the file.
  - The token is valid for 15 minutes. Run this module again before Kubernetes tasks that start later
    than that, for example at the start of each play or role that talks to the cluster.
  - The token is written only to the file, never returned, and the file content is not returned either.
    The kubeconfig is written as JSON, which is valid YAML and read as such by every Kubernetes client.
  - The cluster's certificate authority is also written, PEM encoded, beside the kubeconfig (see RV(ca_cert)).
  - The module is a read-only lookup of the cluster, like an info module, and always reports
    C(changed=false). The files it writes are a credential cache, rewritten on every run because the
    token is new each time, so comparing them would report a change on every run.
  - In check mode the files are still written, so that Kubernetes tasks that follow in the same check mode
    run can reach the cluster to predict their changes. Nothing is written to AWS in any mode.
author:
  - storagekit.aws maintainers (@storagekit)
options:
  cluster_name:
    description:
      - Name of the EKS cluster.
      - The cluster must be C(ACTIVE); in any other state the module fails without writing anything.
      - For a local cluster on AWS Outposts the token is made for the cluster ID that C(DescribeCluster)
        reports, as C(aws eks get-token --cluster-id) does.
    type: str
    required: true
  path:
    description:
      - Where to write the kubeconfig. Missing directories are created with mode C(0700); the file is
        replaced atomically and has mode C(0600).
      - The default is C(~/.kube/eks/<account id>/<region>/<cluster name>.kubeconfig) in the home directory
        of the user the module runs as, one file per cluster, so plays for several clusters, regions or
        accounts never overwrite each other's credentials. Ansible's remote temporary directory is not used
        because it is removed when the module returns.
      - The certificate authority is written beside it, to the same path with its extension replaced by
        C(.ca.crt) (or C(.ca.crt) added when the name has no extension).
    type: path
  context:
    description:
      - Name of the kubeconfig context, which is also its current context.
      - The default is the cluster ARN, as C(aws eks update-kubeconfig) names it.
    type: str
    aliases: [alias]
notes:
  - The token host is always the regional STS endpoint of O(region), as C(aws eks get-token) makes it.
    EKS refuses tokens for any other host, so O(endpoint_url) applies to C(DescribeCluster) only.
    Making the token sends nothing to STS.
  - The credentials of this task must map to a Kubernetes identity through an EKS access entry or the
    C(aws-auth) ConfigMap of the cluster, as for C(aws eks get-token).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - storagekit.aws.attributes
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: partial
    details:
      - The module reads the cluster and reports C(changed=false) in every run; in check mode it still writes
        the kubeconfig and certificate authority files, so that the Kubernetes tasks of the same check mode run
        can read the cluster.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Credentials for the cluster
  storagekit.aws.eks_kubeconfig:
    cluster_name: prod
    region: eu-west-1
  register: prod_cluster

- name: A namespace on it
  kubernetes.core.k8s:
    kubeconfig: "{{ prod_cluster.kubeconfig }}"
    name: observability
    kind: Namespace
    state: present

- name: A chart on it
  kubernetes.core.helm:
    kubeconfig: "{{ prod_cluster.kubeconfig }}"
    name: loki
    chart_ref: grafana/loki
    release_namespace: observability

- name: A kubeconfig in a chosen place with a short context name
  storagekit.aws.eks_kubeconfig:
    cluster_name: staging
    path: "{{ playbook_dir }}/.kube/staging"
    context: staging
"""

RETURN = r"""
kubeconfig:
  description: Path of the kubeconfig written, for the C(kubeconfig) option of the kubernetes.core modules.
  returned: success
  type: str
  sample: /home/deploy/.kube/eks/123456789012/eu-west-1/prod.kubeconfig
host:
  description: URL of the cluster's API server.
  returned: success
  type: str
  sample: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com
ca_cert:
  description: Path of the PEM file of the cluster's certificate authority, for C(ca_cert) options.
  returned: success
  type: str
  sample: /home/deploy/.kube/eks/123456789012/eu-west-1/prod.ca.crt
context:
  description: Name of the kubeconfig context, which is its current context.
  returned: success
  type: str
  sample: arn:aws:eks:eu-west-1:123456789012:cluster/prod
expiration:
  description:
    - When clients should stop using the token, 14 minutes after it was made, in RFC 3339 UTC
      (the C(expirationTimestamp) that C(aws eks get-token) reports).
  returned: success
  type: str
  sample: "2026-03-04T05:20:07Z"
cluster:
  description: The cluster, as C(DescribeCluster) reported it.
  returned: success, and when the cluster is not C(ACTIVE)
  type: dict
  contains:
    name:
      description: Cluster name.
      type: str
      sample: prod
    arn:
      description: Cluster ARN.
      type: str
      sample: arn:aws:eks:eu-west-1:123456789012:cluster/prod
    version:
      description: Kubernetes version.
      type: str
      sample: "1.32"
    endpoint:
      description: URL of the API server.
      type: str
      sample: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com
    status:
      description: Cluster status; always C(ACTIVE) on success.
      type: str
      sample: ACTIVE
    platform_version:
      description: EKS platform version.
      type: str
      sample: eks.5
"""

import base64
import binascii
import json
import os
import pwd
import tempfile

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.storagekit.aws.plugins.module_utils.eks_token import cluster_token
from ansible_collections.storagekit.aws.plugins.module_utils.retries import aws_client

ARGUMENT_SPEC = dict(
    cluster_name=dict(type="str", required=True),
    path=dict(type="path"),
    context=dict(type="str", aliases=["alias"]),
)


def summarize_cluster(raw):
    return dict(
        name=raw.get("name"),
        arn=raw.get("arn"),
        version=raw.get("version"),
        endpoint=raw.get("endpoint"),
        status=raw.get("status"),
        platform_version=raw.get("platformVersion"),
    )


def default_path(cluster_arn, cluster_name):
    """~/.kube/eks/<account>/<region>/<name>.kubeconfig, from the ARN arn:<partition>:eks:<region>:<account>:cluster/<name>."""
    region, account = cluster_arn.split(":")[3:5]
    home = os.environ.get("HOME") or pwd.getpwuid(os.getuid()).pw_dir
    return os.path.join(home, ".kube", "eks", account, region, cluster_name + ".kubeconfig")


def sts_endpoint(region):
    """The regional STS endpoint, the only token host EKS accepts (endpoint_url is meant for the EKS call)."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return "https://sts.{0}.{1}".format(region, suffix)


def ca_cert_path(kubeconfig_path):
    return os.path.splitext(kubeconfig_path)[0] + ".ca.crt"


def build_kubeconfig(cluster, context, token):
    """A kubeconfig with one cluster, one token user and one context, named as aws eks update-kubeconfig names them."""
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [
            {
                "name": cluster["arn"],
                "cluster": {"server": cluster["endpoint"], "certificate-authority-data": cluster["certificate_authority"]},
            }
        ],
        "users": [{"name": cluster["arn"], "user": {"token": token}}],
        "contexts": [{"name": context, "context": {"cluster": cluster["arn"], "user": cluster["arn"]}}],
        "current-context": context,
    }


def write_private_file(path, content):
    """Replace ``path`` atomically with a file of mode 0600, so no reader sees a partial credential."""
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o700)
    fd, temp_path = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(content)
        os.replace(temp_path, path)
    except BaseException:
        os.unlink(temp_path)
        raise


def describe_cluster(module, client, name):
    try:
        return client.describe_cluster(aws_retry=True, name=name)["cluster"]
    except is_boto3_error_code("ResourceNotFoundException"):
        module.fail_json(msg="EKS cluster {0} does not exist in region {1}.".format(name, module.region))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg="Failed to describe EKS cluster {0}".format(name))


def main():
    module = AnsibleAWSModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    name = module.params["cluster_name"]
    eks = aws_client(module, "eks")
    raw = describe_cluster(module, eks, name)
    cluster = summarize_cluster(raw)
    if cluster["status"] != "ACTIVE":
        module.fail_json(
            msg="EKS cluster {0} is {1}, not ACTIVE: it has no usable endpoint for Kubernetes tasks.".format(
                name, cluster["status"]
            ),
            cluster=cluster,
        )
    ca_data = (raw.get("certificateAuthority") or {}).get("data")
    try:
        ca_pem = base64.b64decode(ca_data, validate=True)
    except (TypeError, ValueError, binascii.Error):
        module.fail_json(msg="EKS cluster {0} reported no valid certificate authority data.".format(name), cluster=cluster)

    # Presigning is local computation: the STS client makes no request, so it needs no retries.
    sts = module.client("sts", endpoint=sts_endpoint(module.region))
    token, expiration = cluster_token(sts, raw.get("id") or name)

    path = module.params["path"] or default_path(cluster["arn"], name)
    ca_path = ca_cert_path(path)
    if ca_path == path:
        module.fail_json(msg="path {0} would be overwritten by the certificate authority file; choose another name.".format(path))
    context = module.params["context"] or cluster["arn"]
    kubeconfig = build_kubeconfig(dict(cluster, certificate_authority=ca_data), context, token)
    try:
        write_private_file(ca_path, ca_pem)
        write_private_file(path, json.dumps(kubeconfig, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    except OSError as e:
        module.fail_json(msg="Failed to write the kubeconfig {0}: {1}".format(path, e))

    module.exit_json(
        changed=False,
        kubeconfig=path,
        host=cluster["endpoint"],
        ca_cert=ca_path,
        context=context,
        cluster=cluster,
        expiration=expiration,
    )


if __name__ == "__main__":
    main()
