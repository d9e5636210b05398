"""Uploads are judged by their content, never by their name.

Images are decoded in full, turned upright and encoded again without any
metadata (GPS position, camera, author, XMP/IPTC). Documents must be one of a
few known formats, with no active content (scripts, macros, automatic
actions, remote content) and no decompression bomb: PDFs are parsed with pypdf
and office XML with defusedxml, never searched as bytes. Spreadsheet formulas
are refused rather than rewritten. Every refusal has a French message and
stores nothing.
"""

import codecs
import csv
import io
import os
import posixpath
import re
import stat
import struct
import unicodedata
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from defusedxml.ElementTree import iterparse
from PIL import Image, ImageMode, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# MPO is how Pillow names the JPEGs of many phones (a JPEG with extra frames).
IMAGE_FORMATS = {
    "JPEG": {".jpg", ".jpeg"},
    "MPO": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
}
# The memory that checking an image takes is counted as it really is (see
# peak_memory): the decoded pixels, a second buffer while it is turned
# upright or converted to the mode it is stored in, and the encoding. The
# budget is what an ordinary camera photo at the pixel limit needs: an RGB
# picture (four bytes a pixel in Pillow) turned upright, that is two RGB
# buffers, and its encoding. A 36 megapixel photo (7360 × 4912) passes; a
# bilevel, grey-alpha or 16-bit picture that is small on disk but grows when
# decoded or converted is held to the same budget (16-bit ones of that size
# are refused), and so is WebP, whose decoder keeps copies of its own.
PILLOW_PIXEL_BYTES = 4
ENCODING_PIXEL_BYTES = 2  # measured: about 1 for JPEG, 1.7 for WebP
WEBP_DECODER_BUFFERS = 3  # measured: 15.5 bytes a pixel once decoded
# Only the first frame is kept; phones write two or three (MPO).
IMAGE_MAX_FRAMES = 10
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
            if peak_memory(image) > image_memory_budget():
                raise ValidationError(
                    _(
                        "“%(name)s” would take too much memory to open "
                        "(%(width)s × %(height)s pixels in %(mode)s): send a "
                        "smaller picture."
                    )
                    % {
                        "name": uploaded.name,
                        "width": width,
                        "height": height,
                        "mode": image.mode,
                    }
                )
            if getattr(image, "n_frames", 1) > IMAGE_MAX_FRAMES:
                raise ValidationError(
                    _(
                        "“%(name)s” is an animation of %(frames)s frames: send "
                        "a still picture."
                    )
                    % {"name": uploaded.name, "frames": image.n_frames}
                )
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            output_format = "JPEG" if image.format == "MPO" else image.format
            stripped = strip_metadata(image, output_format)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        KeyError,  # a pixel format Pillow cannot describe
    ) as error:
        raise refused from error
    cleaned = ContentFile(stripped, name=uploaded.name)
    cleaned.ent_checked = True
    return cleaned


def image_memory_budget():
    return (2 * PILLOW_PIXEL_BYTES + ENCODING_PIXEL_BYTES) * (
        settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    )


def pixel_bytes(mode):
    """The bytes Pillow keeps for one pixel of ``mode``: one band of 8, 16
    or 32 bits as it is, any pixel of two to four bands in four bytes (LA
    and RGB too)."""
    descriptor = ImageMode.getmode(mode)
    if len(descriptor.bands) > 1:
        return PILLOW_PIXEL_BYTES
    return int(descriptor.typestr[2:])


def stored_mode(mode, output_format):
    """The mode the picture is stored in (see strip_metadata)."""
    if output_format == "JPEG":
        return mode if mode in ("RGB", "L") else "RGB"
    return mode if mode in ("RGB", "RGBA", "L", "LA", "P", "1") else "RGBA"


