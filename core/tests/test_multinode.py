"""Two app nodes against one PostgreSQL, one Redis and one S3-compatible object store (issue 16,
"Beyond one machine"): a write on one node is seen on the other, and huey jobs run exactly once.

Starts its own redis-server and s3rver (npm, devDependency) on free ports, migrates a fresh
PostgreSQL database (on the server of DATABASE_URL) that it drops at the end, then two gunicorn
nodes and one huey consumer per node, all with the same environment (README "Multi-node
deployment"). Skipped when redis-server, s3rver or PostgreSQL is missing, unless
TONGXIN_REQUIRE_MULTINODE=1 (CI), where a missing piece fails instead.
"""

import contextlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from datetime import datetime
from pathlib import Path

import dj_database_url
import pytest

pytestmark = pytest.mark.multinode

ROOT = Path(__file__).resolve().parents[2]
S3RVER = ROOT / "node_modules" / ".bin" / "s3rver"
DEFAULT_SERVER = "postgres://tongxin:tongxin@127.0.0.1:5432/tongxin"
BUCKET = "tongxin-media"
S3_KEY = "S3RVER"  # s3rver's fixed credentials
PASSWORD = "Secret-pass-123"  # the factories' password
TASKS = 40
API_RATE = 6  # API calls per token and minute on the cluster


def _missing() -> str:
    if not shutil.which("redis-server"):
        return "redis-server is not installed (apt-get install redis-server; .ci/run does it)"
    if not S3RVER.exists():
        return "s3rver is not installed (npm ci; package.json devDependencies)"
    try:
        import psycopg

        url = os.environ.get("DATABASE_URL", "")
        server = url if url.startswith("postgres") else DEFAULT_SERVER
        psycopg.connect(_dsn(server), connect_timeout=3).close()
    except Exception as error:
        return f"PostgreSQL is not reachable ({str(error).strip()[:80]})"
    return ""


def _dsn(url: str, name: str | None = None) -> str:
    conf = dj_database_url.parse(url)
    return (
        f"host={conf['HOST'] or '127.0.0.1'} port={conf['PORT'] or 5432} user={conf['USER']} "
        f"password={conf['PASSWORD']} dbname={name or conf['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port} within {seconds} s")


