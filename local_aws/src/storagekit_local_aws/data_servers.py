"""Real PostgreSQL and Redis servers behind RDS DB instances and ElastiCache replication groups.

The RDS and ElastiCache extensions start them: Debian's `postgresql` (initdb, then `postgres` as a
child of the endpoint; as the `postgres` user when the endpoint runs as root, since PostgreSQL
refuses root) and `redis-server` (Valkey is wire-compatible for everything the collection uses).

Each server gets its own loopback address (127.x.y.z, all of 127.0.0.0/8 is loopback on Linux) and
listens there on the port the API was asked for, so the instance's Endpoint and Port are what AWS
would report and clients connect with nothing but those. TLS uses a server certificate for that
address, signed by a CA the endpoint makes once per state directory (`ca_bundle_path`, also served
at GET /_local_aws/ca).

Every server writes a record (pid, kind) in STATE/pids; `stop_all` stops them when the endpoint
stops, and `sweep` kills what a crashed endpoint left (the `up` command runs it). If a server
cannot start (package missing), the API still answers and the reason goes to the endpoint's log.
"""

import datetime
import ipaddress
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POSTGRES_ADMIN = "rdsadmin"  # the bootstrap superuser, as on RDS; the master user is not a superuser
REDIS_ADMIN = "storagekit-admin"  # the endpoint's own ACL user, for snapshots and token changes
STOP_TIMEOUT = 15
DATA_ROOT_PREFIX = "sk-local-aws-"


class ServerError(RuntimeError):
    """A data server could not be started or changed."""


def log(message):
    print(f"local AWS data servers: {message}", file=sys.stderr, flush=True)


# --- certificates ----------------------------------------------------------------------------

def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class LocalCA:
    """The CA of the data servers' certificates, kept in DIR (ca.crt, ca.key) for the endpoint's life."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.cert_path = self.directory / "ca.crt"
        key_path = self.directory / "ca.key"
        if self.cert_path.exists() and key_path.exists():
            self.key = serialization.load_pem_private_key(key_path.read_bytes(), None)
            self.cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())
            return
        now = datetime.datetime.now(datetime.UTC)
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name("storagekit local AWS data CA")).issuer_name(_name("storagekit local AWS data CA"))
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        key_path.write_bytes(_pem_key(self.key))
        key_path.chmod(0o600)
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def server_certificate(self, address):
        """(certificate PEM, key PEM) for a server on `address` (IP SAN, and localhost)."""
        now = datetime.datetime.now(datetime.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(address)).issuer_name(self.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address)),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM), _pem_key(key)


# --- addresses, processes, records ---------------------------------------------------------

def free_address(port):
    """A loopback address (127.x.y.z) where `port` is free; each server gets its own."""
    for dummy in range(50):
        address = f"127.{random.randint(16, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((address, port))
            except OSError:
                continue
        return address
    raise ServerError(f"no loopback address with port {port} free")


def _alive_as(pid, binary):
    """True while `pid` still runs `binary` (a pid may be reused by anything else). The process name,
    not the command line, which redis-server rewrites."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == binary[:15]
    except OSError:
        return False


def _kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def sweep(state_dir):
    """Kill the servers a crashed endpoint left in STATE/pids and remove their data; returns how many
    were still running."""
    killed = 0
    data_root = Path(state_dir) / "data_root"
    left = Path(data_root.read_text().strip()) if data_root.exists() else None
    for record_path in sorted((Path(state_dir) / "pids").glob("*.json")):
        try:
            record = json.loads(record_path.read_text())
        except (OSError, ValueError):
            record_path.unlink(missing_ok=True)
            continue
        if _alive_as(record["pid"], record["binary"]):
            _kill_group(record["pid"], signal.SIGKILL)
            killed += 1
        record_path.unlink(missing_ok=True)
    if left is not None and left.name.startswith(DATA_ROOT_PREFIX):
        shutil.rmtree(left, ignore_errors=True)
    data_root.unlink(missing_ok=True)
    return killed


