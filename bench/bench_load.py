# ruff: noqa: S603, S310  (runs local tools and talks to its own gunicorn on 127.0.0.1)
"""Load benchmark (`make bench-load`): every role's main pages under gunicorn, beside a bare Django view.

    python bench/bench_load.py [--scale small|province] [--duration 5] [--connections 4] [--only PAGE]

1. Data: a database of its own per scale, filled once (migrate, load_demo, generate_scale): SQLite at
   var/bench/<scale>.sqlite3, or, when DATABASE_URL names a PostgreSQL server, the database
   tongxin_bench_<scale> on that server (created when missing; the role needs CREATEDB).
2. Queries per page: measured in this process with the Django test client + CaptureQueriesContext
   (second request, so per-process caches are warm), logged in as the page's role.
3. Load: gunicorn (2 workers, a free port) serves Tongxin and, on another port, the bare view
   (bench/bare.py). Each role logs in through the login form (two-factor off: TONGXIN_2FA_REQUIRED=0);
   every page is driven by `wrk` with that session cookie. A page that does not answer 200 is an error.
4. Prints page, req/s, p50, p95, p99, errors, queries/request and the ratio to the bare view; saves
   the run as JSON in bench/results/ and flags regressions against the previous run of the same scale
   and database (ratio to the bare view down by more than 20%, or p95 up by more than 30%).

Targets (issue 16): p95 <= 100 ms and >= 0.15 of the bare view; the member's event page and the public
sign-up page >= 0.30; p95 at 100x the data <= 1.3 x p95 at 1x: a province run prints, per page, its p95
over the latest `--scale college` run's (the province's sizes / 100) on the same database. Exit status 0
even when a target is missed (a shared machine is noisy); the table marks misses. `wrk` is a Debian
package: the script installs it when missing and it can."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"

SCALES = {
    # 1x for the "p95 at 100x the data" target: the province's sizes / 100
    "college": {"orgs": 2, "people": 600, "events": 300, "suggestions": 2000, "items": 50},
    "small": {"orgs": 10, "people": 3000, "events": 1000, "suggestions": 5000, "items": 300},
    "province": {"orgs": 150, "people": 60000, "events": 30000, "suggestions": 200000, "items": 5000},
}
TARGET_P95_MS = 100
TARGET_RATIO = 0.15
TARGET_GROWTH = 1.3  # p95 at 100x the data over p95 at 1x
TARGET_RATIO_MEMBER = 0.30  # the member's event page and the public sign-up page
MEMBER_TARGET_PAGES = {"member event page", "public sign-up"}
PASSWORD = "Tongxin@2026"

WRK_LUA = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing the Debian package (apt-get install -y wrk)", file=sys.stderr)
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    subprocess.run(command, check=False)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: apt-get install wrk")
    return found


def environment(database_url: str, media: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        TONGXIN_MEDIA_ROOT=str(media),
        TONGXIN_2FA_REQUIRED="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    )
    return env


def bench_database_url(scale: str) -> str:
    """var/bench/<scale>.sqlite3, or tongxin_bench_<scale> on DATABASE_URL's PostgreSQL server."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        return f"sqlite:///{ROOT}/var/bench/{scale}.sqlite3"
    import psycopg

    name = f"tongxin_bench_{scale}"
    with psycopg.connect(configured, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')  # name: a fixed prefix and one of SCALES
    parts = urllib.parse.urlsplit(configured)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def growth(rows: list[dict], one_x: dict | None) -> str:
    """Per page: p95 here over p95 in the 1x run (target <= TARGET_GROWTH)."""
    if not one_x:
        return "no --scale college run on this database yet: run it for the p95 growth at 100x the data"
    old = {r["page"]: r for r in one_x["pages"]}
    lines = [f"p95 at 100x the data / p95 at 1x (college run {one_x['at']}; target <= {TARGET_GROWTH})"]
    for r in rows:
        was = old.get(r["page"])
        if was and was["p95_ms"]:
            factor = r["p95_ms"] / was["p95_ms"]
            r["growth"] = factor
            mark = "" if factor <= TARGET_GROWTH else "  MISS"
            lines.append(f"  {r['page']:<22} {was['p95_ms']:6.0f}ms -> {r['p95_ms']:6.0f}ms  x{factor:.2f}{mark}")
    return "\n".join(lines)


def prepare_database(scale: str, env: dict) -> None:
    """migrate + load_demo + generate_scale, once (a marker row: the generated colleges)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    check = "from orgs.models import Organisation as O; print(O.objects.filter(slug__startswith='scale-').count())"
    out = subprocess.run([*manage, "shell", "-c", check], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    if int(out.stdout.strip().splitlines()[-1]) or SCALES[scale]["orgs"] == 1:
        return
    subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    args = [f"--{k}={v}" for k, v in SCALES[scale].items()]
    started = time.monotonic()
    subprocess.run([*manage, "generate_scale", *args], env=env, check=True, cwd=ROOT)
    print(f"generate_scale --scale {scale}: {time.monotonic() - started:.0f} s", file=sys.stderr)


def pages() -> tuple[list[tuple[str, str, str]], dict]:
    """[(page, role username or "", path)] over the demo college's data, and the users by name."""
    from django.db.models import Count

    from accounts.models import User
    from events.models import Event
    from orgs.models import Organisation
    from people.models import Person
    from plans.models import Item, Plan

    org = Organisation.objects.get(slug="demo")
    plan = Plan.objects.filter(organisation=org, status=Plan.Status.PUBLISHED).order_by("-year").first()
    item = Item.objects.filter(plan=plan).annotate(n=Count("reports")).order_by("-n", "id").first()
    person = Person.objects.for_org(org).annotate(n=Count("contacts")).order_by("-n", "id").first()
    event = Event.objects.filter(organisation=org).annotate(n=Count("registrations")).order_by("-n", "id").first()
    member_event = Event.objects.filter(organisation=org, public_signup=True, title="民主党派成员学习交流会").first()
    if member_event is None:
        member_event = Event.objects.filter(organisation=org, public_signup=True).order_by("-starts_at").first()
    listed = [
        ("home (UFD)", "ufd", "/"),
        ("plan tree", "ufd", f"/plans/{plan.pk}/"),
        ("plan item", "ufd", f"/plans/items/{item.pk}/"),
        ("督办 supervision", "ufd", "/plans/supervision/"),
        ("registry list", "ufd", "/people/"),
        ("registry search", "ufd", "/people/?" + urllib.parse.urlencode({"q": "王"})),
        ("person page", "ufd", f"/people/{person.pk}/"),
        ("registry figures", "ufd", "/people/figures/"),
        ("events list", "ufd", "/events/"),
        ("event page", "ufd", f"/events/{event.pk}/"),
        ("attendance", "ufd", f"/events/{event.pk}/attendance/"),
        ("suggestions inbox", "ufd", "/proposals/"),
        ("suggestion figures", "ufd", "/proposals/figures/"),
        ("home (liaison)", "liaison", "/"),
        ("本部门任务 my dept", "liaison", "/plans/my-department/"),
        ("home (leader)", "leader", "/"),
        ("home (member)", "member", "/"),
        ("member events", "member", "/events/m/"),
        ("member event page", "member", f"/events/m/{member_event.pk}/"),
        ("member suggestions", "member", "/proposals/mine/"),
        ("member profile", "member", "/people/me/"),
        ("public sign-up", "", f"/events/signup/{member_event.public_token}/"),
    ]
    users = {u.username: u for u in User.objects.filter(username__in={r for _, r, _ in listed if r})}
    return listed, users


def role_client(clients: dict, users, role):
    """One test client per role, logged in once (anonymous for no role)."""
    from django.test import Client

    if role not in clients:
        clients[role] = Client()
        if role:
            clients[role].force_login(users[role])
    return clients[role]


def count_queries(listed, users) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    clients = {}
    for page, role, path in listed:
        client = role_client(clients, users, role)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[page] = len(captured) if response.status_code == 200 else -response.status_code
    return counts


def start(command: list[str], env: dict, port: int, probe: str) -> subprocess.Popen:
    """Starts gunicorn and waits until both workers answer (the master listens before they boot)."""
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    answered = 0
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5):
                answered += 1
            if answered >= 4:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")


