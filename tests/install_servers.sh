#!/usr/bin/env bash
# Install the database and cache servers the local AWS endpoint runs behind RDS and ElastiCache:
# Debian's postgresql (initdb, postgres, pg_basebackup) and redis-server (Valkey has no package in
# Debian 12; Redis 7 speaks the same protocol for AUTH, TLS and RDB). Installs only what is missing,
# with apt-get when run as root (as CI is) and with sudo -n when that works; otherwise says what to run.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || command -v postgres >/dev/null \
  || missing+=(postgresql)
command -v valkey-server >/dev/null || command -v redis-server >/dev/null || missing+=(redis-server)
# The clients the demo's summary shows (the server packages bring them; a machine may have the servers alone).
command -v psql >/dev/null || missing+=(postgresql-client)
command -v redis-cli >/dev/null || command -v valkey-cli >/dev/null || missing+=(redis-tools)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "missing ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}'" >&2
  echo "(without them the local AWS endpoint answers the API but runs no database or cache)" >&2
  exit 0
fi
command -v apt-get >/dev/null || { echo "missing ${missing[*]} and no apt-get to install them" >&2; exit 1; }
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >&2
# The packages' own services are not wanted: the endpoint starts its servers itself.
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
for service in postgresql redis-server; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
    "${as_root[@]}" systemctl disable --now "$service" >&2 || true
  fi
done
