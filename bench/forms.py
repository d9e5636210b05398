"""Read HTML forms as a browser would submit them, without a browser.

Shared by the runner (over HTTP), the query counter (in process) and the
locust journey: the login form and the Wagtail admin's "add a news item"
form."""

import datetime
import re
from html.parser import HTMLParser

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Published news items carry this slug prefix, or this title when the
# publisher may not set the address (news.PUBLISHING_DETAILS): the bench
# removes them after itself so that reruns see the same data.
PUBLISH_SLUG_PREFIX = "bench-publish-"
PUBLISH_TITLE = "Sortie scolaire au musée (banc d'essai)"


def csrf_token(html):
    """The CSRF token of the first form in ``html``."""
    match = CSRF_FIELD.search(html)
    if not match:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return match.group(1)


class FormReader(HTMLParser):
    """The fields (with their default values) of the first form whose
    ``action`` contains ``action_part``, as a browser would send them."""

    def __init__(self, action_part):
        super().__init__(convert_charrefs=True)
        self.action_part = action_part
        self.inside = False
        self.done = False
        self.fields = {}
        self.buttons = set()
        self.select = None
        self.select_first = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = self.action_part in (attrs.get("action") or "")
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self.read_input(name, attrs)
        elif tag == "button" and name:
            self.buttons.add(name)
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            self.read_option(attrs)
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def read_input(self, name, attrs):
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if kind in ("submit", "button", "range", "file"):
            self.buttons.add(name)
            return
        self.fields[name] = attrs.get("value") or ""

    def read_option(self, attrs):
        value = attrs.get("value", "")
        if self.select_first is None:
            self.select_first = value
            self.fields[self.select] = value
        if "selected" in attrs:
            self.fields[self.select] = value

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea>.
            value = self.fields[self.textarea]
            self.fields[self.textarea] = value.removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def read_form(html, action_part):
    reader = FormReader(action_part)
    reader.feed(html)
    if not reader.done and not reader.fields:
        raise ValueError(f"no form posting to …{action_part}… in the page")
    return reader.fields, reader.buttons


def publish_data(add_form_html, number, nonce):
    """What an editor sends to publish news item ``number`` from Wagtail's
    "add a news item" form: its defaults, a title, an introduction, an empty
    body, and the publish button."""
    fields, buttons = read_form(add_form_html, "/pages/add/")
    if "action-publish" not in buttons:
        raise PermissionError("this account may not publish here")
    fields.update(
        {
            "title": f"{PUBLISH_TITLE}, épisode {number}",
            "slug": f"{PUBLISH_SLUG_PREFIX}{nonce}-{number}",
            "date": fields.get("date") or datetime.date.today().isoformat(),
            "intro": "Les élèves de la classe ont visité le musée des Beaux-Arts.",
            "body-count": "0",
            "action-publish": "action-publish",
        }
    )
    return fields
