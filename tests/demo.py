"""The demo's helper (tests/demo.sh runs it with the venv's Python).

    demo.py prepare URL KUBE_DIR DEMO_DIR     what a user already has before the playbooks run
    demo.py summary URL KUBE_DIR DEMO_DIR [--seconds N] [--kept]   the final screen

The summary reads what was built back from the local AWS endpoint and the test Kubernetes API, as a user
would from AWS, and writes the API calls of each playbook to DEMO_DIR/api-calls.json.
"""

import argparse
import json
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import yaml

REPO = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
CLUSTER = "demo-eks"
SITE_DOMAIN = "www.demo.example"
HOSTED_ZONE = "demo.example"
PLAYBOOKS = {
    "web_app_stack": "Web application storage",
    "serverless_app": "Serverless storage",
    "static_website": "Static website",
    "eks_platform_storage": "EKS platform storage",
}


def client(url, service):
    assert url.startswith("http://127.0.0.1:"), url
    return boto3.client(service, endpoint_url=url, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def get_json(url, data=None):
    request = urllib.request.Request(url, data=json.dumps(data).encode() if data is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def prepare(url, kube_dir, demo_dir):
    """The site's hosted zone, and an EKS cluster in three zones whose API server is the test Kubernetes API, with
    the Pod Identity agent; writes the eks_platform_storage variables for that cluster."""
    kube_url = (kube_dir / "url").read_text().strip()
    get_json(f"{url}/_local_aws/config", {"eks_cluster_endpoint": {
        "url": kube_url, "certificate_authority_data": (kube_dir / "ca.b64").read_text().strip()}})
    client(url, "route53").create_hosted_zone(Name=HOSTED_ZONE, CallerReference="demo")
    subprocess.run([sys.executable, "eks_cluster.py", url, "create", CLUSTER, "3"], check=True, stdout=subprocess.DEVNULL,
                   cwd=REPO / "extensions" / "molecule" / "shared")
    eks, ec2 = client(url, "eks"), client(url, "ec2")
    versions = eks.describe_addon_versions(addonName="eks-pod-identity-agent", kubernetesVersion="1.32")
    default = next(v["addonVersion"] for v in versions["addons"][0]["addonVersions"]
                   if any(c["defaultVersion"] for c in v["compatibilities"]))
    eks.create_addon(clusterName=CLUSTER, addonName="eks-pod-identity-agent", addonVersion=default)
    subnets = ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [f"{CLUSTER}-private-*"]}])["Subnets"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"{CLUSTER}-efs"]}])["SecurityGroups"]
    settings = {
        "eks_platform_storage_cluster_name": CLUSTER,
        "eks_platform_storage_efs_subnet_ids": sorted(s["SubnetId"] for s in subnets),
        "eks_platform_storage_efs_security_group_ids": [g["GroupId"] for g in groups],
        "eks_cluster_access_path": str(demo_dir.resolve() / "eks.kubeconfig"),
        # The chart repository is out of reach: the stand-in chart of the test tree, same name.
        "efs_csi_driver_chart_repo_url": "",
        "efs_csi_driver_chart_ref": str(REPO / "tests" / "charts" / "aws-efs-csi-driver"),
        "efs_csi_driver_helm_binary_path": str(REPO / ".tools" / "helm"),
        # Nothing runs controllers on the test API server, so nothing would ever be ready.
        "efs_csi_driver_helm_wait": False,
    }
    (demo_dir / "eks_platform_storage.json").write_text(json.dumps(settings, indent=2))


