"""People shown by their initials in the admin, instead of a picture asked
of Gravatar: a small SVG image in a ``data:`` address, made here."""

import base64
from xml.sax.saxutils import escape

# DSFR's "bleu France" and its light variant.
COLOURS = ("#000091", "#6a6af4")


def initials(user):
    names = [user.first_name, user.last_name]
    letters = "".join(name.strip()[:1] for name in names if name and name.strip())
    if not letters:
        letters = user.get_username()[:1]
    return letters.upper()


def initials_avatar_url(user, size=50):
    text = escape(initials(user))
    colour = COLOURS[user.pk % len(COLOURS)] if user.pk else COLOURS[0]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" '
        f'width="{int(size)}" height="{int(size)}">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="Marianne, Arial, sans-serif" font-size="42" '
        f'font-weight="700">{text}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
