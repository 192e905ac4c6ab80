"""Profiles `make bench-load`'s pages in this process (issue 16): total, SQL and template time, slowest query.

    DATABASE_URL=sqlite:///var/bench/province.sqlite3 python bench/profile_pages.py [--only PAGE] [--cprofile]
        [--explain] [--repeat 3] [--sort tottime]

Each page is requested once to warm per-process caches, then `--repeat` times; the best run is reported:
total ms, SQL ms (CaptureQueriesContext, time per query as Django's debug cursor records it), query
count, template ms (time inside Template.render of the page's outermost template minus the SQL run
during it), and the slowest query with its time. `--explain` prints SQLite's / PostgreSQL's plan of
the slowest query; `--cprofile` prints the top functions by cumulative time (`--sort tottime`: by time
spent in the function itself, which shows where template time goes)."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.load_settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT}/var/bench/province.sqlite3")
os.environ.setdefault("TONGXIN_2FA_REQUIRED", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--sort",
        default="cumulative",
        help="pstats order for --cprofile: cumulative, or tottime (where template time goes)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.template import base as template_base
    from django.test.utils import CaptureQueriesContext

    from bench.bench_load import pages, role_client

    listed, users = pages()
    if args.only:
        listed = [p for p in listed if args.only in p[0]]

    depth = {"n": 0, "t": 0.0, "q": 0.0}
    original_render = template_base.Template.render

    def timed_render(self, context):
        depth["n"] += 1
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            depth["n"] -= 1
            if depth["n"] == 0:
                depth["t"] += time.perf_counter() - started

    template_base.Template.render = timed_render
    clients = {}
    print(f"{'page':<22} {'total':>8} {'sql':>8} {'n':>4} {'tmpl':>8}  slowest query")
    for page, role, path in listed:
        client = role_client(clients, users, role)
        client.get(path)
        best = None
        for _ in range(args.repeat):
            depth["t"] = 0.0
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                total = time.perf_counter() - started
            sql = sum(float(q["time"]) for q in captured.captured_queries)
            run = (total, sql, len(captured), depth["t"], list(captured.captured_queries), response.status_code)
            if best is None or run[0] < best[0]:
                best = run
        total, sql, n, tmpl, queries, status = best
        slowest = max(queries, key=lambda q: float(q["time"])) if queries else {"time": "0", "sql": ""}
        print(
            f"{page:<22} {total * 1000:7.0f}ms {sql * 1000:7.0f}ms {n:4d} {tmpl * 1000:7.0f}ms  "
            f"[{float(slowest['time']) * 1000:.0f} ms] {slowest['sql'][:300]}"
            + ("" if status == 200 else f" STATUS {status}")
        )
        if args.explain and slowest["sql"]:
            for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"    -- {float(q['time']) * 1000:.0f} ms: {q['sql'][:1500]}")
                with connection.cursor() as cursor:
                    cursor.execute(
                        "EXPLAIN QUERY PLAN " + q["sql"] if connection.vendor == "sqlite" else "EXPLAIN " + q["sql"]
                    )
                    for row in cursor.fetchall():
                        print("       ", row)
        if args.cprofile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
