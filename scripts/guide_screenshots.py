"""Take the screenshots of the editors' guide (docs/guide-editeur.md).

Start the demo first (``make run``), then, from the repository:

    .venv/bin/python scripts/guide_screenshots.py [--base-url http://127.0.0.1:8000]

It signs in with the demo accounts in Debian's Chromium (no call to any other
host), opens each screen the guide shows and writes the pictures to
``ent_site/static/guide/`` (the names the guide uses), overwriting the old
ones. Run it again whenever a screen changes: each shot is one entry of
``SHOTS`` below (who, which screen, which file).
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT = BASE_DIR / "ent_site" / "static" / "guide"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "ent-demo-2026"  # noqa: S105 (the demo accounts', in the README)
VIEWPORT = {"width": 1280, "height": 800}


def first_page_id(page, base_url, page_type, title=""):
    """The id of the first page of ``page_type`` (whose title holds
    ``title``) the signed-in person may see, from the admin's own page API
    (the one of its sidebar)."""
    url = f"{base_url}/admin/api/main/pages/?search={title}&fields=title"
    for item in page.request.get(url).json()["items"]:
        if item["meta"]["type"] == page_type and title in item["title"]:
            return item["id"]
    sys.exit(f"No {page_type} « {title} » for this account: is the demo seeded?")


def first_image_id(page, base_url):
    """The first image of the person's collections, from the images' listing."""
    page.goto(f"{base_url}/admin/images/")
    href = page.locator("a[href*='?next=/admin/images/']").first.get_attribute("href")
    return href.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


# (account, file name, how to reach the screen from the base URL)
SHOTS = [
    ("dir.lefevre", "tableau-de-bord.png", lambda p, b: f"{b}/admin/"),
    (
        "dir.lefevre",
        "actualite-formulaire.png",
        lambda p, b: (
            f"{b}/admin/pages/add/news/newspage/"
            f"{first_page_id(p, b, 'schools.ClassroomPage', 'CM2')}/"
        ),
    ),
    (
        "dir.lefevre",
        "image-droits.png",
        lambda p, b: f"{b}/admin/images/{first_image_id(p, b)}/",
    ),
    (
        "dir.lefevre",
        "accuses-de-lecture.png",
        lambda p, b: f"{b}/admin/accuses-de-lecture/",
    ),
    ("dir.lefevre", "membres.png", lambda p, b: f"{b}/admin/memberships/"),
    ("dir.lefevre", "eleves.png", lambda p, b: f"{b}/admin/pupils/"),
    (
        "ens.moreau",
        "ressource-formulaire.png",
        lambda p, b: (
            f"{b}/admin/pages/add/resources/resourcepage/"
            f"{first_page_id(p, b, 'resources.ResourceIndexPage', 'Ressources')}/"
        ),
    ),
]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--only", nargs="*", help="file names to retake")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        contexts = {}
        for username, name, where in SHOTS:
            if args.only and name not in args.only:
                continue
            if username not in contexts:
                context = browser.new_context(locale="fr-FR", viewport=VIEWPORT)
                sign_in(context.new_page(), base_url, username)
                contexts[username] = context
            page = contexts[username].new_page()
            page.goto(where(page, base_url))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUTPUT / name)
            page.close()
            print(f"{name}: {username}, {page.url}")  # noqa: T201
        browser.close()


if __name__ == "__main__":
    main()