def kube_get(kube_dir, path):
    """GET on the test Kubernetes API with the token of its kubeconfig."""
    config = yaml.safe_load((kube_dir / "kubeconfig").read_text())
    token = config["users"][0]["user"]["token"]
    context = ssl.create_default_context(cafile=str(kube_dir / "ca.crt"))
    request = urllib.request.Request((kube_dir / "url").read_text().strip() + path,
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        return json.loads(response.read())


def api_calls(url, demo_dir):
    """{playbook: {"reads", "writes", "by_operation"}} from the request log and the sequence numbers the demo
    noted after each playbook."""
    calls, since = {}, 0
    for line in (demo_dir / "phases").read_text().split("\n"):
        if not line.strip():
            continue
        name, last = line.split()
        entries = [e for e in get_json(f"{url}/_local_aws/requests?since={since}")["requests"] if e["seq"] <= int(last)]
        by_operation = {}
        for entry in entries:
            key = f"{entry['service']}:{entry['operation']}"
            by_operation[key] = by_operation.get(key, 0) + 1
        calls[name] = {"reads": sum(not e["write"] for e in entries), "writes": sum(e["write"] for e in entries),
                       "by_operation": dict(sorted(by_operation.items()))}
        since = int(last)
    return calls


def built(url, kube_dir):
    """Lines per tier, read back from the endpoint and the Kubernetes API."""
    rds, cache, ec2 = client(url, "rds"), client(url, "elasticache"), client(url, "ec2")
    db = rds.describe_db_instances(DBInstanceIdentifier="demo-db")["DBInstances"][0]
    group = cache.describe_replication_groups(ReplicationGroupId="demo-sessions")["ReplicationGroups"][0]
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["demo"]}])["Vpcs"][0]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
    table = client(url, "dynamodb").describe_table(TableName="demo-items")["Table"]
    distribution = client(url, "cloudfront").list_distributions()["DistributionList"]["Items"][0]
    efs = client(url, "efs")
    file_system = efs.describe_file_systems()["FileSystems"][0]
    mount_targets = efs.describe_mount_targets(FileSystemId=file_system["FileSystemId"])["MountTargets"]
    addons = client(url, "eks").list_addons(clusterName=CLUSTER)["addons"]
    classes = {c["metadata"]["name"]: c["provisioner"]
               for c in kube_get(kube_dir, "/apis/storage.k8s.io/v1/storageclasses")["items"]}
    buckets = sorted(b["Name"] for b in client(url, "s3").list_buckets()["Buckets"])
    return {
        "web_app_stack": [
            f"PostgreSQL  {db['DBInstanceIdentifier']} ({db['DBInstanceStatus']}, Multi-AZ {db['MultiAZ']}, encrypted "
            f"{db['StorageEncrypted']}): {db['Endpoint']['Address']}:{db['Endpoint']['Port']}/{db.get('DBName', '')}",
            f"            master password in Secrets Manager: {db['MasterUserSecret']['SecretArn']}",
            f"Valkey      {group['ReplicationGroupId']} ({group['Status']}, TLS {group['TransitEncryptionEnabled']}, "
            f"at rest {group['AtRestEncryptionEnabled']}): {primary['Address']}:{primary['Port']}",
            "            AUTH token in Secrets Manager: elasticache/demo-sessions/auth-token",
            "S3          demo-uploads (SSE-KMS with a bucket key, versioned, TLS only)",
            f"Network     {vpc['VpcId']} {vpc['CidrBlock']}: {len(subnets)} private subnets in "
            f"{', '.join(sorted(s['AvailabilityZone'] for s in subnets))}",
        ],
        "serverless_app": [
            f"DynamoDB    {table['TableName']} ({table['TableStatus']}, {table['BillingModeSummary']['BillingMode']}, "
            f"stream {table['StreamSpecification']['StreamViewType']}, indexes "
            f"{', '.join(i['IndexName'] for i in table.get('GlobalSecondaryIndexes', []))})",
            "S3          demo-static (static files of the Lambda functions)",
        ],
        "static_website": [
            f"CloudFront  {distribution['Id']} ({distribution['Status']}) {distribution['DomainName']}, alias "
            f"{', '.join(distribution['Aliases'].get('Items', []))}",
            f"S3          {distribution['Origins']['Items'][0]['DomainName'].split('.s3.')[0]} "
            "(private, read only through the distribution's origin access control)",
        ],
        "eks_platform_storage": [
            f"EKS add-ons {', '.join(sorted(addons))} on cluster {CLUSTER}",
            "StorageClasses " + ", ".join(f"{name} ({provisioner})" for name, provisioner in sorted(classes.items())),
            f"EFS         {file_system['FileSystemId']} ({file_system['ThroughputMode']} throughput, encrypted "
            f"{file_system['Encrypted']}), {len(mount_targets)} mount targets",
            "S3          " + ", ".join(b for b in buckets if b.startswith(CLUSTER + "-")),
        ],
    }