def peak_memory(image):
    """The most memory clean_image holds at once for ``image``: its decoded
    pixels (WebP's decoder keeps copies of its own), a second buffer while
    it is turned upright, or the converted pixels beside the decoded ones
    (16- and 32-bit pixels go through a 32-bit buffer on the way), and the
    encoding."""
    width, height = image.size
    pixels = width * height
    source = pixels * pixel_bytes(image.mode)
    # Whether it must be turned is only known once it is decoded (a PNG may
    # say so after its pixels): it is counted as if it must.
    upright = source
    if image.format == "WEBP":
        source += pixels * PILLOW_PIXEL_BYTES * WEBP_DECODER_BUFFERS
    output_format = "JPEG" if image.format == "MPO" else image.format
    target = stored_mode(image.mode, output_format)
    converted = 0
    if target != image.mode:
        converted = pixels * pixel_bytes(target)
        if (
            pixel_bytes(image.mode) > 1
            and len(ImageMode.getmode(image.mode).bands) == 1
        ):
            converted += pixels * PILLOW_PIXEL_BYTES
    return source + max(upright, converted) + pixels * ENCODING_PIXEL_BYTES


def strip_metadata(image, output_format):
    """Encode ``image`` again from its pixels only: its info (EXIF, XMP,
    IPTC, ICC, text chunks) is dropped, and the encoder is given nothing
    else. The pixels are never copied when they need no conversion."""
    mode = stored_mode(image.mode, output_format)
    if image.mode != mode:
        image = image.convert(mode)
    image.info = {}
    buffer = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(output_format, {})
    image.save(buffer, output_format, **options)
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
    elif extension == ".csv":
        check_csv(uploaded.name, data)
    elif extension == ".txt":
        check_text(uploaded.name, data)
    else:
        raise ValidationError(
            _("“%(name)s”: this kind of file is not accepted.")
            % {"name": uploaded.name}
        )


# PDF: the file is parsed (pypdf reads object streams, any filter, escaped
# names such as /J#61vaScript and incremental updates the way a viewer does),
# then every object it holds is judged.
PDF_MAX_OBJECTS = 200_000
# Actions that run code, send or fetch data, or open another program,
# whenever they run.
PDF_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMediaExecute",
    "/Rendition",
    "/GoToE",
    "/Movie",
    "/Sound",
}
# Keys whose presence is active content: scripts, actions triggered by
# events (opening, closing, printing, showing a page), XFA forms, and
# attached files (an attachment would skip every check made here).
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA", "/EmbeddedFiles", "/EF"}
PDF_ACTIVE_SUBTYPES = {"/RichMedia", "/FileAttachment", "/Screen", "/3D", "/Movie"}


class ActivePdf(Exception):
    pass


def pdf_reader(name, data):
    """The parsed PDF, or a French refusal when it cannot be read."""
    incomplete = ValidationError(
        _("“%(name)s” is not a complete PDF document.") % {"name": name}
    )
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise incomplete
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not decrypted(reader):
            raise ValidationError(
                _(
                    "“%(name)s” is protected by a password: export it again "
                    "without protection."
                )
                % {"name": name}
            )
        reader.trailer["/Root"].get_object()["/Pages"]
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 (pypdf raises many kinds)
        raise incomplete from error
    return reader


