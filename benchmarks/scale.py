"""Wall time and API calls of the dynamodb_table and s3_buckets roles for 1, 10, 50 and 100 items.

For each count: a create run from an empty endpoint, then a no-change run; tables also with the latency
model on (a new table stays CREATING for --latency seconds). Counts come from the endpoint's request log.
--collection measures another checkout of the collection (for example `git worktree add /tmp/main main`)
with this one's endpoint, for a before/after table. Prints a Markdown table and, with --json, the rows.
Usage: .venv/bin/python benchmarks/scale.py [--counts 1,10,50,100] [--latency 5] [--collection PATH]
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


def measure(endpoint, collections, workdir, kind, count, latency):
    endpoint.reset()
    endpoint.configure(latency_seconds={"dynamodb:table": latency} if latency else None)
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
        lines.append("| {items} {kind} | {latency} | {create_seconds} | {create_calls} | {no_change_seconds} | "
                     "{no_change_calls} |".format(**dict(row, latency="{0} s".format(row["latency"]) if row["latency"] else "off")))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="1,10,50,100", help="comma list of item counts")
    parser.add_argument("--latency", type=float, default=5.0, help="seconds a new table stays CREATING (0: skip)")
    parser.add_argument("--latency-counts", default=None, help="counts for the latency runs (default: --counts)")
    parser.add_argument("--kinds", default="tables,buckets", help="tables, buckets or both")
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