def explore(url, kube_dir, demo_dir):
    """The commands of the "How to reach it" section; also written to DEMO_DIR/env.sh."""
    port = url.rsplit(":", 1)[1]
    env = {
        "PATH": f"{REPO}/.venv/bin:$PATH",
        "ANSIBLE_COLLECTIONS_PATH": f"{REPO}/.venv/collections",
        "ANSIBLE_HOME": f"{REPO}/.ansible",
        "ANSIBLE_INVENTORY": f"{REPO}/tests/demo_inventory.yml",
        "AWS_ENDPOINT_URL": url, "AWS_URL": url,  # boto3's and the Ansible modules' endpoint setting
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "KUBECONFIG": str((kube_dir / "kubeconfig").resolve()),
    }
    (demo_dir / "env.sh").write_text("".join(f'export {key}="{value}"\n' for key, value in env.items()))
    return [
        f". {demo_dir}/env.sh   # AWS_ENDPOINT_URL={url}, dummy credentials, this checkout's Ansible",
        "python -c \"import boto3; print(boto3.client('rds').describe_db_instances()['DBInstances'][0]['Endpoint'])\"",
        "python -c \"import boto3; print(boto3.client('s3').list_objects_v2(Bucket='www-demo-example-site')['KeyCount'])\"",
        "ansible localhost -m storagekit.aws.dynamodb_table_info -a name=demo-items",
        "ansible localhost -m kubernetes.core.k8s_info -a kind=StorageClass",
        f"curl -i http://{SITE_DOMAIN}.localhost:{port}/   # the site through its distribution (or open it in a browser)",
        f"ansible-playbook storagekit.aws.web_app_stack -e web_app_stack_name=demo -e web_app_stack_aws_endpoint_url={url} "
        "--check --diff   # changed=0, no write call",
    ] + data_clients(url, demo_dir)


def data_clients(url, demo_dir):
    """psql and redis-cli lines for the real PostgreSQL and Valkey-compatible servers behind the endpoint.

    The secrets are read when the line runs (the password rotates); TLS is verified against the endpoint's CA.
    """
    ca = demo_dir / "ca.pem"
    ca.write_bytes(urllib.request.urlopen(url + "/_local_aws/ca", timeout=10).read())
    db = client(url, "rds").describe_db_instances(DBInstanceIdentifier="demo-db")["DBInstances"][0]
    group = client(url, "elasticache").describe_replication_groups(ReplicationGroupId="demo-sessions")["ReplicationGroups"][0]
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]
    secret = "boto3.client('secretsmanager').get_secret_value(SecretId={0})['SecretString']"
    # The secret's ARN holds a "!", which an interactive shell would expand inside double quotes: looked up instead.
    arn = "boto3.client('rds').describe_db_instances(DBInstanceIdentifier='demo-db')['DBInstances'][0]" \
          "['MasterUserSecret']['SecretArn']"
    password = "python -c \"import boto3, json; print(json.loads({0})['password'])\"".format(secret.format(arn))
    token = "python -c \"import boto3; print({0})\"".format(secret.format("'elasticache/demo-sessions/auth-token'"))
    return [
        f"PGPASSWORD=$({password}) psql \"host={db['Endpoint']['Address']} port={db['Endpoint']['Port']} "
        f"dbname={db.get('DBName', 'postgres')} user={db['MasterUsername']} sslmode=verify-full sslrootcert={ca}\" "
        "-tA -c 'select version()'",
        f"REDISCLI_AUTH=$({token}) redis-cli --tls --cacert {ca} -h {primary['Address']} -p {primary['Port']} ping",
    ]