def decrypted(reader):
    """Whether a PDF protected without a password to open it could be
    decrypted (its scripts would be out of sight otherwise)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 (e.g. AES without a crypto library)
        return False


def pdf_objects(reader):
    """Every object of the PDF, once: those reachable from the trailer
    (catalogue, pages, annotations, name trees, forms, outlines) and those
    listed in its cross-reference tables, even if nothing points to them."""
    pending = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def resolved(item, key):
    """``item[key]`` with indirect references followed (a name may be
    written elsewhere: ``/S 4 0 R`` pointing to ``/Launch``)."""
    value = item.get(key)
    seen = 0
    while isinstance(value, IndirectObject):
        seen += 1
        if seen > 32:
            raise ValueError("a loop of references")
        value = value.get_object()
    return value


# Actions a reader may set off by clicking (a link or an outline entry), and
# the keys each may hold. Any other key (a file to start, a form to send, a
# script) is refused: when a key is given twice, pypdf keeps the first and
# some viewers the last, so "/S /GoTo ... /S /Launch /F (cmd.exe)" must be
# judged by its keys, not by the /S that pypdf happened to keep.
PDF_CLICK_ACTIONS = {
    "/GoTo": {"/Type", "/S", "/D", "/SD", "/Next"},
    "/URI": {"/Type", "/S", "/URI", "/IsMap", "/Next"},
    "/Named": {"/Type", "/S", "/N", "/Next"},
}
# What runs when the file opens may only go to a page.
PDF_OPEN_ACTION_KEYS = {"/Type", "/S", "/D", "/Next"}
# Keys that belong to actions starting a program, sending a form or opening
# another file: refused in any dictionary that names an action type.
PDF_ACTION_ONLY_KEYS = {"/Win", "/Mac", "/Unix", "/Fields", "/F", "/JS", "/Launch"}
PDF_ACTION_KEYS = ("/A", "/Next", "/OpenAction")


def judge_pdf_object(item):
    if PDF_ACTIVE_KEYS & set(item) or {"/Win", "/Mac", "/Unix"} & set(item):
        raise ActivePdf
    action_type = resolved(item, "/S")
    if action_type in PDF_ACTIVE_ACTIONS:
        raise ActivePdf
    if resolved(item, "/Subtype") in PDF_ACTIVE_SUBTYPES:
        raise ActivePdf
    kind = resolved(item, "/Type")
    if kind == "/EmbeddedFile":
        raise ActivePdf
    if action_type is not None and PDF_ACTION_ONLY_KEYS & set(item):
        raise ActivePdf
    if kind == "/Action":
        judge_click_action(item)
    for key in PDF_ACTION_KEYS:
        for action in actions_at(item, key):
            judge_click_action(action)
    # What runs when the file opens: going to a page is all it may do (a
    # link the reader clicks, /URI in a link annotation, stays allowed).
    # Actions chain through /Next.
    pending = list(actions_at(item, "/OpenAction"))
    seen = 0
    while pending:
        action = pending.pop()
        seen += 1
        if seen > PDF_MAX_OBJECTS:
            raise ValueError("too many actions")
        if resolved(action, "/S") != "/GoTo" or not set(action) <= PDF_OPEN_ACTION_KEYS:
            raise ActivePdf
        pending.extend(actions_at(action, "/Next"))


def actions_at(item, key):
    """The action dictionaries ``item[key]`` holds (one, or a list for
    /Next); a destination array is no action."""
    value = resolved(item, key)
    values = value if isinstance(value, ArrayObject) and key == "/Next" else [value]
    for action in values:
        action = action.get_object() if isinstance(action, IndirectObject) else action
        if isinstance(action, DictionaryObject):
            yield action


def judge_click_action(action):
    """An action dictionary (/A of a link or outline entry, /Next): a
    dictionary at /A without /S is a structure element's attributes."""
    action_type = resolved(action, "/S")
    if action_type is None and resolved(action, "/Type") != "/Action":
        return
    allowed = PDF_CLICK_ACTIONS.get(action_type)
    if allowed is None or not set(action) <= allowed:
        raise ActivePdf


def check_pdf(name, data):
    reader = pdf_reader(name, data)
    try:
        for item in pdf_objects(reader):
            judge_pdf_object(item)
    except ActivePdf:
        raise ValidationError(
            _(
                "“%(name)s” contains scripts, automatic actions, attachments or "
                "interactive forms: export it again as a plain PDF."
            )
            % {"name": name}
        ) from None
    except Exception as error:  # noqa: BLE001 (a damaged object)
        raise ValidationError(
            _("“%(name)s” is not a complete PDF document.") % {"name": name}
        ) from error


