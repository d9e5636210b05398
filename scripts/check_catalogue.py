"""Fail when a gettext catalogue has untranslated or fuzzy entries."""

import sys

import polib

catalogue = polib.pofile(sys.argv[1])
missing = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
for entry in missing:
    print(f"Not translated: {entry.msgid!r}")  # noqa: T201
print(f"{len(catalogue.translated_entries())} translated, {len(missing)} missing")  # noqa: T201
sys.exit(1 if missing else 0)
