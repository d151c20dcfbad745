"""`make up` runs the demo (tests/demo.sh --keep) on a fresh endpoint with the latency model on and leaves it
running; its last screen is the summary; long waits report progress; a headless browser opens the site through the
endpoint; `make down` stops everything with no process left behind. One demo run serves every test here."""

import json
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

# One worker runs them all, in this order (the Makefile runs pytest with --dist loadgroup).
pytestmark = [pytest.mark.newest_line_only, pytest.mark.xdist_group("demo")]
REPO = Path(__file__).resolve().parents[2]
# The database and the cache stay pending this long, so that their wait steps run for several progress intervals (2 s).
# The cache is created after the database and waited for after it: with a longer latency it is still pending when its
# wait starts, whatever the database's wait took, so both waits report progress (with equal ones it could be ready).
# The database's wait starts when the cache and the bucket have been started (about 15 s on a busy 2-core machine), and
# sees the database ready at most a quarter of its time late (plugins/module_utils/waiting.py): it ends within 50 s of
# the database's creation, when the cache, created after it, is pending for 10 s more at least.
LATENCY = {"rds:db-instance": 40, "elasticache:replication-group": 60}
# Warnings of the dependencies that the README's known issues list; anything else fails the test.
KNOWN_WARNINGS = [
    r".*CryptographyDeprecationWarning: DSA is deprecated.*",
    r"\s+from cryptography\.hazmat\.primitives\.asymmetric\.dsa import \($",
    r"\[WARNING\]: Deprecation warnings can be disabled by setting `deprecation_warnings=False` in ansible\.cfg\.",
    r"\[DEPRECATION WARNING\]: In a release after 2026-05-01 iam_role\.assume_role_policy_document_raw .*",
    r"\[DEPRECATION WARNING\]: The 'values' key in resource_record_sets return value is deprecated.*",
    r"\[DEPRECATION WARNING\]: The 'status\.values' return value is deprecated.*",
]
SECTIONS = ["WHAT WAS BUILT", "STACK REPORTS", "API CALLS", "HOW TO REACH IT", "TRY NEXT"]


