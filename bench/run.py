"""`make bench`: the site measured at scale, as production runs it.

For each size (S, L): a PostgreSQL database filled by ``seed_scale`` (kept
between runs), gunicorn with 2 sync workers behind nginx (deploy/nginx.conf),
Redis for the cache; beside it, the floor: a minimal Django app on the same
gunicorn settings, behind an nginx of its own. First the bench checks that
every persona of the manifest sees what it should (and no visitor a photo);
then, in interleaved rounds, it measures the floor, the bare view, a static
file and every scenario with wrk (publishing with a Python loop); then a
mixed journey with locust at half its saturation. Results go to
bench/results/.

    python -m bench.run --sizes S L [--rounds 3] [--duration 2]
        [--database-prefix ent_bench]   # databases ent_bench_s, ent_bench_l
    python -m bench.run --manifest PATH --database NAME   # data you seeded
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from bench import report
from bench.measure import LoadOptions, measure_page, measure_publish
from bench.mixed import mixed_journey
from bench.nginx import Nginx
from bench.prepare import (
    ROOT,
    InProcess,
    StaticFiles,
    database_url,
    django_env,
    prepare_size,
    run,
    say,
)
from bench.procstat import Watch, pids_named, wait_until_idle
from bench.scenarios import (
    FLOOR,
    SITE,
    BenchFailure,
    busted,
    load_manifest,
    page_scenarios,
    references,
    with_photos,
)
from bench.server import FLOOR_APP, WORKERS, Server
from bench.sessions import (
    Sessions,
    check_counted,
    check_expected,
    check_pages,
    check_photos,
    find_photos,
    find_publisher,
    python_streaming,
)

RESULTS = ROOT / "bench" / "results"
RSS_AFTER_REQUESTS = 10_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "L"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=2.0, help="s per scenario")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--mixed-seconds", type=int, default=30)
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database name)",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
    )
    parser.add_argument(
        "--database-prefix",
        default=os.environ.get("BENCH_DATABASE_PREFIX", "ent_bench"),
        help="the databases of the sizes are PREFIX_s, PREFIX_l",
    )
    parser.add_argument("--manifest", type=Path, help="measure this seeded data")
    parser.add_argument("--database", help="with --manifest: its database")
    args = parser.parse_args(argv)
    if bool(args.manifest) != bool(args.database):
        parser.error("--manifest and --database go together")
    return args


# Measuring


def flush_cache(redis_url):
    redis.Redis.from_url(redis_url).flushdb()


class Database:
    """The PostgreSQL backends serving the bench's database: our queries."""

    def __init__(self, url):
        self.connection = psycopg.connect(url, autocommit=True)
        self.name = self.connection.info.dbname

    def pids(self):
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
        ).fetchall()
        return [row[0] for row in rows]

    def active(self):
        """Queries running now, but this one."""
        return self.connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND state = 'active' AND pid <> pg_backend_pid()",
            [self.name],
        ).fetchone()[0]

    def close(self):
        self.connection.close()


def warm_up(sessions, scenarios, base_urls):
    """Each worker loads its templates and fills its own caches. Returns the
    median seconds per request (or view) of each scenario."""
    estimates = {}
    for scenario in scenarios:
        if scenario.publishes:
            continue
        session = sessions.get(scenario.user)
        elapsed = []
        for attempt in range(2 * WORKERS):
            urls = scenario.paths or [scenario.url]
            if scenario.busting:
                urls = [busted(url, f"warm-{attempt}") for url in urls]
            started = time.perf_counter()
            for url in urls:
                session.get(base_urls[scenario.target] + url, timeout=60)
            elapsed.append(time.perf_counter() - started)
        estimates[scenario.name] = statistics.median(elapsed)
    return estimates


def shown(value, spec):
    return "–" if value is None else format(value, spec)


def progress(size, number, rounds, scenario, result):
    p95 = result["latency_ms"]["p95"]
    unit = "view" if scenario.paths else "req"
    noisy = ""
    if result["noisy"]:
        noisy = f"  ⚠ noisy (others {result['others_cores']:.2f} core)"
    say(
        f"  [{size} {number + 1}/{rounds}] {scenario.name:<19} "
        f"{result['rps']:8.1f} {unit}/s  "
        f"{shown(result['cpu_ms'], '.2f'):>7} ms CPU/{unit}  "
        f"p95 {shown(p95, '.1f'):>7} ms  "
        f"{result['requests']:6} requests  errors {result['errors']}{noisy}"
    )


