"""A class news item with photos: what the bench's « a family opens a class
page with 12 photos » asks for.

The photos are real (small JPEGs drawn with Pillow), stored like every image
in the private storage, with their ``width-800`` renditions made in advance as
an editor's first preview would. The family's child is on every photo, and
the family consents to the ENT: the family sees all of them, a visitor none.
"""

import io
import random

from django.core.files.images import ImageFile

from PIL import Image as Picture
from PIL import ImageDraw

from news.models import NewsPage
from pupils.models import ImageConsent, Medium, Pupil

PHOTOS = 12
# The rendition the news item's image block shows (templates/blocks).
RENDITION = "width-800"
WIDTH, HEIGHT = 1200, 900


def colour(rng):
    return tuple(rng.randrange(256) for _channel in "rgb")


def photo_file(rng, number):
    """A JPEG of coloured shapes, different for each ``number``."""
    picture = Picture.new("RGB", (WIDTH, HEIGHT), colour(rng))
    draw = ImageDraw.Draw(picture)
    for _shape in range(12):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        size = rng.randrange(60, 300)
        draw.ellipse((x, y, x + size, y + size), fill=colour(rng))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return ImageFile(buffer, name=f"sortie-{number:02}.jpg")


def child_of(family, classroom):
    """The family's child in ``classroom``, with the ENT consent given."""
    pupil = Pupil.objects.create(
        classroom=classroom, first_name="Camille", last_initial="B"
    )
    pupil.families.add(family)
    ImageConsent.objects.create(
        pupil=pupil,
        medium=Medium.ENT,
        given=True,
        recorded_by=family,
    )
    return pupil


def add_photos(news_pk, family, classroom, seed):
    """Put ``PHOTOS`` photos of the family's child in the body of the news
    item ``news_pk`` (after its text), and make their renditions."""
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    rng = random.Random(f"photos:{seed}")  # noqa: S311 (not security)
    pupil = child_of(family, classroom)
    Image = get_image_model()
    images = []
    for number in range(1, PHOTOS + 1):
        image = Image(
            title=f"Sortie au musée ({number})",
            file=photo_file(rng, number),
            credit=classroom.title,
        )
        image.save()
        image.pupils.add(pupil)
        image.get_rendition(RENDITION)
        images.append(image)
    page = NewsPage.objects.get(pk=news_pk)
    blocks = [(child.block_type, child.value) for child in page.body]
    blocks += [
        ("image", {"image": image, "alt_text": image.title, "caption": ""})
        for image in images
    ]
    page.body = blocks
    # Only the body: saving the page would run the publishing signals.
    NewsPage.objects.filter(pk=page.pk).update(body=page.body)
    ReferenceIndex.create_or_update_for_object(page)
    return page
