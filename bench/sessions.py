"""Logging in through the site's form, and checking that each persona gets
what the manifest says before anything is measured."""

import requests

from bench.forms import csrf_token
from bench.prepare import say
from bench.scenarios import PUBLISHERS, BenchFailure, photo_urls, username


class Sessions:
    """One logged-in HTTP session per persona, through the site's login form."""

    def __init__(self, base_url, manifest):
        self.base_url = base_url
        self.manifest = manifest
        self.sessions = {}

    def get(self, persona):
        if persona is None:
            return requests.Session()
        if persona not in self.sessions:
            self.sessions[persona] = self.login(username(self.manifest, persona))
        return self.sessions[persona]

    def login(self, name):
        session = requests.Session()
        url = self.base_url + "/connexion/"
        form = session.get(url, timeout=30)
        response = session.post(
            url,
            data={
                "username": name,
                "password": self.manifest["password"],
                "csrfmiddlewaretoken": csrf_token(form.text),
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302 or "sessionid" not in session.cookies:
            raise BenchFailure(
                f"{name} could not log in (status {response.status_code})"
            )
        return session

    def cookie(self, persona):
        if persona is None:
            return ""
        return "; ".join(f"{c.name}={c.value}" for c in self.get(persona).cookies)


def status(sessions, persona, url):
    response = sessions.get(persona).get(
        sessions.base_url + url, allow_redirects=False, timeout=60
    )
    return response.status_code


def check_expected(counts):
    return [
        f"{name}: the site gives {row['actual']}, the manifest expects "
        f"{row['expected']}"
        for name, row in counts.items()
        if row["actual"] != row["expected"]
    ]


def check_counted(queries):
    """The requests whose queries were counted in process got the page (a
    publication is answered with a redirect to the explorer)."""
    problems = []
    for name, row in queries.items():
        wanted = 302 if name == "publish" else 200
        for attempt in ("cold", "warm"):
            if row[attempt]["status"] != wanted:
                problems.append(
                    f"{name}: in process, the {attempt} request got "
                    f"{row[attempt]['status']} instead of {wanted}"
                )
    return problems


def check_pages(sessions, scenarios, manifest):
    problems = []
    for scenario in scenarios:
        if scenario.publishes or scenario.reference:
            continue
        code = status(sessions, scenario.user, scenario.url)
        if code != 200:
            problems.append(
                f"{scenario.name}: {scenario.url} as {who(scenario.user)} → {code}"
            )
    for entry in manifest["expected"]["forbidden"]:
        code = status(sessions, entry["user"], entry["url"])
        if code == 200:
            problems.append(f"forbidden {entry['url']} is 200 for {who(entry['user'])}")
    return problems


def who(persona):
    return persona or "anonymous"


def find_publisher(sessions, scenario):
    """The manifest's publisher, or the first persona who may publish there."""
    for persona in dict.fromkeys((scenario.user, *PUBLISHERS)):
        page = sessions.get(persona).get(sessions.base_url + scenario.url, timeout=60)
        if page.status_code == 200 and 'name="action-publish"' in page.text:
            if persona != scenario.user:
                say(f"  note: {who(scenario.user)} may not publish there; as {persona}")
            return persona
    raise BenchFailure(f"nobody of the manifest may publish at {scenario.url}")


def find_photos(sessions, scenario, wanted):
    """The photos the page of ``scenario`` shows its reader (``wanted`` of
    them, as the manifest says)."""
    page = sessions.get(scenario.user).get(sessions.base_url + scenario.url, timeout=60)
    urls = photo_urls(page.text)
    if len(urls) != wanted:
        raise BenchFailure(
            f"{scenario.url} shows {who(scenario.user)} {len(urls)} photos, "
            f"not {wanted}"
        )
    return urls


def check_photos(sessions, scenario, urls):
    """A visitor gets none of the photos; their reader gets each one, image
    bytes sent by nginx."""
    problems = []
    for url in urls:
        code = status(sessions, None, url)
        if code not in (302, 403, 404):
            problems.append(f"photo {url} is {code} for anonymous")
        response = sessions.get(scenario.user).get(sessions.base_url + url, timeout=30)
        kind = response.headers.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith("image/"):
            problems.append(
                f"photo {url} as {who(scenario.user)} → {response.status_code} {kind}"
            )
        elif not response.content:
            problems.append(f"photo {url} as {who(scenario.user)} has no bytes")
    return problems


def python_streaming(sessions, persona, server_url, url):
    """One photo asked straight to gunicorn: Django should only say where the
    file is (``X-Accel-Redirect``, no body) and leave the bytes to nginx."""
    response = sessions.get(persona).get(server_url + url, timeout=30)
    accel = response.headers.get("X-Accel-Redirect")
    return {
        "status": response.status_code,
        "accel_redirect": accel,
        "body_bytes": len(response.content),
        "streams": not (accel and not response.content),
    }
