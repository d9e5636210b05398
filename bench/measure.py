"""One measurement of one scenario: wrk for pages, a small Python loop for
publishing; what it cost the server, read from /proc around it."""

import json
import math
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.forms import publish_data

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass(frozen=True)
class LoadOptions:
    duration: float = 2.0  # seconds of each measurement
    threads: int = 2
    connections: int = 4
    workers: int = 2  # the server's
    publish_minimum: int = 3  # publications per measurement, at least
    # Slow pages are measured longer, to get this many requests per
    # measurement, up to ``longest`` times the duration…
    minimum_requests: int = 10
    longest: float = 2.0
    # … or, for very slow pages, long enough for each connection to finish
    # two requests (they wait in line for the workers), within this limit.
    ceiling: float = 15.0

    def duration_for(self, seconds_per_request):
        """Seconds to measure a page that takes ``seconds_per_request``."""
        wanted = self.minimum_requests * seconds_per_request / self.workers
        in_line = seconds_per_request * self.connections / self.workers
        longest = max(self.longest * self.duration, min(2.5 * in_line, self.ceiling))
        return min(max(self.duration, wanted), longest)


def percentile(values, share):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def wrk(base_url, scenario, cookie, options, duration):
    """wrk's own numbers for one scenario (see wrk.lua)."""
    nonce = uuid.uuid4().hex[:8]
    command = [
        "wrk",
        f"--threads={options.threads}",
        f"--connections={options.connections}",
        f"--duration={math.ceil(duration)}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        base_url,
        "--",
        " ".join(scenario.paths) or scenario.url,
        cookie,
        "1" if scenario.busting else "0",
        nonce,
    ]
    done = subprocess.run(  # noqa: S603 (our own command line)
        command, capture_output=True, text=True, check=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line.removeprefix("BENCH "))
    raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")


def measure_page(base_url, watch, scenario, cookie, options, duration):
    """``watch()`` gives what to read /proc with (bench.procstat.Watch).
    A view of several requests (a page and its photos) counts as one."""
    with watch() as usage:
        result = wrk(base_url, scenario, cookie, options, duration)
    errors = sum(result["errors"].values()) - result["errors"]["status"]
    latency = {
        key: value / 1000 if result["requests"] else None
        for key, value in result["latency_us"].items()
    }
    # At the end of the window each worker is, on average, half-way through
    # a request that wrk will not count: the CPU of the window paid for that
    # much more work.
    served = result["requests"] + options.workers / 2 if result["requests"] else 0
    return record(
        usage,
        requests=result["requests"],
        served=served / scenario.requests_per_view,
        per_view=scenario.requests_per_view,
        seconds=result["duration_us"] / 1e6,
        latency_ms=latency,
        errors=errors + result["not_200"],
        histogram_ms=[[value / 1000, count] for value, count in result["histogram_us"]],
    )


def publish_once(session, url, form_page, number, nonce):
    started = time.perf_counter()
    response = session.post(
        url, data=publish_data(form_page, number, nonce), allow_redirects=False
    )
    elapsed = time.perf_counter() - started
    # Wagtail answers a successful publication with a redirect to the explorer.
    return elapsed, response.status_code == 302


def measure_publish(base_url, watch, scenario, session, options):
    """Publishes news items one after the other for the measurement's
    duration (and at least ``publish_minimum``)."""
    url = base_url + scenario.url
    form_page = session.get(url).text
    nonce = uuid.uuid4().hex[:8]
    latencies, failures = [], 0
    with watch() as usage:
        started = time.monotonic()
        while (
            time.monotonic() - started < options.duration
            or len(latencies) < options.publish_minimum
        ):
            elapsed, published = publish_once(
                session, url, form_page, len(latencies) + 1, nonce
            )
            latencies.append(elapsed)
            failures += not published
        seconds = time.monotonic() - started
    return record(
        usage,
        requests=len(latencies),
        served=len(latencies),
        seconds=seconds,
        latency_ms={
            "p50": percentile(latencies, 0.50) * 1000,
            "p95": percentile(latencies, 0.95) * 1000,
            "p99": percentile(latencies, 0.99) * 1000,
            "max": max(latencies) * 1000,
        },
        errors=failures,
        histogram_ms=[[round(value * 1000, 1), 1] for value in latencies],
    )


def record(watch, requests, served, seconds, latency_ms, errors, per_view=1, **extra):
    """What one measurement gives: throughput, CPU per request (or view)
    served (server, database, load generator), latency, errors, and the load
    guard."""
    usage = watch.usage()
    cpu = usage["cpu_seconds"]

    def per_request(party):
        # Nothing finished: the CPU went to requests cut off at the end.
        return cpu[party] * 1000 / served if served else None

    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": requests / per_view / seconds if seconds else 0,
        "cpu_ms": per_request("server"),
        "db_cpu_ms": per_request("database"),
        "generator_cpu_ms": per_request("generator"),
        "cache_cpu_ms": per_request("cache"),
        "cpu_seconds": cpu,
        "latency_ms": {
            key: None if value is None else round(value, 2)
            for key, value in latency_ms.items()
        },
        "errors": errors,
        "noisy": usage["noisy"],
        "others_cores": usage["others_cores"],
        "load_average": usage["load_average"],
        **extra,
    }
