"""The mixed journey: locust (bench/locustfile.py) at half the mix's
saturation, estimated from the wrk numbers of the same run."""

import csv
import math
import os
import subprocess
import tempfile
from pathlib import Path

from bench.prepare import PYTHON, ROOT, run, say

MIXED_SHARES = {"anonymous": 0.8, "family": 0.2}
FAMILY_PAGES = ("class_page", "class_news", "feed")


def mixed_saturation(summary):
    """Requests per second the server could take of the mix, from the wrk
    throughputs: visitors hit the anonymous cache, families render."""
    # A page that served nothing in its rounds counts as 0.1 req/s.
    anonymous = summary["public_news_cached"]["rps"] or 0.1
    family = [summary[name]["rps"] or 0.1 for name in FAMILY_PAGES]
    seconds_per_request = MIXED_SHARES["anonymous"] / anonymous + sum(
        MIXED_SHARES["family"] / len(family) / rps for rps in family
    )
    return 1 / seconds_per_request


def locust_stats(prefix):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows


def as_number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def mixed_journey(context, manifest_path, summary, seconds):
    saturation = mixed_saturation(summary)
    offered = saturation / 2
    # Each user offers at most 4 requests per second; 4 visitors for a family.
    users = max(10, 5 * math.ceil(offered / 20))
    env = {
        **os.environ,
        "BENCH_MANIFEST": str(manifest_path),
        "BENCH_USER_RATE": f"{offered / users:.4f}",
        "PYTHONPATH": str(ROOT),
    }
    say(
        f"  [{context['size']}] mixed journey: {users} users offering "
        f"{offered:.0f} req/s (saturation ≈ {saturation:.0f}) for {seconds} s"
    )
    log_path = Path(tempfile.gettempdir()) / f"bench-locust-{context['size']}.log"
    with (
        tempfile.TemporaryDirectory() as folder,
        log_path.open("w") as log,
        context["watch"]() as watch,
    ):
        prefix = f"{folder}/mixed"
        run(
            [
                str(Path(PYTHON).with_name("locust")),
                "--locustfile=bench/locustfile.py",
                "--headless",
                "--only-summary",
                f"--host={context['base_url']}",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                f"--csv={prefix}",
                "--loglevel=ERROR",
                "--stop-timeout=5",
                "--exit-code-on-error=0",
            ],
            env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=seconds + 120,
        )
        rows = locust_stats(prefix)
    total = rows["Aggregated"]
    usage = watch.usage()
    requests_count = int(total["Request Count"])
    return {
        "users": users,
        "seconds": seconds,
        "saturation_rps": saturation,
        "offered_rps": offered,
        "requests": requests_count,
        "failures": int(total["Failure Count"]),
        "rps": as_number(total["Requests/s"]),
        "p50_ms": as_number(total["50%"]),
        "p95_ms": as_number(total["95%"]),
        "p99_ms": as_number(total["99%"]),
        "cpu_ms": usage["cpu_seconds"]["server"] * 1000 / max(requests_count, 1),
        "noisy": usage["noisy"],
        "others_cores": usage["others_cores"],
        "by_name": {
            name: {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p95_ms": as_number(row["95%"]),
            }
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }
