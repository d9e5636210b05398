"""From raw measurements to medians, ratios to the bare view, goals and the
Markdown table of `make bench`."""

import math
import statistics

from bench.procstat import NOISE_LIMIT

# The size the goals are stated for; smaller runs are checked all the same,
# and say so.
GOAL_SIZE = "L"
LISTINGS = ("news_listing", "class_page")


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def quiet_or_all(records):
    """The measurements the load guard did not flag, or all of them."""
    quiet = [record for record in records if not record["noisy"]]
    return quiet or records


def ratio(value, reference):
    return value / reference if value is not None and reference else None


def total_cpu(record):
    """The site's and its database's CPU per request."""
    if record["cpu_ms"] is None:
        return None
    return record["cpu_ms"] + (record["db_cpu_ms"] or 0)


def summarize_scenario(records, bare_by_round):
    chosen = quiet_or_all(records)
    bare = [bare_by_round.get(record["round"]) for record in chosen]
    return {
        "rounds": len(records),
        "noisy_rounds": sum(record["noisy"] for record in records),
        "requests": sum(record["requests"] for record in records),
        "errors": sum(record["errors"] for record in records),
        "rps": median(record["rps"] for record in chosen),
        "cpu_ms": median(record["cpu_ms"] for record in chosen),
        "db_cpu_ms": median(record["db_cpu_ms"] for record in chosen),
        "total_cpu_ms": median(total_cpu(record) for record in chosen),
        "cpu_ratio": median(
            ratio(record["cpu_ms"], reference and reference["cpu_ms"])
            for record, reference in zip(chosen, bare, strict=True)
        ),
        "rps_ratio": median(
            ratio(record["rps"], reference and reference["rps"])
            for record, reference in zip(chosen, bare, strict=True)
        ),
        "latency_ms": pooled_percentiles(chosen),
    }


def pooled_percentiles(records):
    """p50, p95 and p99 of every request of ``records`` together."""
    counts = {}
    for record in records:
        for value, count in record.get("histogram_ms", []):
            counts[value] = counts.get(value, 0) + count
    total = sum(counts.values())
    result = dict.fromkeys(("p50", "p95", "p99"))
    if not total:
        return result
    for key, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        rank, seen = max(1, math.ceil(share * total)), 0
        for value in sorted(counts):
            seen += counts[value]
            if seen >= rank:
                result[key] = value
                break
    return result


def summarize(size_result):
    """Per scenario: medians over the rounds, ratios to the bare view of the
    same round, and the SQL queries counted in process."""
    records = size_result["measurements"]
    bare_by_round = {
        record["round"]: record for record in records if record["scenario"] == "bare"
    }
    summary = {}
    for name in dict.fromkeys(record["scenario"] for record in records):
        mine = [record for record in records if record["scenario"] == name]
        summary[name] = summarize_scenario(mine, bare_by_round)
        queries = size_result["queries"].get(name)
        summary[name]["queries"] = (
            {"cold": queries["cold"]["queries"], "warm": queries["warm"]["queries"]}
            if queries
            else ({"cold": 0, "warm": 0} if name == "static" else None)
        )
    return summary


# Formatting


def number(value, digits=1):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ")


def times(value):
    return "–" if value is None else f"×{value:.2f}"


def queries_cell(queries):
    return "–" if queries is None else f"{queries['cold']} / {queries['warm']}"


def milliseconds(value):
    return number(value, 1 if value is not None and value < 10 else 0)


def latency_cell(latency):
    return " / ".join(milliseconds(latency[key]) for key in ("p50", "p95", "p99"))


def noisy_cell(row):
    if not row["noisy_rounds"]:
        return ""
    return f"⚠ {row['noisy_rounds']}/{row['rounds']} noisy"


