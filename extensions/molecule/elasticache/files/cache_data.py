"""Connect to a cache the elasticache role made, the way an application does, and print what happened.

    cache_data.py ENDPOINT_URL probe|write|read|new-token|auth --host H --port P --secret-arn ARN
                  --ca-bundle FILE [--key K] [--value V]

The AUTH token comes from the role's token secret (Secrets Manager on the local endpoint), never from
the command line, and is never printed. Output is one JSON object:
  probe:     {"tls": {"ok", "error"}, "plain": {"ok", "error"}, "wrong_token": {"ok", "error"}}
  write:     {"written": true}          (SET KEY VALUE over TLS)
  read:      {"value": "..." or null}   (GET KEY over TLS)
  new-token: {"version": "..."}         (PutSecretValue with a new random token: AWSCURRENT, the old one AWSPREVIOUS)
  auth:      {"current": {"ok", "error"}, "previous": {"ok", "error"}}
  snapshot-restore --group G: {"value": ...}  (CreateSnapshot of G, a new group created from it with G's
             TLS and token, KEY read there; the new group and the snapshot are deleted again. The module
             and the role do not restore groups from snapshots, so this uses the API directly.)
"""

import argparse
import json
import secrets
import string
import time

import boto3
import redis


def token(args, stage="AWSCURRENT"):
    client = boto3.client("secretsmanager", endpoint_url=args.endpoint_url, region_name=args.region)
    return client.get_secret_value(SecretId=args.secret_arn, VersionStage=stage)["SecretString"]


def client_for(args, password, tls=True):
    options = {"ssl": True, "ssl_ca_certs": args.ca_bundle} if tls else {}
    return redis.Redis(host=args.host, port=args.port, password=password, socket_timeout=10,
                       socket_connect_timeout=10, **options)


def attempt(args, password, tls=True):
    try:
        client_for(args, password, tls).ping()
        return {"ok": True, "error": None}
    except redis.RedisError as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def available(elasticache, group_id):
    deadline = time.monotonic() + 120
    while True:
        group = elasticache.describe_replication_groups(ReplicationGroupId=group_id)["ReplicationGroups"][0]
        if group["Status"] == "available" or time.monotonic() > deadline:
            return group
        time.sleep(0.5)


def snapshot_restore(args):
    elasticache = boto3.client("elasticache", endpoint_url=args.endpoint_url, region_name=args.region)
    source = available(elasticache, args.group)
    member = elasticache.describe_cache_clusters(CacheClusterId=source["MemberClusters"][0])["CacheClusters"][0]
    snapshot, copy = f"{args.group}-verify", f"{args.group}-verify"
    elasticache.create_snapshot(ReplicationGroupId=args.group, SnapshotName=snapshot)
    available(elasticache, args.group)
    elasticache.create_replication_group(
        ReplicationGroupId=copy, ReplicationGroupDescription="restored from a snapshot", SnapshotName=snapshot,
        Engine=source["Engine"], CacheNodeType=source["CacheNodeType"], NumCacheClusters=1,
        CacheSubnetGroupName=member["CacheSubnetGroupName"],
        SecurityGroupIds=[group["SecurityGroupId"] for group in member["SecurityGroups"]],
        TransitEncryptionEnabled=True, AuthToken=token(args))
    try:
        endpoint = available(elasticache, copy)["NodeGroups"][0]["PrimaryEndpoint"]
        restored = argparse.Namespace(**{**vars(args), "host": endpoint["Address"], "port": endpoint["Port"]})
        assert restored.host.startswith("127."), "only loopback cache servers"
        value = client_for(restored, token(args)).get(args.key)
    finally:
        available(elasticache, copy)
        elasticache.delete_replication_group(ReplicationGroupId=copy)
        elasticache.delete_snapshot(SnapshotName=snapshot)
    return {"value": value.decode() if value is not None else None}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint_url")
    parser.add_argument("action", choices=["probe", "write", "read", "new-token", "auth", "snapshot-restore"])
    for name in ("host", "secret-arn", "ca-bundle"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--key", default="verify:session")
    parser.add_argument("--value", default="written before the snapshot")
    parser.add_argument("--group")
    args = parser.parse_args()
    assert args.endpoint_url.startswith("http://127.0.0.1:"), "only the local endpoint"
    assert args.host.startswith("127."), "only loopback cache servers"

    if args.action == "probe":
        current = token(args)
        result = {"tls": attempt(args, current), "plain": attempt(args, current, tls=False),
                  "wrong_token": attempt(args, current + "x")}
    elif args.action == "write":
        result = {"written": bool(client_for(args, token(args)).set(args.key, args.value))}
    elif args.action == "read":
        value = client_for(args, token(args)).get(args.key)
        result = {"value": value.decode() if value is not None else None}
    elif args.action == "new-token":
        client = boto3.client("secretsmanager", endpoint_url=args.endpoint_url, region_name=args.region)
        new = "".join(secrets.choice(string.ascii_letters + string.digits) for dummy in range(64))
        result = {"version": client.put_secret_value(SecretId=args.secret_arn, SecretString=new)["VersionId"]}
    elif args.action == "auth":
        result = {"current": attempt(args, token(args)), "previous": attempt(args, token(args, "AWSPREVIOUS"))}
    else:
        result = snapshot_restore(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
