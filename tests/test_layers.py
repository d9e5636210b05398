"""The house in layers (issue 13): the contracts hold, and production installs
what production runs (no demo, no factories)."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_PACKAGES = {"factory-boy", "faker", "wagtail-factories"}


def requirements(name):
    lines = (REPO / name).read_text().splitlines()
    return {
        line.split("==")[0].strip().lower()
        for line in lines
        if line.strip() and not line.startswith(("#", "-r"))
    }


def test_production_requirements_leave_out_the_demo_factories():
    assert not DEMO_PACKAGES & requirements("requirements.txt")
    assert DEMO_PACKAGES <= requirements("requirements-dev.txt")


def test_production_settings_load_neither_the_demo_nor_the_factories():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ent_site.settings.production",
        "SECRET_KEY": "production-like-key-for-this-test",
    }
    environment.pop("DATABASE_URL", None)
    loaded = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup(); "
            "from django.apps import apps; "
            "print(apps.is_installed('demo'), apps.is_installed('scale'), "
            "any(name.split('.')[0] in {'factory', 'faker', 'wagtail_factories'} "
            "for name in sys.modules))",
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert loaded == ["False", "False", "False"]


def test_no_app_imports_one_above_it():
    linted = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert linted.returncode == 0, linted.stdout[-3000:]
    assert "0 broken" in linted.stdout