def scenario_table(size, summary, labels):
    lines = [
        f"### Size {size}",
        "",
        "| scenario | queries cold / warm | CPU ms/req | ×bare CPU | DB CPU ms/req "
        "| req/s | ×bare req/s | p50 / p95 / p99 ms | requests | errors "
        "| load guard |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, row in summary.items():
        lines.append(
            f"| {labels.get(name, name)} | {queries_cell(row['queries'])} "
            f"| {number(row['cpu_ms'], 2)} | {times(row['cpu_ratio'])} "
            f"| {number(row['db_cpu_ms'], 2)} "
            f"| {number(row['rps'], 0)} | {times(row['rps_ratio'])} "
            f"| {latency_cell(row['latency_ms'])} | {row['requests']} "
            f"| {row['errors']} "
            f"| {noisy_cell(row)} |"
        )
    return lines


def size_lines(size, size_result, labels):
    lines = scenario_table(size, size_result["summary"], labels)
    rss = size_result.get("worker_rss_mib") or {}
    lines += [
        "",
        f"- Worker RSS: max {number(max(rss.values(), default=None))} MiB "
        f"({', '.join(number(value) for value in rss.values())}) after "
        f"{size_result.get('requests_served', 0):,} requests served in total.",
    ]
    mixed = size_result.get("mixed")
    if mixed:
        lines.append(
            f"- Mixed journey (80 % anonymous, 20 % families, {mixed['users']} "
            f"users): saturation ≈ {number(mixed['saturation_rps'], 0)} req/s "
            f"(from the wrk numbers), run at {number(mixed['offered_rps'], 0)} "
            f"req/s offered for {mixed['seconds']} s: {number(mixed['rps'], 0)} "
            f"req/s served, p50 {number(mixed['p50_ms'], 0)} ms, p95 "
            f"{number(mixed['p95_ms'], 0)} ms, p99 {number(mixed['p99_ms'], 0)} "
            f"ms, {mixed['failures']} errors / {mixed['requests']} requests"
            + (
                f" (⚠ noisy: others {mixed['others_cores']:.2f} core)."
                if mixed["noisy"]
                else "."
            )
        )
    timings = size_result.get("timings", {})
    lines.append(
        "- Phases (s): "
        + ", ".join(f"{name} {number(value, 0)}" for name, value in timings.items())
    )
    return lines


def scale_lines(small, large, results, labels):
    first, second = results[small]["summary"], results[large]["summary"]
    lines = [
        f"### {large} / {small}",
        "",
        "| scenario | warm queries | CPU ms/req | CPU + DB ms/req | req/s | p95 |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name in first:
        if name not in second:
            continue
        a, b = first[name], second[name]
        queries = (
            f"{a['queries']['warm']} → {b['queries']['warm']}"
            if a["queries"] and b["queries"]
            else "–"
        )
        lines.append(
            f"| {labels.get(name, name)} | {queries} "
            f"| {times(ratio(b['cpu_ms'], a['cpu_ms']))} "
            f"| {times(ratio(b['total_cpu_ms'], a['total_cpu_ms']))} "
            f"| {times(ratio(b['rps'], a['rps']))} "
            f"| {times(ratio(b['latency_ms']['p95'], a['latency_ms']['p95']))} |"
        )
    return lines


# Goals


def at_most(what, value, limit):
    met = None if value is None else value <= limit
    return {"what": what, "value": value, "limit": limit, "at_least": False, "met": met}


def at_least(what, value, limit):
    met = None if value is None else value >= limit
    return {"what": what, "value": value, "limit": limit, "at_least": True, "met": met}


def goals(results):
    """Each goal of the issue, checked on the goal size (or the largest size
    measured, said so). Returns the size and [{"goal", "checks"}]."""
    sizes = list(results)
    size = GOAL_SIZE if GOAL_SIZE in results else sizes[-1]
    small = sizes[0] if sizes[0] != size else None
    summary = results[size]["summary"]
    mixed = results[size].get("mixed") or {}
    rss = results[size].get("worker_rss_mib") or {}

    def value(name, key):
        return summary.get(name, {}).get(key)

    def warm(name):
        queries = value(name, "queries")
        return queries["warm"] if queries else None

    def p95(name):
        return (value(name, "latency_ms") or {}).get("p95")

    def scale(name):
        """CPU of the site and its database per request, large / small."""
        before = results[small]["summary"].get(name, {}) if small else {}
        return ratio(value(name, "total_cpu_ms"), before.get("total_cpu_ms"))

    rows = [
        (
            "Anonymous cached page",
            at_least("×bare req/s", value("public_news_cached", "rps_ratio"), 0.5),
            at_most("warm queries", warm("public_news_cached"), 0),
        ),
        (
            "Public news, uncached",
            at_most("warm queries", warm("public_news"), 5),
            at_most("×bare CPU", value("public_news", "cpu_ratio"), 10),
        ),
        (
            "Family, class news",
            at_most("warm queries", warm("class_news"), 6),
            at_most("×bare CPU", value("class_news", "cpu_ratio"), 12),
        ),
        *(
            (
                f"Listing: {name}",
                at_most("warm queries", warm(name), 6),
                at_most(f"CPU+DB {size}/{small or '?'}", scale(name), 1.2),
            )
            for name in LISTINGS
        ),
        (
            "Personal feed",
            at_most("warm queries", warm("feed"), 5),
            at_most("p95 ms", p95("feed"), 100),
        ),
        ("Library", at_most("p95 ms", p95("library"), 150)),
        ("Admin explorer", at_most("warm queries", warm("explorer"), 40)),
        ("Worker RSS", at_most("max MiB", max(rss.values(), default=None), 150)),
        (
            "Mixed journey",
            at_most("p95 ms", mixed.get("p95_ms"), 150),
            at_most("errors", mixed.get("failures"), 0),
        ),
    ]
    return size, [{"goal": goal, "checks": list(checks)} for goal, *checks in rows]


def goal_value(value):
    return str(value) if isinstance(value, int) else number(value, 2)


def goal_status(checks):
    states = [item["met"] for item in checks]
    if any(state is False for state in states):
        return "❌ MISS"
    if any(state is None for state in states):
        return "– not measured"
    return "✅ met"


def goal_lines(size, goal_rows):
    note = "" if size == GOAL_SIZE else f" (⚠ on size {size}: {GOAL_SIZE} not measured)"
    lines = [
        f"### Goals, checked on size {size}{note}",
        "",
        "| goal | measured | target | status |",
        "|---|---|---|---|",
    ]
    for goal in goal_rows:
        measured = ", ".join(
            f"{item['what']} {goal_value(item['value'])}" for item in goal["checks"]
        )
        target = ", ".join(
            f"{item['what']} {'≥' if item['at_least'] else '≤'} {item['limit']}"
            for item in goal["checks"]
        )
        status = goal_status(goal["checks"])
        lines.append(f"| {goal['goal']} | {measured} | {target} | {status} |")
    return lines


def noise_lines(results):
    """A warning when other processes were busy while we measured."""
    records = [
        record for result in results.values() for record in result["measurements"]
    ]
    noisy = [record for record in records if record["noisy"]]
    if not noisy:
        return []
    worst = max(record["others_cores"] for record in noisy)
    return [
        f"> ⚠ **Load guard: {len(noisy)} of {len(records)} measurements were "
        f"noisy**: other processes used more than {NOISE_LIMIT:.0%} of a core "
        f"(up to {worst:.2f} core) while they ran. Their numbers are slower "
        "than this code deserves; rerun on a quiet machine.",
        "",
    ]


def markdown(run, labels):
    results = run["sizes"]
    machine = run["machine"]
    modified = " (modified tree)" if run["git"]["dirty"] else ""
    lines = [
        f"## `make bench` — {run['started']}",
        "",
        f"Commit {run['git']['commit']}{modified}; "
        f"{machine['cpu']} × {machine['cores']}, {machine['memory_gib']} GiB; "
        f"{run['options']['rounds']} rounds of {run['options']['duration']} s per "
        f"scenario (wrk {run['options']['threads']} threads, "
        f"{run['options']['connections']} connections; gunicorn "
        f"{run['options']['workers']} sync workers). Medians over the rounds the load "
        "guard did not flag; ratios to the bare view of the same round. Latencies "
        "under saturation (closed loop).",
        "",
    ]
    lines += noise_lines(results)
    for size, size_result in results.items():
        lines += size_lines(size, size_result, labels) + [""]
    sizes = list(results)
    if len(sizes) > 1:
        lines += scale_lines(sizes[0], sizes[-1], results, labels) + [""]
    size, goal_rows = run["goals"]
    lines += goal_lines(size, goal_rows)
    return "\n".join(lines) + "\n"