def _png() -> bytes:
    """A real 2×2 PNG (the upload check reads the content, not the name)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Browser:
    """One browser: a cookie jar shared by every node (cookies are per host, not per port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect, urllib.request.HTTPHandler
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(  # noqa: S310 - the test's own http://127.0.0.1 nodes
            url, data=data, headers={"Accept-Language": "zh-hans", **(headers or {})}
        )
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.headers, response.read()

    def get(self, url: str):
        return self.request(url)

    def post(self, url: str, fields: dict, files: dict | None = None, referer: str | None = None):
        token = self.cookie("csrftoken")
        fields = {**fields, "csrfmiddlewaretoken": token}
        headers = {"Referer": referer or url}
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for key, value in fields.items():
                body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
            for key, (filename, content, kind) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n".encode()
                )
                body.write(content + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            return self.request(url, body.getvalue(), headers)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(url, urllib.parse.urlencode(fields).encode(), headers)

    def login(self, node: str, username: str, password: str):
        self.get(f"{node}/accounts/login/")
        return self.post(f"{node}/accounts/login/", {"username": username, "password": password})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("TONGXIN_REQUIRE_MULTINODE") == "1":
            pytest.fail(f"multi-node test cannot run: {missing}")
        pytest.skip(f"multi-node test skipped: {missing}")
    import psycopg

    tmp = tmp_path_factory.mktemp("multinode")
    url = os.environ.get("DATABASE_URL", "")
    server = url if url.startswith("postgres") else DEFAULT_SERVER
    name = f"test_multinode_{secrets.token_hex(4)}"
    admin = psycopg.connect(_dsn(server), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    conf = dj_database_url.parse(server)
    database_url = f"postgres://{conf['USER']}:{conf['PASSWORD']}@{conf['HOST']}:{conf['PORT'] or 5432}/{name}"

    processes: list[subprocess.Popen] = []
    logs = tmp / "logs"
    logs.mkdir()

    def start(what: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (logs / f"{what}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        processes.append(process)
        return process

    from accounts.tests.sso_providers import CASServer

    cas = CASServer({"nodestaff": {"name": ["节点老师"]}})  # in this process, on loopback
    try:
        cas.__enter__()
        redis_port, s3_port = _free_port(), _free_port()
        redis = start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        (tmp / "s3").mkdir()
        s3 = start("s3rver", [str(S3RVER), "-d", str(tmp / "s3"), "-a", "127.0.0.1", "-p", str(s3_port), "-s"])
        _wait_port(redis_port, redis, "redis-server")
        _wait_port(s3_port, s3, "s3rver")
        import minio

        store = minio.Minio(
            f"127.0.0.1:{s3_port}", access_key=S3_KEY, secret_key=S3_KEY, secure=False, region="us-east-1"
        )
        store.make_bucket(bucket_name=BUCKET)

        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TONGXIN_", "DJANGO_", "PYTEST")) and key not in {"DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tongxin.settings",
            DATABASE_URL=database_url,
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            TONGXIN_S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
            TONGXIN_S3_BUCKET=BUCKET,
            TONGXIN_S3_ACCESS_KEY=S3_KEY,
            TONGXIN_S3_SECRET_KEY=S3_KEY,
            TONGXIN_DB_POOL_SIZE="2",
            SECRET_KEY="multinode-" + secrets.token_hex(24),
            TONGXIN_FIELD_KEY="bXVsdGlub2RlLXRlc3QtZmllbGQta2V5LTAxMjM0NTY=",
            TONGXIN_2FA_REQUIRED="0",
            TONGXIN_LOG_LEVEL="INFO",
            TONGXIN_API_RATE_PER_MINUTE=str(API_RATE),
            TONGXIN_CAS_SERVER_URL=cas.url,
            PYTHONPATH=str(ROOT),
        )
        python = sys.executable

        def run(*args: str) -> str:
            result = subprocess.run([python, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout

        started = time.monotonic()
        run("manage.py", "migrate", "--noinput", "-v0")
        print(f"multinode: migrate {time.monotonic() - started:.1f} s")
        seed = json.loads(run("-c", "import django; django.setup(); import core.tests.multinode_seed").strip())
        if not (ROOT / "var" / "static" / "staticfiles.json").exists():
            run("manage.py", "collectstatic", "--noinput", "-v0")

        # Both schedulers check at start-up: start them early enough in a minute to check in the same one.
        if datetime.now().second >= 40:
            time.sleep(61 - datetime.now().second)
        nodes = {}
        for node in ("a", "b"):
            node_env = {**env, "TONGXIN_NODE": node, "TONGXIN_MEDIA_ROOT": str(tmp / f"media-{node}")}
            port = _free_port()
            app = start(
                f"gunicorn-{node}",
                [
                    python,
                    "-m",
                    "gunicorn",
                    "tongxin.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--preload",
                ],
                node_env,
            )
            start(
                f"huey-{node}",
                [
                    python,
                    "-c",
                    "import django; django.setup(); import core.tests.multinode_tasks; "
                    "from django.core.management import call_command; call_command('run_huey', '--huey-verbose')",
                ],
                node_env,
            )
            nodes[node] = (port, app)
        for node, (port, app) in nodes.items():
            _wait_port(port, app, f"node {node}")
        print(f"multinode: cluster up after {time.monotonic() - started:.1f} s")

        def query(sql: str, params=()) -> list[tuple]:
            with psycopg.connect(_dsn(server, name), autocommit=True) as connection:
                return connection.execute(sql, params).fetchall()

        yield {
            "a": f"http://127.0.0.1:{nodes['a'][0]}",
            "b": f"http://127.0.0.1:{nodes['b'][0]}",
            "seed": seed,
            "store": store,
            "query": query,
            "run": run,
            "redis_url": env["REDIS_URL"],
            "cas": cas,
            "logs": logs,
            "media": [tmp / "media-a", tmp / "media-b"],
        }
    finally:
        for process in reversed(processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        cas.__exit__(None, None, None)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_session_from_node_a_is_accepted_on_node_b(cluster):
    browser = Browser()
    status, _, _ = browser.login(cluster["a"], "nodestaff", PASSWORD)
    assert status == 302, "the login on node A redirects to the home page"
    assert browser.cookie("sessionid")
    status, _, body = browser.get(f"{cluster['b']}/events/")
    assert status == 200  # signed in on B with A's cookie (anonymous would be redirected to the login)
    assert "多节点座谈会" in body.decode()
    stranger = Browser()
    assert stranger.get(f"{cluster['b']}/events/")[0] == 302


def test_api_rate_limit_is_shared_by_both_nodes(cluster):
    """API_RATE calls per token and minute in all, whichever node and worker answers (the counter is
    in Redis); the next one gets 429 on either node."""
    if 60 - datetime.now().second < 15:  # all calls in one minute's window
        time.sleep(61 - datetime.now().second)
    headers = {"Authorization": f"Bearer {cluster['seed']['api_token']}"}
    browser = Browser()
    codes = [
        browser.request(f"{cluster['a' if i % 2 else 'b']}/api/v1/plans", headers=headers)[0] for i in range(API_RATE)
    ]
    assert codes == [200] * API_RATE
    assert browser.request(f"{cluster['a']}/api/v1/plans", headers=headers)[0] == 429
    assert browser.request(f"{cluster['b']}/api/v1/plans", headers=headers)[0] == 429


def test_cas_single_logout_on_node_b_ends_the_session_made_on_node_a(cluster):
    """The ticket → session record is in the database and the session in cached_db: the CAS
    server's logout request may reach any node."""
    cas, browser = cluster["cas"], Browser()
    status, headers, _ = browser.get(f"{cluster['a']}/accounts/sso/cas/")
    assert status == 302
    back = cas.sign_in(headers["Location"], "nodestaff")
    assert back.startswith(f"{cluster['a']}/accounts/sso/cas/callback/?ticket=ST-")
    assert browser.get(back)[0] == 302
    assert browser.get(f"{cluster['b']}/events/")[0] == 200  # signed in, on either node
    form = urllib.parse.urlencode({"logoutRequest": cas.logout_request(cas.issued[-1])}).encode()
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    assert Browser().request(f"{cluster['b']}/accounts/sso/cas/callback/", data=form, headers=kind)[0] == 200
    assert browser.get(f"{cluster['a']}/events/")[0] == 302  # to the login page, on both nodes
    assert browser.get(f"{cluster['b']}/events/")[0] == 302


def test_five_failures_on_node_a_lock_the_account_on_node_b(cluster):
    attacker = Browser()
    for _ in range(5):
        status, _, _ = attacker.login(cluster["a"], "nodevictim", "wrong-password-1A")
        assert status == 400
    owner = Browser()
    status, _, body = owner.login(cluster["b"], "nodevictim", PASSWORD)
    assert status == 400
    assert "账号已锁定" in body.decode()
    assert owner.cookie("sessionid") is None


def test_photo_uploaded_on_node_a_downloads_on_node_b_from_the_bucket(cluster):
    browser = Browser()
    browser.login(cluster["a"], "nodestaff", PASSWORD)
    event = cluster["seed"]["event"]
    image = _png()
    browser.get(f"{cluster['a']}/events/{event}/report/")
    status, _, _ = browser.post(
        f"{cluster['a']}/events/{event}/photos/", {"caption": "合影"}, files={"image": ("合影.png", image, "image/png")}
    )
    assert status == 302
    [(photo, stored)] = cluster["query"]("SELECT id, image FROM events_eventphoto WHERE event_id = %s", [event])
    objects = [o.object_name for o in cluster["store"].list_objects(bucket_name=BUCKET, recursive=True)]
    assert objects == [stored]
    assert cluster["store"].get_object(bucket_name=BUCKET, object_name=stored).read() == image
    assert [p for root in cluster["media"] if root.exists() for p in root.rglob("*") if p.is_file()] == []

    status, headers, body = browser.get(f"{cluster['b']}/events/{event}/photos/{photo}/")
    assert status == 200  # streamed by node B's view, not a redirect to the bucket
    assert body == image
    assert headers["Content-Type"] == "image/png"
    assert Browser().get(f"{cluster['b']}/events/{event}/photos/{photo}/")[0] == 302  # anonymous: to the login


def test_public_registration_on_node_a_is_listed_on_node_b(cluster):
    visitor = Browser()
    signup = f"{cluster['a']}/events/signup/{cluster['seed']['token']}/"
    visitor.get(signup)
    status, _, body = visitor.post(signup, {"name": "节点访客", "unit": "兄弟学院"})
    assert status == 200, body.decode()[-500:]
    staff = Browser()
    staff.login(cluster["b"], "nodestaff", PASSWORD)
    status, _, body = staff.get(f"{cluster['b']}/events/{cluster['seed']['event']}/attendance/")
    assert status == 200
    assert re.search(r"节点访客</td><td>兄弟学院", body.decode())


def test_each_task_runs_exactly_once_across_both_consumers(cluster):
    cluster["run"](
        "-c",
        "import django; django.setup(); from core.tests.multinode_tasks import count_run; "
        f"[count_run(n) for n in range({TASKS})]",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = cluster["query"]("SELECT number, node FROM multinode_runs WHERE kind = 'task'")
        if len(rows) >= TASKS:
            break
        time.sleep(0.2)
    time.sleep(1)  # a duplicate would show up now
    rows = cluster["query"]("SELECT number, node FROM multinode_runs WHERE kind = 'task'")
    logs = "".join((cluster["logs"] / f"huey-{n}.log").read_text(errors="replace")[-1500:] for n in "ab")
    assert sorted(number for number, _ in rows) == list(range(TASKS)), logs
    print("tasks run per node:", {n: sum(1 for _, node in rows if node == n) for n in "ab"})


def _scheduler_minutes(cluster, node: str) -> set[str]:
    """The minutes (log time, the app's time zone) in which `node`'s scheduler checked the periodic jobs."""
    text = (cluster["logs"] / f"huey-{node}.log").read_text(errors="replace")
    return set(
        re.findall(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d,\d+\] DEBUG:huey\.consumer\.Scheduler.*Checking periodic", text)
    )


def test_periodic_job_fires_once_per_minute_across_the_cluster(cluster):
    """Both consumers' schedulers check the periodic jobs when they start and then every minute;
    `count_tick` is due every minute. In a minute where both checked, it ran once, not twice."""
    shared: set[str] = set()
    deadline = time.monotonic() + 75  # started in the same minute unless a start-up straddled one
    while time.monotonic() < deadline and not shared:
        shared = _scheduler_minutes(cluster, "a") & _scheduler_minutes(cluster, "b")
        time.sleep(0.5)
    assert shared, "both schedulers checked within one minute"
    time.sleep(2)  # the enqueued tick has run (and a second one would have)
    ticks = cluster["query"](
        "SELECT to_char(ran_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), node FROM multinode_runs "
        "WHERE kind = 'tick'"
    )
    minutes = [minute for minute, _ in ticks]
    assert len(minutes) == len(set(minutes)), f"one run per minute, got {ticks}"
    for minute in shared:
        assert minutes.count(minute) == 1, f"{minute}: both schedulers checked, the job ran {minutes.count(minute)}×"


def test_periodic_claim_goes_to_one_scheduler(cluster):
    """The claim itself, deterministically: two schedulers reading the same minute."""
    from huey import crontab

    from core.cluster import ClusterHuey

    first, second = (ClusterHuey("claimtest", url=cluster["redis_url"]) for _ in range(2))
    for huey in (first, second):
        huey.periodic_task(crontab(minute="*"), name="job")(lambda: None)
    minute = datetime(2026, 12, 3, 4, 5, 6)
    assert [t.name for t in first.read_periodic(minute)] == ["job"]
    assert second.read_periodic(minute) == []
    assert second.read_periodic(minute.replace(minute=6))[0].name == "job"