def check_data_clients(demo_dir, commands):
    """Run the summary's psql and redis-cli lines as printed; a line that does not connect fails the demo."""
    results = []
    for command in commands:
        if not command.startswith(("PGPASSWORD=", "REDISCLI_AUTH=")):
            continue
        run = subprocess.run(["bash", "-c", f". {demo_dir}/env.sh && {command}"], capture_output=True, text=True,
                             check=False, timeout=120)
        answer = run.stdout.strip().splitlines()[-1:] if run.stdout.strip() else []
        if run.returncode != 0 or not answer:
            sys.exit(f"The demo's own line did not connect: {command}\n{run.stdout}{run.stderr}")
        results.append(answer[0].strip())
    return results


def reports(demo_dir):
    """The stack report each playbook wrote (<playbook>-<name>.md in the reports directory)."""
    found = {}
    for name in PLAYBOOKS:
        paths = sorted((demo_dir / "reports").glob(name + "-*.md"))
        found[name] = str(paths[0]) if paths else "(none written)"
    return found


def summary(url, kube_dir, demo_dir, seconds, kept):
    calls = api_calls(url, demo_dir)
    (demo_dir / "api-calls.json").write_text(json.dumps(calls, indent=2) + "\n")
    tiers = built(url, kube_dir)
    lines = ["", "=" * 100, f"storagekit.aws demo: {len(PLAYBOOKS)} reference playbooks in {seconds} s against the "
             f"local AWS endpoint {url}", "=" * 100, "", "WHAT WAS BUILT"]
    for name, title in PLAYBOOKS.items():
        lines += [f"  {title} (storagekit.aws.{name})", *(f"    {line}" for line in tiers[name])]
    lines += ["", "STACK REPORTS (what exists, how it is secured and protected, the estimate, a Mermaid diagram)"]
    lines += [f"  {name:<24}{path}" for name, path in reports(demo_dir).items()]
    lines += ["", "API CALLS (full log per operation: " + str(demo_dir / "api-calls.json") + ")",
              f"  {'playbook':<24}{'reads':>7}{'writes':>8}"]
    lines += [f"  {name:<24}{c['reads']:>7}{c['writes']:>8}" for name, c in calls.items()]
    lines += ["", "HOW TO REACH IT"]
    commands = explore(url, kube_dir, demo_dir)
    answers = check_data_clients(demo_dir, commands)
    if kept:
        lines += [f"  {command}" for command in commands] + ["  make down   # stops the endpoint and the Kubernetes API"]
    else:
        lines += ["  The endpoint has stopped. `make up` runs the same demo and keeps it running, with these commands:",
                  *(f"  {command}" for command in commands)]
    lines += ["  Checked just now, as printed: psql answered " + " ".join(answers[0].split()[:2]) +
              ", redis-cli answered " + answers[1]]
    lines += ["", "TRY NEXT",
              "  Preview a change with --check --diff: -e web_app_stack_db_instance_class=db.r7g.large",
              "  Remove a stack: -e web_app_stack_state=absent -e web_app_stack_deletion_protection=false",
              "  The same playbooks on AWS: leave *_aws_endpoint_url unset and give credentials (README.md)",
              "  Playbook output: " + str(demo_dir / "playbooks.log")]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("action", choices=["prepare", "summary"])
    parser.add_argument("url")
    parser.add_argument("kube_dir", type=Path)
    parser.add_argument("demo_dir", type=Path)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--kept", action="store_true")
    args = parser.parse_args()
    if args.action == "prepare":
        prepare(args.url, args.kube_dir, args.demo_dir)
    else:
        summary(args.url, args.kube_dir, args.demo_dir, args.seconds, args.kept)


if __name__ == "__main__":
    main()
