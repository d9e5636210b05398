"""What the bench needs before measuring: Django commands run with the
bench's settings, the static files collected, a database per size migrated
and seeded."""

import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.scenarios import BenchFailure

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = sys.executable
STATIC_REFERENCE = "dsfr/dist/dsfr/dsfr.min.css"
# One key for every process of a run (sessions, signed values).
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40)


def say(message=""):
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def media_root(database_url):
    """Where the images of the database at ``database_url`` are stored."""
    return DATA / "media" / database_url.rsplit("/", 1)[-1]


def django_env(database_url, redis_url, static_root):
    media = media_root(database_url)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BENCH_STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media / "public"),
        "PRIVATE_MEDIA_ROOT": str(media / "private"),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
    }


def run(command, env, **options):
    return subprocess.run(  # noqa: S603 (our own command lines)
        command, env=env, cwd=ROOT, check=True, **options
    )


def manage(env, *args):
    run([PYTHON, "manage.py", *args], env)


class InProcess:
    """bench/queries.py in a process of its own, with the bench's settings;
    it runs in the background until ``result()`` is asked for."""

    def __init__(self, env, command, manifest_path=None):
        extra = ["--manifest", str(manifest_path)] if manifest_path else []
        self.output = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [PYTHON, "-m", "bench.queries", command, *extra],
            env=env,
            cwd=ROOT,
            stdout=self.output,
        )

    def result(self):
        if self.process.wait() != 0:
            raise BenchFailure("bench/queries.py failed (see above)")
        self.output.seek(0)
        return json.loads(self.output.read().strip().splitlines()[-1])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()
        self.output.close()


def static_fingerprint():
    """Changes when an installed package or one of our static files does."""
    digest = hashlib.sha256()
    for dist in sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
    ):
        digest.update(dist.encode())
    for path in sorted((ROOT / "ent_site" / "static").rglob("*")):
        stat = path.stat()
        digest.update(
            f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
        )
    return digest.hexdigest()[:16]


class StaticFiles:
    """collectstatic into a folder of the bench, kept while nothing changes
    (compressing DSFR's files takes more than a minute); it runs in the
    background while the databases are prepared."""

    def __init__(self):
        self.root = DATA / "static" / static_fingerprint()
        self.building = self.root.with_suffix(".building")
        self.process = None

    def start(self):
        if (self.root / "staticfiles.json").exists():
            return
        shutil.rmtree(self.root.parent, ignore_errors=True)
        self.building.mkdir(parents=True)
        env = django_env("sqlite://:memory:", "", self.building)
        self.process = subprocess.Popen(  # noqa: S603 (our own command line)
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
        )

    def wait(self):
        if self.process is not None:
            if self.process.wait() != 0:
                raise BenchFailure("collectstatic failed")
            self.building.rename(self.root)
            self.process = None
        return self.root

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()

    def reference_url(self):
        manifest = json.loads((self.root / "staticfiles.json").read_text())
        return "/static/" + manifest["paths"][STATIC_REFERENCE]


def database_url(server, name):
    return f"{server.rstrip('/')}/{name}"


def ensure_database(server, name, fresh=False):
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def page_count(url):
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT to_regclass('wagtailcore_page')").fetchone()
        if found[0] is None:
            return 0
        return connection.execute("SELECT count(*) FROM wagtailcore_page").fetchone()[0]


def seed_fingerprint():
    """Changes when the generator (scale/) does: its district is another."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "scale").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def is_seeded(manifest_path, size, seed, url):
    if not manifest_path.exists():
        return False
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if (manifest.get("size"), manifest.get("seed")) != (size, seed):
        return False
    if manifest.get("fingerprint") != seed_fingerprint():
        return False
    return page_count(url) >= manifest["counts"]["pages"]


def stamp_manifest(manifest_path):
    """Write the generator's fingerprint into the manifest it wrote."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["fingerprint"] = seed_fingerprint()
    manifest_path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def prepare_size(size, args, static_root, timings):
    """The database of ``size``, migrated and seeded (reused when the manifest
    matches and the pages are there)."""
    name = f"{args.database_prefix}_{size.lower()}"
    url = database_url(args.server, name)
    manifest_path = DATA / f"manifest-{name}.json"
    DATA.mkdir(parents=True, exist_ok=True)
    ensure_database(args.server, name)
    reuse = is_seeded(manifest_path, size, args.seed, url)
    if not reuse:
        say(f"[{size}] fresh database {name}")
        ensure_database(args.server, name, fresh=True)
        shutil.rmtree(media_root(url), ignore_errors=True)
    env = django_env(url, args.redis, static_root)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    timings["migrate"] = time.monotonic() - started
    if reuse:
        say(f"[{size}] reusing {name} and {manifest_path.name}")
    else:
        started = time.monotonic()
        say(f"[{size}] seed_scale --size {size} --seed {args.seed} …")
        manifest_path.unlink(missing_ok=True)
        manage(
            env,
            "seed_scale",
            f"--size={size}",
            f"--seed={args.seed}",
            f"--manifest={manifest_path}",
        )
        stamp_manifest(manifest_path)
        timings["seed"] = time.monotonic() - started
    return url, manifest_path
