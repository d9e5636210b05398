"""The mixed journey of `make bench`: 80 % anonymous visitors, 20 % families.

Started by bench/run.py with ``BENCH_MANIFEST`` (the scale manifest) and
``BENCH_USER_RATE`` (requests per second offered by each user; 0 asks as
fast as the site answers). Visitors read the home page, a school, the news
and a public news item; families log in once through the site's form, then
read their class page, a class news item and their feed.
"""

import os

from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

from bench.forms import csrf_token
from bench.scenarios import load_manifest, username

MANIFEST = load_manifest(os.environ["BENCH_MANIFEST"])
USER_RATE = float(os.environ.get("BENCH_USER_RATE", "0"))
SCENARIOS = MANIFEST["scenarios"]


def wait_time():
    return constant_throughput(USER_RATE) if USER_RATE > 0 else constant(0)


class Visitor(FastHttpUser):
    weight = 4
    wait_time = wait_time()

    @task
    def home(self):
        self.client.get(SCENARIOS["home"]["url"], name="home")

    @task
    def school(self):
        self.client.get(SCENARIOS["school"]["url"], name="school")

    @task
    def news_listing(self):
        self.client.get(SCENARIOS["news_listing"]["url"], name="news_listing")

    @task
    def public_news(self):
        self.client.get(SCENARIOS["public_news"]["url"], name="public_news")


class Family(FastHttpUser):
    weight = 1
    wait_time = wait_time()

    def on_start(self):
        login_url = "/connexion/"
        page = self.client.get(login_url, name="login form")
        with self.client.post(
            login_url,
            data={
                "username": username(MANIFEST, "family"),
                "password": MANIFEST["password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            headers={"Referer": self.host + login_url},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as response:
            # Logged in: sent on to the home page.
            if response.status_code != 302:
                response.failure(f"login refused: status {response.status_code}")

    @task
    def class_page(self):
        self.get_page("class_page")

    @task
    def class_news(self):
        self.get_page("class_news")

    @task
    def feed(self):
        self.get_page("feed")

    def get_page(self, name):
        # A page that sends the family elsewhere (to log in) is a failure.
        with self.client.get(
            SCENARIOS[name]["url"],
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