# Office files. XML is parsed with defusedxml (no entities, no DTD tricks).
# An external hyperlink only opens when the reader clicks it, like a link in a
# web page: documents are full of them. Every other external relationship
# fetches something by itself when the file opens (remote templates, linked
# OLE objects, remote images, frames, sub-documents, linked workbooks…).
EXTERNAL_LINK_TYPE = "/hyperlink"
LINK_SCHEMES = ("http://", "https://", "mailto:")
ODF_SCRIPT_NS = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
ODF_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Transitional and Strict OOXML name the same elements in two namespaces.
SPREADSHEET_NAMESPACES = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
}
ODF_XML_PARTS = ("content.xml", "styles.xml", "settings.xml", "meta.xml")
MACRO_FOLDERS = ("basic/", "scripts/", "objectreplacements/")
MACRO_LINKS = ("macro:", "vnd.sun.star.script:", "vnd.sun.star.basic:")
WORD_NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
}
# Word fields that fetch a file when they update (DDE fields, which start a
# program, are refused as macros).
WORD_REMOTE_FIELDS = ("INCLUDETEXT", "INCLUDEPICTURE", "LINK", "IMPORT")
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
# The Info-ZIP "Unicode Path" extra field: a second name for the entry,
# which many extractors prefer to the one in the header.
ZIP_UNICODE_PATH = 0x7075
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Relationships and content types of embedded programs, ActiveX controls and
# macros, and of links to other workbooks or data sources (which fetch data
# or start a program when the file opens).
OOXML_PROGRAM_TYPES = (
    "/oleobject",
    "/package",
    "/control",
    "/activexcontrolbinary",
    "/vbaproject",
)
OOXML_PROGRAM_CONTENT_TYPES = ("oleobject", "macroenabled", "vbaproject", "activex")
OOXML_LINK_TYPES = ("/externallink", "/connections", "/querytable")
OOXML_LINK_CONTENT_TYPES = ("externallink+xml", "connections+xml", "querytable+xml")


class Refused(Exception):
    """An office file with active content; ``reason`` says which kind."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def xml_elements(archive, entry):
    """The elements of an XML part, read as a stream."""
    with archive.open(entry) as stream:
        for _event, element in iterparse(stream):
            yield element
            element.clear()


def check_entry_names(entries):
    """Entry names as an extractor would write them: no way out of the
    folder, no link, no name given twice. An entry's second, Unicode name
    is judged too."""
    seen = set()
    for entry in entries:
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise Refused("names")
        for name in (entry.filename, *unicode_paths(entry)):
            name = name.replace("\\", "/")
            normalised = posixpath.normpath(name)
            if (
                DRIVE_LETTER.match(name)
                or name.startswith("/")
                or normalised.startswith("../")
                or normalised == ".."
                or any(unicodedata.category(character) == "Cc" for character in name)
                or normalised.casefold() in seen
            ):
                raise Refused("names")
            seen.add(normalised.casefold())


def unicode_paths(entry):
    """The names an entry's Unicode Path extra fields give it."""
    extra = entry.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        body, extra = extra[4 : 4 + size], extra[4 + size :]
        if kind == ZIP_UNICODE_PATH:
            if len(body) < 5:
                raise Refused("names")
            yield body[5:].decode("utf-8")


def local_name(tag):
    """An element's name without its namespace, and its namespace."""
    namespace, _brace, name = tag.rpartition("}")
    return name, namespace.lstrip("{")


def looks_like_xml(archive, entry):
    with archive.open(entry) as stream:
        start = stream.read(4)
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or start[:2] in (
        b"\xff\xfe",
        b"\xfe\xff",
    )


def check_ooxml(archive, extension, names):
    """Every part is judged wherever it lies: Word and Excel find the main
    document, sheets and settings through the relationships, whatever
    folder holds them."""
    if "[Content_Types].xml" not in names or not any(
        entry.startswith(OOXML_FOLDERS[extension]) for entry in names
    ):
        raise Refused("invalid")
    # Macros, embedded OLE programs and ActiveX controls, whatever their
    # names end with.
    for entry in names:
        lowered = entry.lower()
        if (
            lowered.endswith(".bin")
            or "/activex/" in lowered
            or lowered.startswith("embeddings/")
            or "/embeddings/" in lowered
        ):
            raise Refused("macros")
        with archive.open(entry) as stream:
            if stream.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
                raise Refused("macros")
    # Links to other workbooks, data connections and DDE links.
    if any(
        "externallinks/" in entry.lower() or entry.lower().endswith("connections.xml")
        for entry in names
    ):
        raise Refused("external")
    defaults, overrides = content_types(archive)
    for entry in names:
        kind = overrides.get(
            "/" + entry.lower(), defaults.get(posixpath.splitext(entry)[1].lower(), "")
        )
        # Pictures (SVG is XML too) are never read as documents.
        if not kind.startswith("image/") and looks_like_xml(archive, entry):
            check_ooxml_part(archive, entry)