def make(target, env):
    return subprocess.run(["make", "--no-print-directory", "-C", str(REPO), target], env=env, capture_output=True,
                          text=True, check=False, timeout=1800)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def processes_naming(text):
    """Pids of processes whose command line names `text`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    demo_dir = tmp_path_factory.mktemp("demo") / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOCAL_AWS_", "MAKE"))}
    env.update(STORAGEKIT_DEMO_DIR=str(demo_dir), STORAGEKIT_PROGRESS_INTERVAL="2",
               LOCAL_AWS_LATENCY_SECONDS=json.dumps(LATENCY))
    started = time.monotonic()
    result = make("up", env)
    seconds = time.monotonic() - started
    try:
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        yield {"dir": demo_dir, "kube_dir": Path(f"{demo_dir}-kube"), "env": env, "stdout": result.stdout,
               "output": result.stdout + result.stderr, "seconds": seconds,
               "url": (demo_dir / "url").read_text().strip()}
    finally:
        make("down", env)


def test_the_last_screen_is_the_summary(demo):
    screen = demo["stdout"][demo["stdout"].rindex("=" * 100) + 100:]
    positions = [screen.index(f"\n{section}") for section in SECTIONS]
    assert positions == sorted(positions), screen
    built = screen[positions[0]:positions[1]]
    for expected in ("PostgreSQL  demo-db (available", "Valkey      demo-sessions (available", "3 private subnets in "
                     "us-east-1a, us-east-1b, us-east-1c", "DynamoDB    demo-items (ACTIVE", "alias www.demo.example",
                     "StorageClasses efs (efs.csi.aws.com), gp3-sc (ebs.csi.aws.com)", "3 mount targets",
                     "demo-eks-loki-chunks"):
        assert expected in built, built
    table = re.findall(r"^  (\w+)\s+(\d+)\s+(\d+)$", screen[positions[2]:positions[3]], re.MULTILINE)
    assert [row[0] for row in table] == ["web_app_stack", "serverless_app", "static_website", "eks_platform_storage"]
    calls = json.loads((demo["dir"] / "api-calls.json").read_text())
    assert {name: (str(c["reads"]), str(c["writes"])) for name, c in calls.items()} == {n: (r, w) for n, r, w in table}
    assert demo["url"] in screen[positions[3]:positions[4]]
    assert "make down" in screen[positions[3]:positions[4]]
    assert re.search(r"Checked just now, as printed: psql answered PostgreSQL \d+\.\d+, redis-cli answered PONG",
                     screen[positions[3]:positions[4]]), screen
    # No JSON dump after the summary.
    assert "{" not in screen[positions[4]:]


def test_no_warning_but_the_known_ones_of_dependencies(demo):
    for line in demo["output"].splitlines():
        if re.search(r"warn", line, re.IGNORECASE) and "[progress]" not in line:
            assert any(re.fullmatch(pattern, line) for pattern in KNOWN_WARNINGS), line


def test_long_waits_report_what_is_pending(demo):
    log = (demo["dir"] / "playbooks.log").read_text()
    for step in ("Wait until the primary instance is available - demo-db",
                 "Wait until the replication group is available - demo-sessions"):
        assert re.search(rf"^\[progress\] still running after \d+s on localhost: [\w.]+ : {step}$", log, re.MULTILINE) \
            or re.search(rf"^\[progress\] finished after \d+s on localhost: [\w.]+ : {step}$", log, re.MULTILINE), log[-3000:]
    assert re.search(r"^\[progress\] still running after \d+s on localhost: .*Wait until", log, re.MULTILINE)


def test_the_endpoint_and_the_kubernetes_api_stay_up(demo):
    assert requests.get(demo["url"] + "/_local_aws/health", timeout=10).json()["status"] == "ok"
    env_sh = (demo["dir"] / "env.sh").read_text()
    assert f'export AWS_ENDPOINT_URL="{demo["url"]}"' in env_sh
    # One of the summary's commands, as a newcomer would run it.
    result = subprocess.run(["bash", "-c", f". {demo['dir']}/env.sh && ansible localhost -m "
                             "storagekit.aws.dynamodb_table_info -a name=demo-items"],
                            capture_output=True, text=True, check=False, cwd=REPO, env=demo["env"], timeout=300)
    assert result.returncode == 0 and "demo-items" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_the_summary_reaches_the_database_and_the_cache_with_their_own_clients(demo):
    """The psql, redis-cli and boto3 lines of the summary, run as printed: TLS verified, secrets from Secrets Manager."""
    screen = demo["stdout"][demo["stdout"].rindex("HOW TO REACH IT"):]
    for prefix, expected in (("PGPASSWORD=", "PostgreSQL 1"), ("REDISCLI_AUTH=", "PONG"),
                             ("python -c \"import boto3; print(boto3.client('rds')", "'Address': '127.")):
        line = next(line.strip() for line in screen.splitlines() if line.strip().startswith(prefix))
        result = subprocess.run(["bash", "-c", f". {demo['dir']}/env.sh && {line}"], capture_output=True, text=True,
                                check=False, cwd=REPO, env=demo["env"], timeout=120)
        assert result.returncode == 0 and expected in result.stdout, line + "\n" + result.stdout + result.stderr


def test_a_headless_browser_opens_the_site(demo, tmp_path):
    browser = REPO / ".tools" / "chromium"
    if not browser.exists():
        pytest.skip("no headless Chromium: tests/install_browser.sh installs it")
    site = f"http://www.demo.example.localhost:{demo['url'].rsplit(':', 1)[1]}/"
    result = subprocess.run([str(browser), "--no-sandbox", "--disable-gpu", f"--screenshot={tmp_path}/site.png",
                             "--window-size=800,600", "--dump-dom", site],
                            capture_output=True, text=True, check=False, timeout=120)
    # The page came from the private bucket through the distribution, and so did its script: it ran.
    assert "<h1 data-loaded=\"true\">Served from a private S3 bucket through CloudFront</h1>" in result.stdout, \
        result.stdout + result.stderr[-2000:]
    assert (tmp_path / "site.png").stat().st_size > 1000


def test_each_playbook_wrote_its_stack_report_from_what_it_made(demo):
    reports = {path.name: path.read_text() for path in (demo["dir"] / "reports").glob("*.md")}
    assert sorted(reports) == ["eks_platform_storage-demo-eks.md", "serverless_app-demo.md",
                               "static_website-www-demo-example-site.md", "web_app_stack-demo.md"]
    screen = demo["stdout"][demo["stdout"].rindex("STACK REPORTS"):]
    assert all(str(demo["dir"] / "reports" / name) in screen for name in reports)
    web = reports["web_app_stack-demo.md"]
    assert "What the run left in place." in web and "arn:aws:rds:us-east-1:" in web and "app --> db" in web
    assert "## Monthly estimate" in web and "known after apply" not in web.split("## How it is secured")[0]
    eks = (demo["dir"] / "reports" / "eks_platform_storage-demo-eks.mmd").read_text()
    # The seed's shape: the application to the tiers, each observability component to its buckets.
    for link in ("app --> component_mimir", "component_mimir --> bucket_demo_eks_mimir_metrics",
                 "component_loki --> bucket_demo_eks_loki_chunks", "app --> efs", "app --> ebs"):
        assert link in eks, eks


def test_the_stack_diagrams_render(demo, tmp_path):
    """The mermaid CLI (tests/install_mermaid.sh) parses and renders the four diagrams, in one browser start."""
    mmdc = REPO / ".tools" / "mmdc"
    if not mmdc.exists():
        pytest.skip("no mermaid CLI: tests/install_mermaid.sh installs it")
    diagrams = sorted((demo["dir"] / "reports").glob("*.mmd"))
    assert len(diagrams) == 4
    source = tmp_path / "diagrams.md"
    source.write_text("".join("```mermaid\n{0}```\n\n".format(d.read_text()) for d in diagrams))
    result = subprocess.run([str(mmdc), "-i", str(source), "-o", str(tmp_path / "rendered.md"), "-q"],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for index, diagram in enumerate(diagrams, start=1):
        svg = (tmp_path / f"rendered-{index}.svg").read_text()
        assert svg.startswith("<svg") and "Syntax error" not in svg, diagram.name
        labels = re.findall(r'\[\(?"(?:<b>[^<]*</b><br/>)?([^"<]+)', diagram.read_text())
        assert labels and all(label in svg for label in labels), (diagram.name, [label for label in labels if label not in svg])


def test_make_down_leaves_no_process_behind(demo):
    pids = [int((directory / "pid").read_text()) for directory in (demo["dir"], demo["kube_dir"])]
    ports = [int(url.rsplit(":", 1)[1]) for url in (demo["url"], (demo["kube_dir"] / "url").read_text().strip())]
    assert all(alive(pid) for pid in pids)
    result = make("down", demo["env"])
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)
    assert processes_naming(str(demo["dir"])) == []
    for port in ports:
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
