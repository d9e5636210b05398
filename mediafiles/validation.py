"""Uploads are judged by their content, never by their name.

Images are decoded in full, turned upright and encoded again without any
metadata (GPS position, camera, author, XMP/IPTC). Documents must be one of a
few known formats, with no active content (scripts, macros) and no
decompression bomb. Every refusal has a French message and stores nothing.
"""

import io
import os
import re
import unicodedata
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

# MPO is how Pillow names the JPEGs of many phones (a JPEG with extra frames).
IMAGE_FORMATS = {
    "JPEG": {".jpg", ".jpeg"},
    "MPO": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
}
MAX_NAME_LENGTH = 150
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_TOTAL_SIZE = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
OOXML_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
ODF_MIMETYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/XFA")
TEXT_ACTIVE_CONTENT = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<?php",
    b"<svg",
    b"<iframe",
)
# Bidirectional controls make "photo\u202egpj.exe" read as "photoexe.jpg".
BIDI_CONTROLS = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
BIDI_CONTROLS |= {"\u200e", "\u200f", "\u061c"}


def check_file_name(name):
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("The file name is too long: keep it under %(max)s characters.")
            % {"max": MAX_NAME_LENGTH}
        )
    if (
        "/" in name
        or "\\" in name
        or ".." in name
        or any(character in BIDI_CONTROLS for character in name)
        or any(unicodedata.category(character) == "Cc" for character in name)
    ):
        raise ValidationError(
            _(
                "The file name “%(name)s” contains forbidden characters: rename "
                "the file with letters, digits and dashes only."
            )
            % {"name": name.encode("ascii", "replace").decode()[:60]}
        )


def extension_of(name):
    return os.path.splitext(name)[1].lower()


def read_all(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def unreadable_image(name):
    return ValidationError(
        _(
            "“%(name)s” is not a readable JPEG, PNG or WebP image (the file is "
            "damaged, incomplete or of another kind)."
        )
        % {"name": name}
    )


def clean_image(uploaded):
    """The uploaded image, checked, upright and without metadata."""
    check_file_name(uploaded.name)
    data = read_all(uploaded)
    refused = unreadable_image(uploaded.name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise refused
            if extension_of(uploaded.name) not in IMAGE_FORMATS[image.format]:
                raise ValidationError(
                    _(
                        "“%(name)s” is a %(format)s image: its name must end "
                        "accordingly."
                    )
                    % {"name": uploaded.name, "format": image.format}
                )
            width, height = image.size
            if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is too large (%(width)s × %(height)s pixels).")
                    % {"name": uploaded.name, "width": width, "height": height}
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            output_format = "JPEG" if image.format == "MPO" else image.format
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise refused from error
    cleaned = ContentFile(strip_metadata(upright, output_format), name=uploaded.name)
    cleaned.ent_checked = True
    return cleaned


def strip_metadata(image, output_format):
    """Encode ``image`` again from its pixels only: no EXIF, XMP, IPTC, ICC
    or text chunks survive."""
    if output_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette())
    buffer = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(output_format, {})
    pixels.save(buffer, output_format, **options)
    return buffer.getvalue()


def check_document(uploaded):
    """Refuse anything that is not a known, inert document format."""
    check_file_name(uploaded.name)
    if uploaded.size > settings.MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is too big (%(size)s): the limit is %(max)s.")
            % {
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "max": filesizeformat(settings.MAX_DOCUMENT_SIZE),
            }
        )
    data = read_all(uploaded)
    extension = extension_of(uploaded.name)
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": uploaded.name})
    if extension == ".pdf":
        check_pdf(uploaded.name, data)
    elif extension in OOXML_FOLDERS or extension in ODF_MIMETYPES:
        check_office_file(uploaded.name, extension, data)
    elif extension in (".txt", ".csv"):
        check_text(uploaded.name, data)
    else:
        raise ValidationError(
            _("“%(name)s”: this kind of file is not accepted.")
            % {"name": uploaded.name}
        )


PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
PDF_MAX_INFLATED = 100 * 1024 * 1024


def pdf_contents(data):
    """The PDF's bytes with names unescaped (``/J#61vaScript``), followed by
    its compressed streams inflated, so that active content cannot hide."""
    parts = [PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), data)]
    budget = PDF_MAX_INFLATED
    for match in PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match[1], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget <= 0 or inflater.unconsumed_tail:
            raise ValidationError(
                _("A compressed part of this PDF is abnormally large.")
            )
        parts.append(PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), inflated))
    return b"\n".join(parts)


def check_pdf(name, data):
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("“%(name)s” is not a complete PDF document.") % {"name": name}
        )
    contents = pdf_contents(data)
    if any(marker in contents for marker in PDF_ACTIVE_CONTENT):
        raise ValidationError(
            _(
                "“%(name)s” contains scripts, attachments or interactive forms: "
                "export it again as a plain PDF."
            )
            % {"name": name}
        )


def check_office_file(name, extension, data):
    not_office = ValidationError(
        _("“%(name)s” is not a valid %(kind)s file.")
        % {"name": name, "kind": extension[1:].upper()}
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_office
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            check_archive_sizes(name, entries)
            names = [entry.filename for entry in entries]
            if any(
                entry.startswith("/") or ".." in entry.split("/") for entry in names
            ):
                raise not_office
            if extension in OOXML_FOLDERS:
                if "[Content_Types].xml" not in names or not any(
                    entry.startswith(OOXML_FOLDERS[extension]) for entry in names
                ):
                    raise not_office
                content_types = archive.read("[Content_Types].xml")
                relations = b"".join(
                    archive.read(entry) for entry in names if entry.endswith(".rels")
                )
                # Macros, embedded OLE programs and remote templates.
                has_macros = (
                    any(entry.lower().endswith(".bin") for entry in names)
                    or b"macroEnabled" in content_types
                    or b"attachedTemplate" in relations
                )
            else:
                if archive.read("mimetype").strip() != ODF_MIMETYPES[extension]:
                    raise not_office
                has_macros = any(
                    entry.startswith(("Basic/", "Scripts/", "ObjectReplacements/"))
                    or entry.lower().endswith(".bin")
                    for entry in names
                )
            if archive.testzip() is not None:
                raise not_office
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        UnicodeDecodeError,
    ) as error:
        raise not_office from error
    if has_macros:
        raise ValidationError(
            _(
                "“%(name)s” contains macros or embedded programs, which are not "
                "accepted: save it again without them."
            )
            % {"name": name}
        )


def check_archive_sizes(name, entries):
    total = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > ZIP_MAX_ENTRIES
        or total > ZIP_MAX_TOTAL_SIZE
        or total / packed > ZIP_MAX_RATIO
    ):
        raise ValidationError(
            _("“%(name)s” expands to an abnormal size and was refused.")
            % {"name": name}
        )


def check_text(name, data):
    lowered = data.lower()
    if b"\x00" in data or any(marker in lowered for marker in TEXT_ACTIVE_CONTENT):
        raise ValidationError(_("“%(name)s” is not plain text.") % {"name": name})
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("“%(name)s” is not plain text.") % {"name": name}
            ) from error