def content_types(archive):
    """The content type of each extension, and of each part named apart."""
    defaults, overrides = {}, {}
    for element in xml_elements(archive, "[Content_Types].xml"):
        name, _namespace = local_name(element.tag)
        content_type = element.get("ContentType", "").lower()
        if name == "Default":
            defaults["." + element.get("Extension", "").lower()] = content_type
        elif name == "Override":
            overrides[element.get("PartName", "").lower()] = content_type
    return defaults, overrides


def check_ooxml_part(archive, entry):
    instruction = ""
    for element in xml_elements(archive, entry):
        name, namespace = local_name(element.tag)
        if name == "Relationship":
            judge_relationship(element)
        elif name in ("Default", "Override"):
            content_type = element.get("ContentType", "").lower()
            if any(kind in content_type for kind in OOXML_PROGRAM_CONTENT_TYPES):
                raise Refused("macros")
            if any(kind in content_type for kind in OOXML_LINK_CONTENT_TYPES):
                raise Refused("external")
        elif name == "f" and namespace in SPREADSHEET_NAMESPACES:
            raise Refused("formulas")
        elif namespace in WORD_NAMESPACES:
            # Field codes, whose instruction may be split over many runs.
            if name == "instrText":
                instruction += element.text or ""
            elif name == "fldSimple":
                judge_word_field(attribute(element, "instr"))
            elif name == "fldChar":
                judge_word_field(instruction)
                instruction = ""
    judge_word_field(instruction)


def attribute(element, name):
    """An attribute of ``element`` by its local name, in any namespace."""
    for key, value in element.attrib.items():
        if local_name(key)[0] == name:
            return value
    return ""


def judge_relationship(element):
    kind = element.get("Type", "").lower()
    target = element.get("Target", "").strip().lower()
    # A target outside the package, however it is marked.
    external = (
        element.get("TargetMode", "").lower() == "external"
        or ":" in target
        or target.startswith(("//", "\\\\"))
    )
    if kind.endswith(("/attachedtemplate", *OOXML_LINK_TYPES)) or (
        external
        and not (kind.endswith(EXTERNAL_LINK_TYPE) and target.startswith(LINK_SCHEMES))
    ):
        raise Refused("external")
    if kind.endswith(OOXML_PROGRAM_TYPES):
        raise Refused("macros")


def judge_word_field(instruction):
    field = (instruction.split() or [""])[0].upper()
    if field in ("DDE", "DDEAUTO"):
        raise Refused("macros")
    if field in WORD_REMOTE_FIELDS:
        raise Refused("external")


def check_odf(archive, extension, names):
    if archive.read("mimetype").strip() != ODF_MIMETYPES[extension]:
        raise Refused("invalid")
    if any(
        entry.lower().startswith(MACRO_FOLDERS) or entry.lower().endswith(".bin")
        for entry in names
    ):
        raise Refused("macros")
    if "META-INF/manifest.xml" in names:
        for element in xml_elements(archive, "META-INF/manifest.xml"):
            path = element.get(f"{{{ODF_MANIFEST_NS}}}full-path", "")
            if path.lower().startswith(MACRO_FOLDERS):
                raise Refused("macros")
    for entry in ODF_XML_PARTS:
        if entry not in names:
            continue
        for element in xml_elements(archive, entry):
            # Event listeners (on open, on click…) run macros or scripts; so
            # do links to "macro:" or "vnd.sun.star.script:" addresses.
            if element.tag in (
                f"{{{ODF_OFFICE_NS}}}event-listeners",
                f"{{{ODF_SCRIPT_NS}}}event-listener",
                f"{{{ODF_OFFICE_NS}}}script",
            ):
                raise Refused("macros")
            link = element.get(XLINK_HREF, "").strip().lower()
            if link.startswith(
                ("macro:", "vnd.sun.star.script:", "vnd.sun.star.basic:")
            ):
                raise Refused("macros")
            if extension == ".ods" and element.get(f"{{{ODF_TABLE_NS}}}formula"):
                raise Refused("formulas")


