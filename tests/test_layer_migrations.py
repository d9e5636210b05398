"""A database built by the code of before the layers (issue 13) keeps all its
content once migrated by today's code: the visibility rows changed app
(``home`` → ``visibility``) in the migration state only.

The old code is taken from git (``git archive``), migrated and seeded with
its own ``manage.py`` in the same virtualenv, on an SQLite file; then this
code's ``migrate`` runs on that file."""

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# main when the layers began: the last commit whose ``home`` held the rows.
BEFORE_LAYERS = "4d41554412f2a455b43645dcd01b57acac749ba5"
GIT = shutil.which("git") or "git"

# What a district must never lose, table by table, every column compared.
KEPT = {
    "pages": "SELECT id, path, title, slug, url_path, live FROM wagtailcore_page",
    "memberships": "SELECT * FROM accounts_membership",
    "consents": "SELECT * FROM pupils_imageconsent",
    # The columns of before (columns added since, such as ONDE's matching
    # key, are new and empty).
    "pupils": "SELECT id, first_name, last_initial, classroom_id FROM pupils_pupil",
    "images": "SELECT id, title, file, collection_id FROM mediafiles_customimage",
    "read marks": "SELECT * FROM inbox_readmark",
    "audiences": "SELECT * FROM home_pageaudience",
    "targets": "SELECT * FROM home_pagetarget",
}


# Run by the old code (its ``home.models.PageTarget``).
READ_AND_RESERVE = """
from accounts.models import Membership
from home.models import PageTarget
from inbox.models import ReadMark
from news.models import NewsPage
from schools.models import SchoolPage
news = list(NewsPage.objects.order_by("pk")[:3])
for membership in Membership.objects.select_related("user"):
    for page in news:
        ReadMark.objects.get_or_create(user=membership.user, page=page)
PageTarget.objects.get_or_create(
    page=news[0], school_key=SchoolPage.objects.first().translation_key
)
"""


def old_code(destination):
    """The tree at ``BEFORE_LAYERS`` extracted into ``destination``, or a skip
    saying why it cannot be."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git clone: the code of before the layers is out of reach")
    found = subprocess.run(  # noqa: S603
        [GIT, "-C", str(REPO), "cat-file", "-e", f"{BEFORE_LAYERS}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode:
        pytest.skip(
            f"commit {BEFORE_LAYERS[:12]} (main before the layers) is not in this "
            "clone: fetch the whole history to run this test"
        )
    archive = subprocess.run(  # noqa: S603
        [GIT, "-C", str(REPO), "archive", "--format=tar", BEFORE_LAYERS],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def manage(code, environment, *arguments):
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=code,
        env=environment,
        check=True,
        capture_output=True,
        timeout=600,
    )


def contents(database):
    with sqlite3.connect(database) as connection:
        return {
            name: sorted(connection.execute(query).fetchall())
            for name, query in KEPT.items()
        }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """The contents of a demo district built before the layers, read before
    and after this code's ``migrate``, and what this code's models read."""
    place = tmp_path_factory.mktemp("before-layers")
    code = place / "code"
    old_code(code)
    database = place / "db.sqlite3"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ent_site.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_DIR=str(place / "cache"),
        MEDIA_ROOT=str(place / "media"),
        PRIVATE_MEDIA_ROOT=str(place / "private_media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    manage(code, environment, "migrate", "--noinput")
    manage(code, environment, "seed_demo")
    # The demo reads nothing and reserves no news: people read, and one
    # district news item is reserved to a school, as in a living district.
    manage(code, environment, "shell", "-c", READ_AND_RESERVE)
    before = contents(database)
    manage(REPO, environment, "migrate", "--noinput")
    after = contents(database)
    read = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from visibility.models import PageAudience, PageTarget; "
            "print(PageAudience.objects.count(), PageTarget.objects.count())",
        ],
        cwd=REPO,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout.splitlines()[-1]
    return before, after, [int(number) for number in read.split()]


@pytest.mark.parametrize("name", list(KEPT))
def test_a_database_of_before_the_layers_keeps_its_content(migrated, name):
    before, after, _ = migrated
    assert before[name], f"the demo district of before holds no {name}"
    assert after[name] == before[name]


def test_the_moved_models_read_the_rows_of_before(migrated):
    before, _, (audiences, targets) = migrated
    assert audiences == len(before["audiences"])
    assert targets == len(before["targets"])