def measure_rounds(context, scenarios, options, rounds):
    """Each round measures the references, then every scenario: what drifts
    during the run affects them all alike."""
    measurements = []
    for number in range(rounds):
        for scenario in scenarios:
            result = measure_once(context, scenario, options)
            result["drained_seconds"] = wait_until_idle(*context["busy"])
            result.update(round=number, scenario=scenario.name)
            measurements.append(result)
            progress(context["size"], number, rounds, scenario, result)
    return measurements


def measure_once(context, scenario, options):
    base_url = context["base_urls"][scenario.target]

    def watch():
        return context["watch"](scenario.target)

    if scenario.publishes:
        session = context["sessions"].get(context["publisher"])
        return measure_publish(base_url, watch, scenario, session, options)
    cookie = context["sessions"].cookie(scenario.user)
    duration = options.duration_for(context["estimates"][scenario.name])
    return measure_page(base_url, watch, scenario, cookie, options, duration)


# One size


def log_path(name, size):
    return Path(tempfile.gettempdir()) / f"bench-{name}-{size}.log"


def floor_env():
    """The floor configures Django itself: no settings module."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def with_photo_view(sessions, scenarios, manifest):
    """The scenarios, the photos' view holding the photos its page shows;
    and the problems of the photos' privacy check."""
    page = next(scenario for scenario in scenarios if scenario.name == "photos_page")
    urls = find_photos(sessions, page, manifest["scenarios"]["photos"]["photos"])
    scenarios = [
        with_photos(scenario, urls) if scenario.name == "photos" else scenario
        for scenario in scenarios
    ]
    return scenarios, urls, check_photos(sessions, page, urls)


def bench_size(size, url, manifest_path, args, static):
    """Checks, query counts, rounds and the mixed journey for one size."""
    manifest = load_manifest(manifest_path)
    env = django_env(url, args.redis, static.root)
    scenarios = references(static.reference_url()) + page_scenarios(manifest)
    flush_cache(args.redis)
    started = time.monotonic()
    # Expected counts and SQL queries in process, while the server starts and
    # the pages are checked over HTTP.
    job = InProcess(env, "all", manifest_path)
    database = Database(url)
    # Django answers private images with X-Accel-Redirect: nginx sends them.
    server = Server(
        {**env, "MEDIA_ACCEL_REDIRECT": "/_prive/"}, log_path("gunicorn", size)
    )
    floor = Server(floor_env(), log_path("floor", size), app=FLOOR_APP, ready_path="/")
    try:
        with (
            server,
            floor,
            Nginx(server.address, static.root, env["PRIVATE_MEDIA_ROOT"]) as front,
            Nginx(floor.address, static.root, env["PRIVATE_MEDIA_ROOT"]) as floor_front,
        ):
            sessions = Sessions(front.base_url, manifest)
            problems = check_pages(sessions, scenarios, manifest)
            scenarios, photos, photo_problems = with_photo_view(
                sessions, scenarios, manifest
            )
            problems += photo_problems
            publisher = find_publisher(sessions, scenarios[-1])
            say(f"  [{size}] checking counts and SQL queries in process …")
            checked = job.result()
            problems += check_expected(checked["expected"])
            problems += check_counted(checked["queries"])
            if problems:
                raise BenchFailure("\n".join(problems))
            result = {"expected": checked["expected"], "queries": checked["queries"]}
            result["photo_streaming"] = python_streaming(
                sessions,
                manifest["scenarios"]["photos"]["user"],
                server.base_url,
                photos[0],
            )
            result["timings"] = {"checks": time.monotonic() - started}
            served_by = {
                SITE: lambda: server.process_pids() + front.pids(),
                FLOOR: lambda: floor.process_pids() + floor_front.pids(),
            }
            context = {
                "size": size,
                "args": args,
                "base_url": front.base_url,
                "base_urls": {SITE: front.base_url, FLOOR: floor_front.base_url},
                "sessions": sessions,
                "publisher": publisher,
                # The CPU of gunicorn and nginx, PostgreSQL and Redis.
                "watch": lambda target=SITE: Watch(
                    served_by[target], database.pids, pids_named("redis-server")
                ),
                "busy": (lambda: served_by[SITE]() + served_by[FLOOR](), database),
            }
            measure_server(context, server, scenarios, manifest_path, result)
    finally:
        job.stop()
        database.close()
        InProcess(env, "cleanup").result()
    served = sum(item["requests"] for item in result["measurements"])
    result.update(
        manifest={key: manifest[key] for key in ("size", "seed", "counts", "personas")},
        publisher=publisher,
        requests_served=served + result["mixed"]["requests"],
    )
    if result["requests_served"] < RSS_AFTER_REQUESTS:
        say(f"  ⚠ worker RSS read after only {result['requests_served']} requests")
    return result