def gunicorn(app: str, port: int, env: dict, probe: str = "/") -> subprocess.Popen:
    command = [str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    return start([*command, "--pythonpath", str(ROOT), "--log-level", "warning"], env, port, probe)


def login(base: str, username: str) -> str:
    """Logs in through the form; returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    request = urllib.request.Request(base + "/accounts/login/", data=data.encode(), headers={"Referer": base + "/"})
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def check_status(url: str, cookie: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(wrk: str, url: str, cookie: str, *, duration: int, connections: int, script: str) -> dict:
    command = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests, micros, p50, p95, p99, errors = map(int, re.search(r"RESULT (.+)", out).group(1).split())
    return {
        "rps": requests / (micros / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors,
        "requests": requests,
    }


def previous_run(scale: str, vendor: str) -> dict | None:
    runs = sorted(RESULTS.glob(f"load-{scale}-{vendor}-*.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def table(rows: list[dict], before: dict | None) -> str:
    old = {r["page"]: r for r in (before or {}).get("pages", [])}
    head = f"{'page':<22} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>5} {'queries':>7} {'ratio':>6}  note"
    lines = [head, "-" * len(head)]
    for r in rows:
        notes = []
        if r["page"] != "bare Django view":
            need = TARGET_RATIO_MEMBER if r["page"] in MEMBER_TARGET_PAGES else TARGET_RATIO
            if r["p95_ms"] > TARGET_P95_MS:
                notes.append("p95>100ms")
            if r["ratio"] < need:
                notes.append(f"ratio<{need}")
            was = old.get(r["page"])
            if was and was["ratio"] and r["ratio"] < 0.8 * was["ratio"]:
                notes.append(f"REGRESSION ratio {was['ratio']:.3f}->{r['ratio']:.3f}")
            if was and r["p95_ms"] > 1.3 * was["p95_ms"] and r["p95_ms"] > 20:
                notes.append(f"REGRESSION p95 {was['p95_ms']:.0f}->{r['p95_ms']:.0f}ms")
        if not r["requests"]:
            notes.append("no request finished within the window (each took longer)")
        lines.append(
            f"{r['page']:<22} {r['rps']:7.1f} {r['p50_ms']:6.1f}ms {r['p95_ms']:5.0f}ms {r['p99_ms']:5.0f}ms "
            f"{r['errors']:5d} {r['queries']:7} {r['ratio']:6.3f}  {' '.join(notes)}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--note", default="", help="saved with the results (e.g. 'before session fix')")
    args = parser.parse_args()

    wrk = ensure_wrk()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    database_url = bench_database_url(args.scale)
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    env = environment(database_url, ROOT / "var" / "bench" / "media")
    prepare_database(args.scale, env)

    os.environ.update(env)
    import django

    django.setup()
    listed, users = pages()
    if args.only:
        listed = [p for p in listed if args.only in p[0]]
    queries = count_queries(listed, users)

    app_port, bare_port = free_port(), free_port()
    app = gunicorn("tongxin.wsgi:application", app_port, env, "/accounts/login/")
    bare = gunicorn("bench.bare:application", bare_port, {**env, "DJANGO_SETTINGS_MODULE": "bench.bare"})
    rows = []
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_LUA)
        options = {"duration": args.duration, "connections": args.connections, "script": script.name}
        base = f"http://127.0.0.1:{app_port}"
        run_wrk(wrk, f"http://127.0.0.1:{bare_port}/", "", **{**options, "duration": 1})  # warm-up
        baseline = run_wrk(wrk, f"http://127.0.0.1:{bare_port}/", "", **options)
        rows.append({"page": "bare Django view", "path": "/", **baseline, "queries": 0, "ratio": 1.0})
        cookies = {role: login(base, role) for role in {r for _, r, _ in listed if r}}
        for page, role, path in listed:
            cookie = cookies.get(role, "")
            status = check_status(base + path, cookie)
            run_wrk(wrk, base + path, cookie, **{**options, "duration": 1})  # warm-up, not counted
            result = run_wrk(wrk, base + path, cookie, **options)
            if status != 200:
                result["errors"] = max(result["errors"], result["requests"])
            rows.append(
                {
                    "page": page,
                    "role": role or "anonymous",
                    "path": path,
                    "status": status,
                    **result,
                    "queries": queries.get(page),
                    "ratio": result["rps"] / baseline["rps"] if baseline["rps"] else 0,
                }
            )
            print(f"  {page}: {result['rps']:.1f} req/s, p95 {result['p95_ms']:.0f} ms", file=sys.stderr)
    finally:
        for process in (app, bare):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a worker still busy with a slow page
                process.kill()
                process.wait()
        Path(script.name).unlink(missing_ok=True)

    before = previous_run(args.scale, vendor)
    print(table(rows, before))
    if args.scale == "province":
        print(growth(rows, previous_run("college", vendor)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "scale": args.scale,
        "database": vendor,
        "at": stamp,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        "gunicorn_workers": 2,
        "duration_s": args.duration,
        "connections": args.connections,
        "note": args.note,
        "pages": rows,
    }
    path = RESULTS / f"load-{args.scale}-{vendor}-{stamp}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"saved {path.relative_to(ROOT)}" + (f"; compared with {before['at']}" if before else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
