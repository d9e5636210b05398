"""Finding English on a French screen (issue 14, point 11).

``english_words(text)`` names the words of ``text`` that are English and not
French: a list of common English words that no French sentence uses (``the``,
``and``, ``with``, ``search``, ``status``, ``workflow``…), so that a French
screen has none. Words spelled alike in both languages (``page``, ``date``,
``message``, ``collection``, ``on``, ``or``, ``comment``, ``content``) are not
in it. Proper names a French screen may show are allowed (``Wagtail``,
``Draftail``, ``ENT``…).

``ScreenText`` reads what a person sees on an HTML page: its visible text,
its ``<title>``, and the ``title``, ``aria-label`` and ``placeholder`` of its
elements (scripts and styles are not read; ``<template>`` content is, since
scripts show it).
"""

import re
from html.parser import HTMLParser

ENGLISH = frozenset(
    """
    about above account accounts add added adding after ago all already also
    always am and another any anyone anything approve approved are aren at
    available back be because been before being below between blank both
    browse by can cancel cancelled cannot changed changes check child
    children choose chosen clear click close collapse copy could count create
    created creating current dashboard day days default delete deleted did
    didn do does doesn done don down draft drafts drag drop each edit edited
    editing edits either else email empty enter error every existing expand
    expired file files filter filters find first for found from get go has
    hasn have haven having he help her here hide his history home hour hours
    how if in into is isn it item items its just language last latest less
    link links live loading locked log login logout make many may more
    most move must my name new next no none not nothing now of off older
    one only open other our out over owner password please preview
    previous private publish published publishing rename remove removed
    request requested required reset result results revision revisions
    save saved saving schedule scheduled search searching see select
    selected settings she should show showing sign since so some sorry
    status submit submitted such than that the their them then there these
    they this those to today too try unknown unlock unlocked unpublish
    unpublished until up update updated upload uploaded use used users
    using view was we were what when where which while who why will with
    within without workflow workflows would yes yesterday you your
    """.split()
)

# Proper names and codes a French screen may show.
ALLOWED = frozenset(
    """
    wagtail draftail ent dsfr uai pdf csv odt ods odp docx xlsx pptx jpeg jpg
    png webp gif svg url html rss atom peertube ien cpc erun cp ce1 ce2 cm1
    cm2 ps ms gs rgpd
    """.split()
)

# A token of letters, digits and underscores: only those made of letters
# alone are words (a file name such as « e2be4a.jpg » holds no « be »).
TOKEN = re.compile(r"\w+", re.UNICODE)
# Addresses, and licence names (« CC BY-SA »), are not read as words.
NOT_WORDS = re.compile(r"(?:https?://|/)\S*|\S+@\S+|\bCC[ -]BY(?:-\w+)*")
READ_ATTRIBUTES = ("title", "aria-label", "placeholder")
NOT_READ = {"script", "style", "noscript"}
VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


def english_words(text):
    """The English words of ``text``, lower-cased, in order of appearance."""
    text = NOT_WORDS.sub(" ", text)
    words = [token.lower() for token in TOKEN.findall(text) if token.isalpha()]
    return [word for word in words if word in ENGLISH and word not in ALLOWED]


class ScreenText(HTMLParser):
    """The text a person reads on an HTML page, as a list of strings, its
    ``<title>`` and the links it offers."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.title = ""
        self.links = []
        self.stack = []  # (tag, whether its text is read)
        self.feed(html)
        self.close()

    def unread(self, tag, attrs):
        if tag in NOT_READ:
            return True
        # A counter that scripts fill in before showing it (Wagtail's side
        # panel toggles hold « None » until then).
        return "hidden" in attrs and any(name.endswith("-counter") for name in attrs)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in VOID:
            self.stack.append((tag, not self.unread(tag, attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag and tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not data.strip() or not all(read for _, read in self.stack):
            return
        tags = {tag for tag, _ in self.stack}
        if "title" in tags and "svg" not in tags:
            self.title += data
        self.texts.append(data)


def snippet(text, word, width=40):
    """``text`` around the first ``word``, on one line."""
    text = " ".join(text.split())
    match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    start = max(0, match.start() - width) if match else 0
    return text[start : start + 2 * width + len(word)]


def english_on(texts):
    """{word: where it was read} for the English words of ``texts``."""
    found = {}
    for text in texts:
        for word in english_words(text):
            found.setdefault(word, snippet(text, word))
    return found


# French that Wagtail's own catalogue gets wrong, seen by users (issue 14):
# each pattern, and what it should read.
BROKEN_FRENCH = {
    r"\bcrées\b": "créées",
    r"\bIl y a 0\xa0?\s?minute": "à l'instant",
    r"\b(?:[02-9]|\d\d+)\s+nouvel élément\b": "nouveaux éléments",
    r"\bun\(e\)": "un or une",
}


def broken_french(texts):
    """{what should be read: where} for the known mistakes of ``texts``."""
    found = {}
    for text in texts:
        for pattern, right in BROKEN_FRENCH.items():
            match = re.search(pattern, text)
            if match:
                found.setdefault(
                    f"« {match.group()} » (→ {right})", snippet(text, match.group())
                )
    return found