def measure_server(context, server, scenarios, manifest_path, result):
    """The rounds, then the mixed journey, then the workers' memory."""
    args = context["args"]
    options = LoadOptions(args.duration, args.threads, args.connections, WORKERS)
    started = time.monotonic()
    flush_cache(args.redis)
    context["estimates"] = warm_up(context["sessions"], scenarios, context["base_urls"])
    result["measurements"] = measure_rounds(context, scenarios, options, args.rounds)
    result["summary"] = report.summarize(result)
    result["timings"]["rounds"] = time.monotonic() - started
    started = time.monotonic()
    result["mixed"] = mixed_journey(
        context, manifest_path, result["summary"], args.mixed_seconds
    )
    result["timings"]["mixed"] = time.monotonic() - started
    result["worker_rss_mib"] = server.worker_rss_mib()


# The whole run


def machine_info(server_url):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    with psycopg.connect(database_url(server_url, "postgres")) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "versions": {
            name: importlib.metadata.version(name)
            for name in ("Django", "wagtail", "gunicorn", "locust")
        },
    }


def git_state():
    def git(*args):
        done = run(["git", *args], os.environ, capture_output=True, text=True)
        return done.stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain")),
        }
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": True}


def without_histograms(run_result):
    """The results as written: every number but the latency histograms
    (the pooled percentiles are in each size's summary)."""
    sizes = {}
    for size, result in run_result["sizes"].items():
        measurements = [
            {key: value for key, value in item.items() if key != "histogram_ms"}
            for item in result["measurements"]
        ]
        sizes[size] = {**result, "measurements": measurements}
    return {**run_result, "sizes": sizes}


def write_results(run_result):
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_result = without_histograms(run_result)
    sizes = "-".join(run_result["sizes"])
    stamp = run_result["started"].replace(":", "").replace("-", "")[:15]
    path = RESULTS / f"{stamp}-{sizes}.json"
    path.write_text(json.dumps(run_result, indent=2, ensure_ascii=False) + "\n")
    return path


def stop_on_sigterm(signum, frame):
    """Ends like Ctrl-C does: the servers started are stopped on the way."""
    raise SystemExit(128 + signum)


def main(argv=None):
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    began = time.monotonic()
    run_result = {
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "git": git_state(),
        "machine": machine_info(args.server),
        "options": {
            "rounds": args.rounds,
            "duration": args.duration,
            "threads": args.threads,
            "connections": args.connections,
            "workers": WORKERS,
            "mixed_seconds": args.mixed_seconds,
            "seed": args.seed,
        },
        "sizes": {},
    }
    static = StaticFiles()
    static.start()
    try:
        targets = plan(args, static)
        for size, url, manifest_path, timings in targets:
            say(f"[{size}] measuring")
            result = bench_size(size, url, manifest_path, args, static)
            result["timings"] = {**timings, **result["timings"]}
            run_result["sizes"][size] = result
    except BenchFailure as failure:
        say(f"\nBENCH FAILED\n{failure}")
        return 1
    finally:
        static.stop()
    run_result["goals"] = report.goals(run_result["sizes"])
    run_result["seconds"] = time.monotonic() - began
    labels = {
        scenario.name: scenario.label
        for scenario in references("") + page_scenarios(load_manifest(targets[0][2]))
    }
    table = report.markdown(run_result, labels)
    path = write_results(run_result)
    (RESULTS / "latest.md").write_text(table)
    say("\n" + table)
    say(
        f"Results: {path.relative_to(ROOT)} and bench/results/latest.md "
        f"({run_result['seconds']:.0f} s)"
    )
    return 0


def plan(args, static):
    """(size, database URL, manifest, timings) for each size: databases are
    prepared while the static files are collected."""
    if args.manifest:
        size = load_manifest(args.manifest)["size"]
        targets = [(size, database_url(args.server, args.database), args.manifest, {})]
    else:
        targets = []
        for size in args.sizes:
            timings = {}
            url, manifest_path = prepare_size(size, args, static.root, timings)
            targets.append((size, url, manifest_path, timings))
    started = time.monotonic()
    static.wait()
    targets[0][3]["static_wait"] = time.monotonic() - started
    return targets


if __name__ == "__main__":
    sys.exit(main())
