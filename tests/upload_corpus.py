"""A corpus of good, hostile and broken files, built in memory, with the
verdict each must get when uploaded."""

import io
import zipfile
from dataclasses import dataclass

from PIL import Image


def image_bytes(format="JPEG", size=(640, 480), colour="#6a6af4", **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format, **options)
    return buffer.getvalue()


def pdf_bytes(extra=b""):
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b">> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(**extra):
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b"<w:document>Compte rendu du conseil</w:document>",
            **extra,
        }
    )


def odt_bytes(**extra):
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            **extra,
        }
    )


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
    b"</script></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


def mpo_bytes():
    """A JPEG as many phones write it (MPO: extra frames after the first)."""
    buffer = io.BytesIO()
    first, second = (
        Image.new("RGB", (320, 240), "#ff9575"),
        Image.new("RGB", (320, 240)),
    )
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def corrupted(data):
    middle = len(data) // 2
    return (
        data[:middle]
        + bytes(byte ^ 0xFF for byte in data[middle : middle + 64])
        + (data[middle + 64 :])
    )


def flate_pdf_with_script():
    import zlib

    stream = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    return (
        b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n"
    )


def bomb_png():
    """A 20 000 × 20 000 pixel PNG of a few hundred kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


def zip_bomb_docx():
    return docx_bytes(**{"word/media/zeros.bin": b"\x00" * (60 * 1024 * 1024)})


@dataclass
class Sample:
    name: str
    content: bytes
    kind: str  # "image" or "document"
    accepted: bool
    message: str = ""  # part of the French error expected when refused


def corpus():
    jpeg = image_bytes()
    png = image_bytes("PNG")
    return [
        # Good files are accepted.
        Sample("sortie-musee.jpg", jpeg, "image", True),
        Sample("affiche.png", png, "image", True),
        Sample("dessin.webp", image_bytes("WEBP"), "image", True),
        Sample("telephone.jpg", mpo_bytes(), "image", True),
        Sample("compte-rendu.pdf", pdf_bytes(), "document", True),
        Sample("compte-rendu.docx", docx_bytes(), "document", True),
        Sample("compte-rendu.odt", odt_bytes(), "document", True),
        Sample(
            "liste.txt",
            b"Liste des fournitures : cahier, crayons.",
            "document",
            True,
        ),
        Sample("notes.csv", "élève;note\nA.;15\n".encode(), "document", True),
        # Wrong or dangerous kinds.
        Sample("logo.svg", SVG_WITH_SCRIPT, "image", False, "non supporté"),
        Sample("logo.png", SVG_WITH_SCRIPT, "image", False, "image"),
        Sample("page.jpg", HTML_PAGE, "image", False, "image"),
        Sample("animation.gif", image_bytes("GIF"), "image", False, "non supporté"),
        Sample("photo.jpg", png, "image", False, "PNG"),
        Sample("page.html", HTML_PAGE, "document", False, "n'est pas"),
        Sample("page.pdf", HTML_PAGE, "document", False, "PDF"),
        Sample("page.txt", HTML_PAGE, "document", False, "texte"),
        Sample("script.txt", b"<script>alert(1)</script>", "document", False, "texte"),
        Sample("programme.pdf", WINDOWS_EXE, "document", False, "PDF"),
        Sample("programme.exe", WINDOWS_EXE, "document", False, "n'est pas"),
        Sample("programme.docx", LINUX_ELF, "document", False, "DOCX"),
        Sample("ancien.doc", OLE_DOC, "document", False, "n'est pas"),
        Sample("binaire.txt", b"abc\x00\x01\x02", "document", False, "texte"),
        # Macros and active content.
        Sample(
            "macros.docx",
            docx_bytes(**{"word/vbaProject.bin": b"\x00" * 64}),
            "document",
            False,
            "macros",
        ),
        Sample(
            "macros.odt",
            odt_bytes(**{"Basic/Standard/Module1.xml": b"<script/>"}),
            "document",
            False,
            "macros",
        ),
        Sample(
            "formulaire.pdf",
            pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            "document",
            False,
            "scripts",
        ),
        Sample(
            "cache.pdf",
            pdf_bytes(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
            "document",
            False,
            "scripts",
        ),
        Sample("compresse.pdf", flate_pdf_with_script(), "document", False, "scripts"),
        Sample(
            "objet.docx",
            docx_bytes(**{"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
            "document",
            False,
            "programmes",
        ),
        Sample(
            "long.txt",
            b"Liste des sorties.\n" * 400 + b"<html><script>alert(1)</script>",
            "document",
            False,
            "texte",
        ),
        Sample("corrompu.docx", corrupted(docx_bytes()), "document", False, "DOCX"),
        Sample(
            "lanceur.pdf",
            pdf_bytes(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
            "document",
            False,
            "scripts",
        ),
        # Broken or truncated files.
        Sample("coupee.jpg", jpeg[: len(jpeg) // 2], "image", False, "image"),
        Sample("coupee.png", png[: len(png) // 2], "image", False, "image"),
        Sample("vide.jpg", b"", "image", False, "vide"),
        Sample("vide.pdf", b"", "document", False, "vide"),
        Sample("coupe.pdf", pdf_bytes()[:60], "document", False, "PDF"),
        Sample("abime.docx", docx_bytes()[:-40], "document", False, "DOCX"),
        Sample(
            "sans-contenu.docx", zip_bytes({"a.txt": b"x"}), "document", False, "DOCX"
        ),
        Sample(
            "evasion.docx",
            docx_bytes(**{"../../etc/cron.d/x": b"x"}),
            "document",
            False,
            "DOCX",
        ),
        # Too big.
        Sample(
            "enorme.jpg",
            image_bytes()[:-2] + b"\x00" * (11 * 1024 * 1024) + b"\xff\xd9",
            "image",
            False,
            "trop",
        ),
        Sample(
            "enorme.txt", b"a" * (21 * 1024 * 1024), "document", False, "volumineux"
        ),
        # Bombs.
        Sample("immense.png", bomb_png(), "image", False, "pixels"),
        Sample("bombe.docx", zip_bomb_docx(), "document", False, "anormale"),
        # Hostile names (path parts and invisible characters are already cut
        # by Django when the upload is parsed; see test_uploads).
        Sample(("tres-long-" * 30) + ".jpg", jpeg, "image", False, "long"),
        Sample(("tres-long-" * 30) + ".pdf", pdf_bytes(), "document", False, "long"),
    ]
