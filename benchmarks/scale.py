"""Wall time and API calls of the dynamodb_table and s3_buckets roles for 1, 10, 50 and 100 items, and of the
reference playbooks.

For each count: a create run from an empty endpoint, then a no-change run; tables also with the latency
model on (a new table stays CREATING for --latency seconds). Counts come from the endpoint's request log.
The `playbooks` kind runs web_app_stack, serverless_app and static_website the same way, with the latency model
off and on (tables --latency seconds, the database and the cache --slow-latency seconds); eks_platform_storage
needs an EKS cluster and a Kubernetes API server, and is measured by tests/playbook_tests/test_call_counts.py
and its Molecule scenario instead.
--collection measures another checkout of the collection (for example `git worktree add /tmp/main main`)
with this one's endpoint, for a before/after table. Prints a Markdown table and, with --json, the rows.
Usage: .venv/bin/python benchmarks/scale.py [--counts 1,10,50,100] [--latency 5] [--kinds tables,buckets,playbooks]
       [--collection PATH]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import boto3
from storagekit_local_aws import LocalAWS

REPO = Path(__file__).resolve().parents[1]

PLAYBOOK = """- name: Scale benchmark
  hosts: localhost
  connection: local
  gather_facts: false
  module_defaults:
    group/storagekit.aws.aws: {{endpoint_url: "{{{{ endpoint }}}}", region: us-east-1}}
  tasks:
    - name: The role with many items
      ansible.builtin.import_role:
        name: storagekit.aws.{role}
"""


REFERENCE_PLAYBOOKS = {
    "web_app_stack": dict(web_app_stack_name="bench-web"),
    "serverless_app": dict(serverless_app_name="bench-sls"),
    "static_website": dict(static_website_domain="www.bench.example", static_website_hosted_zone="bench.example",
                           static_website_site_dir=str(REPO / "tests" / "demo_site")),
}


def role_vars(kind, count):
    names = ["bench-{0}-{1:03d}".format(kind, i) for i in range(count)]
    if kind == "tables":
        return "dynamodb_table", dict(dynamodb_table_tables=[dict(name=n, hash_key_name="pk") for n in names])
    return "s3_buckets", dict(s3_buckets_buckets=[dict(name=n) for n in names])


def collection_path(checkout):
    """A collections path that holds ``checkout`` as storagekit.aws (amazon.aws comes from the ansible package)."""
    root = Path(tempfile.mkdtemp(prefix="scale-collections-"))
    (root / "ansible_collections" / "storagekit").mkdir(parents=True)
    (root / "ansible_collections" / "storagekit" / "aws").symlink_to(Path(checkout).resolve())
    return str(root)


def run_playbook(endpoint, collections, workdir, kind, count):
    if kind in REFERENCE_PLAYBOOKS:
        playbook = "storagekit.aws." + kind
        variables = dict(REFERENCE_PLAYBOOKS[kind], **{kind + "_aws_endpoint_url": endpoint})
    else:
        role, variables = role_vars(kind, count)
        playbook = Path(workdir) / "{0}.yml".format(role)
        playbook.write_text(PLAYBOOK.format(role=role))
    vars_file = Path(workdir) / "vars.json"
    vars_file.write_text(json.dumps(dict(variables, endpoint=endpoint)))
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=collections,
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_ENDPOINT_URL=endpoint,
    )
    env.pop("AWS_PROFILE", None)
    command = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-e", "@" + str(vars_file)]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit("{0} x{1} failed:\n{2}".format(kind, count, done.stdout[-3000:]))
    return seconds


def measure(endpoint, collections, workdir, kind, count, latency, slow_latency=0):
    endpoint.reset()
    seconds = {"dynamodb:table": latency} if latency else {}
    if latency and slow_latency:
        seconds.update({"rds:db-instance": slow_latency, "elasticache:replication-group": slow_latency})
    endpoint.configure(latency_seconds=seconds or None)
    if kind == "static_website":
        # The site's hosted zone stands in for one the user already has.
        boto3.client("route53", endpoint_url=endpoint.url, region_name="us-east-1", aws_access_key_id="testing",
                     aws_secret_access_key="testing").create_hosted_zone(Name="bench.example", CallerReference="bench")
    row = dict(kind=kind, items=count, latency=latency)
    for run in ("create", "no_change"):
        endpoint.clear_requests()
        row[run + "_seconds"] = round(run_playbook(endpoint.url, collections, workdir, kind, count), 1)
        row[run + "_calls"] = endpoint.requests()["summary"]["total"]
    return row


def markdown(rows):
    lines = [
        "| items | latency | create s | create calls | no-change s | no-change calls |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        latency = "{0} s".format(row["latency"]) if row["latency"] else "off"
        if row["kind"] in REFERENCE_PLAYBOOKS:
            row = dict(row, items="playbook")
            if row["latency"]:
                latency += " (database, cache {0} s)".format(row["slow_latency"])
        lines.append("| {items} {kind} | {latency} | {create_seconds} | {create_calls} | {no_change_seconds} | "
                     "{no_change_calls} |".format(**dict(row, latency=latency)))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="1,10,50,100", help="comma list of item counts")
    parser.add_argument("--latency", type=float, default=5.0, help="seconds a new table stays CREATING (0: skip)")
    parser.add_argument("--latency-counts", default=None, help="counts for the latency runs (default: --counts)")
    parser.add_argument("--slow-latency", type=float, default=20.0,
                        help="seconds a new database or cache stays creating in the playbooks' latency runs")
    parser.add_argument("--kinds", default="tables,buckets", help="tables, buckets, playbooks (comma list)")
    parser.add_argument("--collection", default=str(REPO), help="checkout of the collection to measure")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    latency_counts = [int(c) for c in (args.latency_counts or args.counts).split(",")]
    collections = collection_path(args.collection)
    rows = []
    with LocalAWS() as endpoint, tempfile.TemporaryDirectory() as workdir:
        assert urlparse(endpoint.url).hostname == "127.0.0.1"
        for kind in args.kinds.split(","):
            if kind == "playbooks":
                for playbook in REFERENCE_PLAYBOOKS:
                    for latency in (0, args.latency):
                        rows.append(dict(measure(endpoint, collections, workdir, playbook, 1, latency, args.slow_latency),
                                         slow_latency=args.slow_latency if latency else 0))
                        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
                continue
            for count in counts:
                rows.append(measure(endpoint, collections, workdir, kind, count, 0))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            if kind == "tables" and args.latency:
                for count in latency_counts:
                    rows.append(measure(endpoint, collections, workdir, kind, count, args.latency))
                    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(markdown(rows))
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