def _owner():
    """(user, uid, gid) to run PostgreSQL as: `postgres` when the endpoint is root, else the endpoint's own."""
    if os.geteuid() != 0:
        return None, None, None
    import pwd

    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise ServerError("running as root and there is no postgres user to run PostgreSQL as") from None
    return "postgres", entry.pw_uid, entry.pw_gid


def _chown_tree(path, uid, gid):
    if uid is None:
        return
    os.chown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), uid, gid)


def postgres_bin():
    """The newest /usr/lib/postgresql/N/bin, or the directory of `postgres` on PATH; None if neither."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("postgres")
    return Path(os.path.realpath(found)).parent if found else None


class Server:
    """One running server process, child of the endpoint."""

    kind = None
    binary = None

    def __init__(self, servers, name, directory, address, port):
        self.servers, self.name, self.directory = servers, name, Path(directory)
        self.address, self.port = address, port
        self.process = None

    @property
    def record_path(self):
        return self.servers.state_dir / "pids" / f"{self.name}.json"

    def _spawn(self, argv, user=None):
        log_file = open(self.directory.parent / f"{self.directory.name}.log", "ab")  # noqa: SIM115 (kept by the child)
        try:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                                            start_new_session=True, user=user, cwd=self.directory)
        finally:
            log_file.close()
        self.record_path.parent.mkdir(parents=True, exist_ok=True)
        self.record_path.write_text(json.dumps({"pid": self.process.pid, "binary": self.binary,
                                                "kind": self.kind, "directory": str(self.directory)}))

    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Stop the server (a fast shutdown, then SIGKILL) and forget its record."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, self.stop_signal)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _kill_group(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_TIMEOUT)
        self.record_path.unlink(missing_ok=True)

    stop_signal = signal.SIGTERM

    def describe(self):
        return {"name": self.name, "kind": self.kind, "address": self.address, "port": self.port,
                "pid": self.process.pid if self.process else None, "running": self.running()}


# --- PostgreSQL ------------------------------------------------------------------------------

def sql_literal(value):
    return "'" + str(value).replace("'", "''") + "'"


def sql_identifier(value):
    return '"' + str(value).replace('"', '""') + '"'


class PostgresServer(Server):
    """A PostgreSQL cluster in its own data directory, with the master user, the database and TLS."""

    kind = "postgres"
    binary = "postgres"
    stop_signal = signal.SIGINT  # fast shutdown

    def __init__(self, servers, name, directory, address, port, bin_dir):
        super().__init__(servers, name, directory, address, port)
        self.bin_dir = bin_dir
        self.user, self.uid, self.gid = _owner()
        self.force_ssl = True
        self.secret_arn = None
        self.master_username = None

    def run(self, tool, *args, timeout=120):
        """Run a PostgreSQL program as the server's owner; raise ServerError with its output on failure."""
        result = subprocess.run([str(self.bin_dir / tool), *args], user=self.user, capture_output=True, text=True,
                                timeout=timeout, cwd="/", check=False)
        if result.returncode != 0:
            raise ServerError(f"{tool} failed for {self.name}: {result.stderr.strip() or result.stdout.strip()}")
        return result.stdout

    def sql(self, *statements, database="postgres"):
        """Run statements (each in its own transaction) as the bootstrap superuser over the Unix socket."""
        args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.directory), "-p", str(self.port),
                "-U", POSTGRES_ADMIN, "-d", database, "-At"]
        for statement in statements:
            args += ["-c", statement]
        return self.run("psql", *args)

    def initdb(self):
        """A new cluster; initdb runs once per endpoint and later clusters copy its result (faster)."""
        template = self.servers.data_root / "postgres" / "template"
        with self.servers.template_lock:
            if not (template / "PG_VERSION").exists():
                shutil.rmtree(template, ignore_errors=True)
                template.mkdir(parents=True)
                template.chmod(0o700)
                _chown_tree(template, self.uid, self.gid)
                self.run("initdb", "-D", str(template), "-U", POSTGRES_ADMIN, "-E", "UTF8", "--no-sync",
                         "--wal-segsize=1",
                         "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions")
        self.copy_from(template)

    def copy_from(self, source):
        """This server's data directory as a copy of a stopped cluster or a base backup."""
        shutil.copytree(source, self.directory, symlinks=True,
                        ignore=shutil.ignore_patterns(".s.PGSQL.*", "postmaster.pid", "standby.signal"))
        self.directory.chmod(0o700)
        _chown_tree(self.directory, self.uid, self.gid)

    def configure(self, force_ssl):
        """Write the listen address, TLS files and pg_hba.conf (hostssl only when force_ssl)."""
        self.force_ssl = force_ssl
        cert, key = self.servers.ca.server_certificate(self.address)
        (self.directory / "server.crt").write_bytes(cert)
        (self.directory / "server.key").write_bytes(key)
        (self.directory / "server.key").chmod(0o600)
        settings = {
            "listen_addresses": sql_literal(self.address), "port": self.port,
            "unix_socket_directories": sql_literal(str(self.directory)),
            "ssl": "on", "ssl_cert_file": "'server.crt'", "ssl_key_file": "'server.key'",
            "ssl_min_protocol_version": "'TLSv1.2'", "password_encryption": "'scram-sha-256'",
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "shared_buffers": "'16MB'", "max_connections": 40, "wal_level": "replica",
            "max_wal_senders": 5, "hot_standby": "on", "logging_collector": "off",
            # in the data directory, so a killed server leaves no segment in /dev/shm
            "dynamic_shared_memory_type": "mmap",
        }
        (self.directory / "storagekit.conf").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
        conf = self.directory / "postgresql.conf"
        if "include 'storagekit.conf'" not in conf.read_text():
            with conf.open("a") as handle:
                handle.write("\ninclude 'storagekit.conf'\n")
        self.write_hba(force_ssl)
        _chown_tree(self.directory, self.uid, self.gid)

    def write_hba(self, force_ssl):
        lines = [f"local all {POSTGRES_ADMIN} trust", f"local replication {POSTGRES_ADMIN} trust",
                 "hostssl all all 127.0.0.0/8 scram-sha-256"]
        if not force_ssl:
            lines.append("host all all 127.0.0.0/8 scram-sha-256")
        (self.directory / "pg_hba.conf").write_text("\n".join(lines) + "\n")
        if self.uid is not None:
            os.chown(self.directory / "pg_hba.conf", self.uid, self.gid)

    def set_force_ssl(self, force_ssl):
        """rds.force_ssl is dynamic on RDS: rewrite pg_hba.conf and reload."""
        if force_ssl == self.force_ssl or not self.running():
            return
        self.force_ssl = force_ssl
        self.write_hba(force_ssl)
        os.kill(self.process.pid, signal.SIGHUP)

    def start(self):
        for stale in ("postmaster.pid", f".s.PGSQL.{self.port}.lock"):
            (self.directory / stale).unlink(missing_ok=True)
        self._spawn([str(self.bin_dir / "postgres"), "-D", str(self.directory)], user=self.user)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"postgres for {self.name} exited; see {self.directory}.log")
            ready = subprocess.run([str(self.bin_dir / "pg_isready"), "-q", "-h", str(self.directory),
                                    "-p", str(self.port), "-U", POSTGRES_ADMIN], check=False, cwd="/")
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"postgres for {self.name} did not accept connections in 60 s")

    def bootstrap(self, username, password, database):
        """The master user (not a superuser: rds_superuser-like), the rds_iam role and the database."""
        self.master_username = username
        database_statement = [f"CREATE DATABASE {sql_identifier(database)} OWNER {sql_identifier(username)}"]
        self.sql(
            "CREATE ROLE rds_superuser NOLOGIN",
            "CREATE ROLE rds_iam NOLOGIN",
            "GRANT pg_read_all_data, pg_write_all_data, pg_monitor, pg_signal_backend TO rds_superuser",
            f"CREATE ROLE {sql_identifier(username)} LOGIN CREATEDB CREATEROLE IN ROLE rds_superuser "
            f"PASSWORD {sql_literal(password)}",
            f"GRANT rds_iam TO {sql_identifier(username)} WITH ADMIN OPTION",
            *(database_statement if database else []),
        )

    def set_password(self, username, password):
        self.sql(f"ALTER ROLE {sql_identifier(username)} PASSWORD {sql_literal(password)}")

    def is_standby(self):
        return self.sql("SELECT pg_is_in_recovery()").strip() == "t"

    def base_backup(self, target, standby=False):
        """A consistent copy of the running cluster (pg_basebackup with its WAL); a standby's with -R."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        _chown_tree(target.parent, self.uid, self.gid)
        args = ["-D", str(target), "-h", str(self.directory), "-p", str(self.port), "-U", POSTGRES_ADMIN,
                "-X", "stream", "-c", "fast", "--no-sync"]
        if standby:
            args.append("-R")
        self.run("pg_basebackup", *args)

    def snapshot_to(self, target):
        self.base_backup(target)

    def promote(self):
        if self.is_standby():
            self.sql("SELECT pg_promote(true, 60)")


# --- Redis -----------------------------------------------------------------------------------

def redis_bin():
    return shutil.which("valkey-server") or shutil.which("redis-server")


class RedisServer(Server):
    """redis-server (or valkey-server) with the AUTH token(s) on the default user and TLS when asked."""

    kind = "redis"

    def __init__(self, servers, name, directory, address, port, binary_path):
        super().__init__(servers, name, directory, address, port)
        self.binary_path = binary_path
        self.binary = Path(binary_path).name
        self.admin_password = os.urandom(16).hex()

    def write_config(self, tokens, tls):
        self.directory.mkdir(parents=True, exist_ok=True)
        lines = [f"bind {self.address}", "protected-mode no", "daemonize no", f"dir {self.directory}",
                 "dbfilename dump.rdb", 'save ""', "appendonly no",
                 f"unixsocket {self.directory / 'redis.sock'}", "unixsocketperm 700",
                 f"user {REDIS_ADMIN} on >{self.admin_password} ~* &* +@all",
                 # The tokens are set over the admin socket once the server runs (set_tokens): a token may hold
                 # characters the configuration file's parser reads as quotes or comments.
                 "user default off ~* &* +@all"]
        self.tokens = tokens
        if tls:
            cert, key = self.servers.ca.server_certificate(self.address)
            (self.directory / "server.crt").write_bytes(cert)
            (self.directory / "server.key").write_bytes(key)
            (self.directory / "server.key").chmod(0o600)
            lines += ["port 0", f"tls-port {self.port}", f"tls-cert-file {self.directory / 'server.crt'}",
                      f"tls-key-file {self.directory / 'server.key'}",
                      f"tls-ca-cert-file {self.servers.ca.cert_path}", "tls-auth-clients no"]
        else:
            lines.append(f"port {self.port}")
        (self.directory / "redis.conf").write_text("\n".join(lines) + "\n")

    def start(self):
        self._spawn([self.binary_path, str(self.directory / "redis.conf")])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"{self.binary} for {self.name} exited; see {self.directory}.log")
            try:
                self.command("PING")
                self.set_tokens(self.tokens)
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServerError(f"{self.binary} for {self.name} did not answer in 30 s")

    def command(self, *args):
        """One command over the Unix socket as the endpoint's ACL user; returns the reply's first line."""
        with socket.socket(socket.AF_UNIX) as connection:
            connection.settimeout(30)
            connection.connect(str(self.directory / "redis.sock"))
            payload = b""
            for command in (("AUTH", REDIS_ADMIN, self.admin_password), args):
                payload += f"*{len(command)}\r\n".encode()
                for arg in command:
                    data = str(arg).encode()
                    payload += b"$%d\r\n%s\r\n" % (len(data), data)
            connection.sendall(payload)
            replies = b""
            while replies.count(b"\r\n") < 2:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                replies += chunk
        lines = replies.split(b"\r\n")
        for line in lines[:2]:
            if line.startswith(b"-"):
                raise ServerError(f"{self.binary} {self.name}: {line[1:].decode(errors='replace')}")
        return lines[1].decode(errors="replace") if len(lines) > 1 else ""

    def set_tokens(self, tokens):
        """Exactly these AUTH tokens (none: no AUTH) on the default user."""
        if tokens:
            self.command("ACL", "SETUSER", "default", "on", "resetpass", *[f">{t}" for t in tokens])
        else:
            self.command("ACL", "SETUSER", "default", "on", "resetpass", "nopass")

    def snapshot_to(self, target):
        """SAVE, then copy the RDB file to `target`."""
        self.command("SAVE")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.directory / "dump.rdb", target)


# --- the registry ----------------------------------------------------------------------------

class DataServers:
    """The data servers of one endpoint, under STATE (a temporary directory when none is given)."""

    def __init__(self, state_dir=None):
        self._temporary = state_dir is None
        # Absolute: the servers run in their own directories and read the CA from here.
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="storagekit-local-aws-")).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._data_root = None
        self._lock = threading.RLock()
        self.template_lock = threading.Lock()
        self._ca = None
        self.servers = {}  # name -> Server
        self.snapshots = {}  # (kind, snapshot name) -> path
        self._warned = set()

    @property
    def data_root(self):
        """Where data directories and snapshots live: a directory in memory (/dev/shm) when there is one,
        since copying clusters on a busy disk takes seconds, else the temporary directory; the data is as
        short-lived as moto's state."""
        with self._lock:
            if self._data_root is None:
                # Short paths: a Unix socket path has at most 107 bytes.
                shm = Path("/dev/shm")
                parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
                self._data_root = Path(tempfile.mkdtemp(prefix=DATA_ROOT_PREFIX, dir=parent))
                self._data_root.chmod(0o711)  # PostgreSQL runs below it as another user
                (self.state_dir / "data_root").write_text(f"{self._data_root}\n")
            return self._data_root

    @property
    def ca(self):
        with self._lock:
            if self._ca is None:
                self._ca = LocalCA(self.state_dir / "ca")
            return self._ca

    @property
    def ca_bundle_path(self):
        return self.ca.cert_path

    def warn_once(self, key, message):
        with self._lock:
            if key in self._warned:
                return
            self._warned.add(key)
        log(message)

    def get(self, name):
        with self._lock:
            return self.servers.get(name)

    def _take(self, name):
        with self._lock:
            return self.servers.pop(name, None)

    def _directory(self, kind, name):
        base = self.data_root / kind
        base.mkdir(parents=True, exist_ok=True)
        if kind == "postgres":
            user, uid, gid = _owner()
            if uid is not None:
                os.chown(base, uid, gid)
        return base / os.urandom(4).hex()  # short, for the Unix socket path; the name is in the log

    # PostgreSQL

    def start_postgres(self, name, port, username, password, database, force_ssl, source=None,
                       standby_of=None):
        """A new server: empty (initdb), from a snapshot directory (`source`) or a standby of a running
        server (`standby_of`, streaming replication). Returns the server, or None (and logs why)."""
        bin_dir = postgres_bin()
        if bin_dir is None:
            self.warn_once("postgres-missing", "PostgreSQL is not installed (Debian package postgresql): "
                                               "RDS instances have no server behind them")
            return None
        self.stop(name)
        server = PostgresServer(self, name, self._directory("postgres", name), free_address(port), port, bin_dir)
        try:
            if standby_of is not None:
                standby_of.base_backup(server.directory, standby=True)
            elif source is not None:
                server.copy_from(source)
            else:
                server.initdb()
            server.configure(force_ssl)
            server.start()
            if source is None and standby_of is None:
                server.bootstrap(username, password, database)
            elif source is not None and password is not None and username:
                server.set_password(username, password)
            server.master_username = username
        except (ServerError, OSError, subprocess.SubprocessError) as error:
            server.stop()
            log(f"PostgreSQL for {name} did not start: {error}")
            return None
        with self._lock:
            self.servers[name] = server
        log(f"PostgreSQL for {name} on {server.address}:{port} ({server.directory})")
        return server

    def snapshot(self, name, snapshot):
        """Copy the running server of `name` into the snapshot `snapshot` (a base backup of PostgreSQL,
        the RDB file of Redis); False when no server runs or the copy fails (logged)."""
        server = self.get(name)
        if server is None or not server.running():
            return False
        target = self.data_root / server.kind / "snapshots" / f"{snapshot}-{os.urandom(3).hex()}"
        try:
            server.snapshot_to(target)
        except (ServerError, OSError) as error:
            log(f"snapshot {snapshot} of {name} has no data: {error}")
            return False
        with self._lock:
            self.snapshots[(server.kind, snapshot)] = (target, time.time(), name)
        return True

    def snapshot_path(self, kind, snapshot):
        """Where the snapshot's data is ("postgres" or "redis"), or None."""
        with self._lock:
            entry = self.snapshots.get((kind, snapshot))
        return entry[0] if entry else None

    def latest_postgres_snapshot(self, source_name, before):
        """The newest snapshot of `source_name` taken at or before the time `before` (epoch seconds)."""
        with self._lock:
            taken = [(at, path) for (kind, dummy), (path, at, source) in self.snapshots.items()
                     if kind == "postgres" and source == source_name and at <= before]
        return max(taken)[1] if taken else None

    def forget_snapshot(self, kind, snapshot):
        with self._lock:
            entry = self.snapshots.pop((kind, snapshot), None)
        if entry:
            path = Path(entry[0])
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    def postgres_with_secret(self, secret_arn):
        with self._lock:
            return [s for s in self.servers.values() if isinstance(s, PostgresServer) and s.secret_arn == secret_arn]

    # Redis

    def start_redis(self, name, port, tokens, tls, rdb=None):
        binary = redis_bin()
        if binary is None:
            self.warn_once("redis-missing", "redis-server / valkey-server is not installed (Debian package "
                                            "redis-server): ElastiCache groups have no server behind them")
            return None
        self.stop(name)
        server = RedisServer(self, name, self._directory("redis", name), free_address(port), port, binary)
        try:
            server.write_config(tokens, tls)
            if rdb is not None:
                shutil.copyfile(rdb, server.directory / "dump.rdb")
            server.start()
        except (ServerError, OSError) as error:
            server.stop()
            log(f"{Path(binary).name} for {name} did not start: {error}")
            return None
        with self._lock:
            self.servers[name] = server
        log(f"{server.binary} for {name} on {server.address}:{port}{' (TLS)' if tls else ''}")
        return server

    # all

    def rename(self, old, new):
        with self._lock:
            if old in self.servers:
                server = self.servers[new] = self.servers.pop(old)
                record = server.record_path
                server.name = new
                if record.exists():
                    record.replace(server.record_path)

    def stop(self, name):
        server = self._take(name)
        if server is not None:
            server.stop()
            shutil.rmtree(server.directory, ignore_errors=True)

    def describe(self):
        with self._lock:
            servers = list(self.servers.values())
        return [server.describe() for server in servers]

    def stop_all(self, remove=True):
        """Stop every server; with `remove`, also drop the snapshots and the data (reset)."""
        with self._lock:
            servers = list(self.servers.values())
            self.servers.clear()
            snapshots = list(self.snapshots)
        for server in servers:
            server.stop()
            if remove:
                shutil.rmtree(server.directory, ignore_errors=True)
        if remove:
            for kind, name in snapshots:
                self.forget_snapshot(kind, name)

    def close(self):
        self.stop_all()
        if self._data_root is not None:
            shutil.rmtree(self._data_root, ignore_errors=True)
            (self.state_dir / "data_root").unlink(missing_ok=True)
        if self._temporary:
            shutil.rmtree(self.state_dir, ignore_errors=True)
