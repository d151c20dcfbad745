"""Connect to a database the rds_postgres role made, the way an application does, and print what happened.

    postgres_data.py ENDPOINT_URL probe|write|count|rotate --host H --port P --database D --user U
                     --secret-arn ARN --ca-bundle FILE [--rows N] [--wait-rows N]

The password comes from the master user secret (Secrets Manager on the local endpoint), never from
the command line, and is never printed. Output is one JSON object:
  probe:  {"tls": {"ok", "ssl", "error"}, "plain": {"ok", "error"}, "wrong_password": {"ok", "error"}}
  write:  {"rows": N}   (creates table verify_orders with N rows, after the ones there)
  count:  {"rows": N}   (waits up to 20 s for at least --wait-rows rows, for a replica to catch up)
  rotate: {"old": {"ok", "error"}, "new": {"ok", "error"}, "changed": bool}  (RotateSecret, then both)
"""

import argparse
import json
import time

import boto3
import psycopg


def password(args):
    client = boto3.client("secretsmanager", endpoint_url=args.endpoint_url, region_name=args.region)
    return json.loads(client.get_secret_value(SecretId=args.secret_arn)["SecretString"])["password"]


def connect(args, secret, sslmode="verify-full"):
    return psycopg.connect(host=args.host, port=args.port, dbname=args.database, user=args.user, password=secret,
                           sslmode=sslmode, sslrootcert=args.ca_bundle, connect_timeout=10, autocommit=True)


def connect_until(args, deadline):
    """Connect with the secret's password, retrying until the deadline: a replica replays a rotated password a
    moment after the primary, as on RDS."""
    while True:
        try:
            return connect(args, password(args))
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def attempt(args, secret, sslmode="verify-full"):
    try:
        with connect(args, secret, sslmode) as connection:
            ssl = connection.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0]
        return {"ok": True, "ssl": ssl, "error": None}
    except psycopg.OperationalError as error:
        return {"ok": False, "ssl": None, "error": str(error).strip().splitlines()[-1]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint_url")
    parser.add_argument("action", choices=["probe", "write", "count", "rotate"])
    for name in ("host", "database", "user", "secret-arn", "ca-bundle"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--rows", type=int, default=3)
    parser.add_argument("--wait-rows", type=int, default=0)
    args = parser.parse_args()
    assert args.endpoint_url.startswith("http://127.0.0.1:"), "only the local endpoint"
    assert args.host.startswith("127."), "only loopback database servers"

    if args.action == "probe":
        secret = password(args)
        result = {"tls": attempt(args, secret), "plain": attempt(args, secret, "disable"),
                  "wrong_password": attempt(args, secret + "-wrong")}
    elif args.action == "write":
        with connect(args, password(args)) as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS verify_orders (id serial PRIMARY KEY, note text)")
            for number in range(args.rows):
                connection.execute("INSERT INTO verify_orders (note) VALUES (%s)", (f"row {number}",))
            result = {"rows": connection.execute("SELECT count(*) FROM verify_orders").fetchone()[0]}
    elif args.action == "count":
        deadline = time.monotonic() + 20
        with connect_until(args, deadline) as connection:
            while True:
                exists = connection.execute("SELECT to_regclass('verify_orders') IS NOT NULL").fetchone()[0]
                rows = connection.execute("SELECT count(*) FROM verify_orders").fetchone()[0] if exists else 0
                if rows >= args.wait_rows or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        result = {"rows": rows}
    else:
        old = password(args)
        client = boto3.client("secretsmanager", endpoint_url=args.endpoint_url, region_name=args.region)
        client.rotate_secret(SecretId=args.secret_arn, RotateImmediately=True)
        new = password(args)
        result = {"changed": new != old, "old": attempt(args, old), "new": attempt(args, new)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