def check_office_file(name, extension, data):
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise office_refusal(name, extension, "invalid")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            check_archive_sizes(name, entries)
            check_entry_names(entries)
            if archive.testzip() is not None:
                raise Refused("invalid")
            names = [entry.filename for entry in entries]
            if extension in OOXML_FOLDERS:
                check_ooxml(archive, extension, names)
            else:
                check_odf(archive, extension, names)
    except Refused as refused:
        raise office_refusal(name, extension, refused.reason) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        SyntaxError,
        UnicodeDecodeError,
    ) as error:
        raise office_refusal(name, extension, "invalid") from error


def office_refusal(name, extension, reason):
    values = {"name": name, "kind": extension[1:].upper()}
    if reason == "macros":
        message = _(
            "“%(name)s” contains macros or embedded programs, which are not "
            "accepted: save it again without them."
        )
    elif reason == "external":
        message = _(
            "“%(name)s” fetches content from another address when it opens (a "
            "remote template, image, frame or linked object): save it again "
            "with that content included, or remove it."
        )
    elif reason == "names":
        message = _(
            "“%(name)s” holds files with unsafe names (a path that leaves the "
            "document, a link or a name given twice): it was refused."
        )
    elif reason == "formulas":
        message = FORMULA_MESSAGE
    else:
        message = _("“%(name)s” is not a valid %(kind)s file.")
    return ValidationError(message % values)


FORMULA_MESSAGE = gettext_lazy(
    "“%(name)s” contains formulas, which a spreadsheet could run when the file "
    "is opened: keep the values only (copy, then paste as values) and send it "
    "again."
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


def decode_text(name, data):
    lowered = data.lower()
    if b"\x00" in data or any(marker in lowered for marker in TEXT_ACTIVE_CONTENT):
        raise ValidationError(_("“%(name)s” is not plain text.") % {"name": name})
    # A byte-order mark is no character of the text: "\ufeff=1+1" is a
    # formula for a spreadsheet.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("“%(name)s” is not plain text.") % {"name": name}
            ) from error


def check_text(name, data):
    decode_text(name, data)


# A cell a spreadsheet reads as a formula: "=", "@", or "+"/"-" followed by
# anything but a number, which may be followed by a unit in letters or signs
# ("-5", "+33 2 38 12 34 56", "-12,50 €" and "-3 °C" stay allowed;
# "+cmd|' /C calc'!A0" and "-2+3" do not: no operator, parenthesis, pipe,
# quote, "!", "=" or "@"). Leading blanks, tabs and carriage returns are
# skipped, as spreadsheets do.
PLAIN_SIGNED_NUMBER = re.compile(r"[+-](?:\s*[\d.,][\d\s.,/:%]*[\w\s%‰°€$£¥µ]*)?")
# Excel reads a first line "sep=X" as the separator of the file.
EXCEL_SEPARATOR_LINE = re.compile(r"sep=(.)\r?(?:\n|$)", re.IGNORECASE)


def is_formula(cell):
    cell = unicodedata.normalize("NFKC", cell).lstrip(" \t\r\n\"'")
    if cell.startswith(("=", "@")):
        return True
    return cell.startswith(("+", "-")) and not PLAIN_SIGNED_NUMBER.fullmatch(cell)


def check_csv(name, data):
    """Refuse, rather than rewrite, a CSV file whose cells hold formulas: a
    rewritten file would silently differ from what its author sent, and
    quoting tricks differ from one spreadsheet to another. Every usual
    separator is tried, since we cannot know which one the reader's
    spreadsheet will use."""
    text = decode_text(name, data)
    delimiters = [";", ",", "\t", "|"]
    separator = EXCEL_SEPARATOR_LINE.match(text)
    if separator:
        delimiters.append(separator.group(1))
    for delimiter in delimiters:
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                if any(is_formula(cell) for cell in row):
                    raise ValidationError(FORMULA_MESSAGE % {"name": name})
        except (csv.Error, TypeError, ValueError) as error:
            raise ValidationError(
                _("“%(name)s” is not plain text.") % {"name": name}
            ) from error
