"""CPU time and memory of processes, and of the whole machine, from /proc
(Linux only)."""

import os
import resource
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Busy time of other processes beyond this share of one core marks a
# measurement as noisy.
NOISE_LIMIT = 0.10


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    # The command name may hold spaces: count the fields after its ")".
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def pids_named(name):
    """Processes whose command is ``name`` (e.g. redis-server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def machine_busy_ticks():
    """Busy time of every CPU of the machine since boot, in clock ticks."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, first[1:9])
    return user + nice + system + irq + softirq + steal


def own_children_ticks():
    """CPU time of this process and its finished children (wrk, locust)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = me.ru_utime + me.ru_stime + done.ru_utime + done.ru_stime
    return seconds * CLOCK_TICKS


def load_average():
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass
class Snapshot:
    """CPU counters at one instant."""

    at: float
    machine: int
    workers: dict
    database: dict
    cache: dict
    generator: float
    load: float


class Watch:
    """What the server, the database, the cache and the load generator spent
    during one measurement, and whether anything else was busy.

    ``server_pids`` and ``database_pids`` give the pids of the moment. The
    database's are sampled all along: PostgreSQL's parallel workers live
    only as long as one query."""

    def __init__(self, server_pids, database_pids, cache_pids=(), every=0.1):
        self.server_pids = server_pids
        self.database_pids = database_pids
        self.cache_pids = list(cache_pids)
        self.every = every
        self.start = self.end = None
        self.database_first, self.database_last = {}, {}
        self.stopping = threading.Event()
        self.sampler = threading.Thread(target=self.sample, daemon=True)

    def snapshot(self):
        return Snapshot(
            at=time.monotonic(),
            machine=machine_busy_ticks(),
            workers={pid: cpu_ticks(pid) for pid in self.server_pids()},
            database={},
            cache={pid: cpu_ticks(pid) for pid in self.cache_pids},
            generator=own_children_ticks(),
            load=load_average(),
        )

    def note_database(self, at_start=False):
        for pid in self.database_pids():
            ticks = cpu_ticks(pid)
            # Born during the measurement: all its time is ours.
            self.database_first.setdefault(pid, ticks if at_start else 0)
            self.database_last[pid] = max(ticks, self.database_last.get(pid, 0))

    def sample(self):
        while not self.stopping.wait(self.every):
            self.note_database()

    def __enter__(self):
        self.note_database(at_start=True)
        self.start = self.snapshot()
        self.sampler.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.sampler.join()
        self.note_database()
        self.end = self.snapshot()
        self.start.database = self.database_first
        self.end.database = self.database_last

    def usage(self):
        """CPU seconds of each party, and of the rest of the machine."""
        start, end = self.start, self.end
        seconds = end.at - start.at
        parties = {
            "server": delta(start.workers, end.workers),
            "database": delta(start.database, end.database),
            "cache": delta(start.cache, end.cache),
            "generator": end.generator - start.generator,
        }
        ours = sum(parties.values())
        others = max(0, end.machine - start.machine - ours)
        usage = {name: ticks / CLOCK_TICKS for name, ticks in parties.items()}
        others_cores = others / CLOCK_TICKS / seconds if seconds else 0
        return {
            "seconds": seconds,
            "cpu_seconds": usage,
            "others_cores": round(others_cores, 3),
            "noisy": others_cores > NOISE_LIMIT,
            "load_average": [start.load, end.load],
        }


def delta(before, after):
    """Ticks spent between two readings, by processes present in both or
    born in between."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


def wait_until_idle(server_pids, database, timeout=60.0, interval=0.25):
    """Waits until the server uses no CPU and the database runs none of our
    queries: requests a load generator gave up on at the end of a
    measurement are still being served, and must not count in the next
    one. Returns the seconds waited."""
    started = time.monotonic()
    before = {pid: cpu_ticks(pid) for pid in server_pids()}
    while time.monotonic() - started < timeout:
        time.sleep(interval)
        now = {pid: cpu_ticks(pid) for pid in server_pids()}
        if delta(before, now) <= 1 and not database.active():
            break
        before = now
    return time.monotonic() - started
