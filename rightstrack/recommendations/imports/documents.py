"""The text of a UN document as people download it: plain text, PDF or Word (.docx).

``read_document(path)`` gives the document's lines in reading order, with the page furniture of
a PDF (running heads, page numbers, "GE.10-14567" job numbers, the symbol repeated on every
page) left out, and its ``head``: the first page as it is, where the symbol, the session and the
title are. Which of the three a file is, is told by its first bytes, not by its name.

Line-wrapped paragraphs stay on several lines: the parsers join a paragraph's lines with
``join_lines``, which also mends words broken over two lines ("non-" + "governmental").
"""

import functools
import re
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace

from django.conf import settings

from rightstrack.core.intake import zip_member_start

from .records import FileFormatError
from .values import check_zip, normalize_newlines, text_file

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# How much of a Word file's text a sniff reads: enough for a title page.
SNIFF_BYTES = 256 * 1024
# The first page as kept in ``head`` (for a text file: its first characters).
HEAD_CHARACTERS = 4000

# Lines that are page furniture when they stand at the top or bottom of a page.
_FURNITURE = re.compile(
    r"^(?:\d{1,4}|page \d+( of \d+)?|GE\.\d{2}-\d+.*|A/HRC/\S+|\*\d+\*|please recycle.*|\W*)$",
    re.IGNORECASE,
)
# Lines at the top or bottom of a page that are compared across pages (numbers blanked).
_EDGE_LINES = 3
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
# A word broken over two lines: "non-" at the end of one line, "governmental" at the start of
# the next.
_BROKEN_WORD = re.compile(r"([^\W\d_]+)-$")
_SOFT_HYPHEN_END = re.compile(r"[\u00ad¬]$")


@dataclass
class DocumentText:
    kind: str  # "text", "pdf" or "docx"
    lines: list[str]
    head: str
    # Words of the document written whole, for mending words broken by line wraps.
    words: set[str] = field(default_factory=set)
    # Rows of the Word tables: [(line, [cell texts])]; lines count like ``lines``.
    tables: list[list[tuple[int, list[str]]]] = field(default_factory=list)


def file_kind(path):
    """ "pdf", "docx" (any zip container) or "text", from the file's first bytes."""
    try:
        with path.open("rb") as stream:
            start = stream.read(8)
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read ({error.strerror or error})") from None
    if start.startswith(PDF_MAGIC):
        return "pdf"
    if start.startswith(ZIP_MAGIC):
        return "docx"
    return "text"


def read_document(path, options=None):
    """The document's text; ``options`` may give the encoding of a text file ("encoding").

    The last document read is kept, so that counting a file's records and then importing
    them reads a PDF once; the caller gets its own copy of the lines.
    """
    encoding = (options or {}).get("encoding") or ""
    try:
        stat = path.stat()
    except OSError:
        return _read_document(path, options)
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, encoding)
    if getattr(_last_read, "key", None) != key:
        _last_read.document = _read_document(path, options)
        _last_read.key = key
    return replace(_last_read.document, lines=list(_last_read.document.lines))


# The last document read in this thread (its key and DocumentText).
_last_read = threading.local()


def _read_document(path, options):
    kind = file_kind(path)
    if kind == "pdf":
        document = _pdf(path)
    elif kind == "docx":
        document = _docx(path)
    else:
        with text_file(path, options) as stream:
            text = normalize_newlines(stream.read())
        document = DocumentText("text", text.split("\n"), text[:HEAD_CHARACTERS])
    document.lines = [_plain(line) for line in document.lines]
    document.words = {
        word.lower() for line in document.lines for word in _WORD.findall(line) if len(word) > 3
    }
    return document


def _plain(line):
    return line.replace("\t", " ").replace("\u00a0", " ").replace("\u200b", "")


# PDF


def _pdf(path):
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    # A PDF is a container of compressed streams: what its text expands to is held to the same
    # limit as a zip container's (IMPORT_ZIP_MAX_MB); pypdf bounds each stream itself.
    max_text = int(settings.IMPORT_ZIP_MAX_BYTES)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileFormatError("the PDF is protected by a password")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > max_text:
                raise _pdf_bomb(f"its text is longer than {max_text // 2**20} MB")
    except FileFormatError:
        raise
    except LimitReachedError as error:
        raise _pdf_bomb(str(error)) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise FileFormatError("not a readable PDF file") from None
    if not "".join(pages).strip():
        raise FileFormatError(
            "the PDF has no text to read (a scanned image?): use the Word or text version"
        )
    page_lines = [normalize_newlines(page).split("\n") for page in pages]
    return DocumentText("pdf", _without_furniture(page_lines), pages[0][:HEAD_CHARACTERS])


def _pdf_bomb(what):
    error = FileFormatError(
        f"The PDF is refused as a possible decompression bomb: {what} (IMPORT_ZIP_MAX_BYTES)."
    )
    error.setting = "IMPORT_ZIP_MAX_BYTES"
    return error


def _edges(lines):
    """Indexes of the first and last few non-empty lines of a page."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])


def _shape(line):
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _without_furniture(page_lines):
    """The lines of every page less its running heads and feet.

    A line at a page's edge is furniture when it is a page number, a job number, a symbol or
    punctuation alone, or when lines of its shape stand at the edges of at least half the pages
    (running heads like "A/HRC/15/16" or "UPR of Belarus").
    """
    shapes, inside = Counter(), set()
    for lines in page_lines:
        edges = _edges(lines)
        shapes.update({_shape(lines[index]) for index in edges})
        inside.update(_shape(line) for index, line in enumerate(lines) if index not in edges)
    # Only a shape never met inside a page: items of a list look alike once their numbers are
    # blanked, and stand at the edges of pages too.
    repeated = {
        shape
        for shape, count in shapes.items()
        if len(page_lines) > 1 and count * 2 >= len(page_lines) and shape not in inside
    }
    kept = []
    for lines in page_lines:
        edges = _edges(lines)
        for index, line in enumerate(lines):
            stripped = line.strip()
            if index in edges and (_FURNITURE.match(stripped) or _shape(line) in repeated):
                continue
            kept.append(line)
    return kept


# Word


def _docx(path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    # A zip bomb is refused before python-docx decompresses anything.
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise FileFormatError("not a Word (.docx) file") from None
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read ({error.strerror or error})") from None
    numbering = _Numbering(document)
    lines, tables = [], []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_paragraph_lines(block, numbering))
        elif tag == "tbl":
            rows = []
            for row in block.iter(_qn("w:tr")):
                cells = [
                    "\n".join(paragraph_text(p) for p in cell.iter(_qn("w:p")))
                    for cell in row.iter(_qn("w:tc"))
                ]
                lines.append(" ".join(cells))
                rows.append((len(lines), cells))
            tables.append(rows)
    headers = []
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            if not part.is_linked_to_previous or part is section.header:
                headers.extend(paragraph.text for paragraph in part.paragraphs)
    head = "\n".join([*headers, *lines])[:HEAD_CHARACTERS]
    return DocumentText("docx", lines, head, tables=tables)


@functools.cache
def _qn(name):
    from docx.oxml.ns import qn

    return qn(name)


def paragraph_text(p):
    """The text of a w:p element: its runs (in hyperlinks too), tabs as spaces, breaks as line
    breaks; read straight from the XML, ten times faster than python-docx's ``text``."""
    parts = []
    for node in p.iter(_qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr"), _qn("w:noBreakHyphen")):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t":
            parts.append(node.text or "")
        else:
            parts.append({"tab": " ", "noBreakHyphen": "-"}.get(tag, "\n"))
    return "".join(parts)


def _paragraph_lines(p, numbering):
    text = paragraph_text(p)
    label = numbering.label(p)
    if label:
        text = f"{label} {text}"
    return text.split("\n")


class _Numbering:
    """The numbers Word draws for automatically numbered paragraphs ("97.", "97.1.").

    Only decimal lists are rebuilt, which is what UN documents number their paragraphs with;
    bullets and letters are left out.
    """

    def __init__(self, document):
        self.formats = {}  # (numId, level) -> (format, text, start)
        self.counters = {}  # abstract id -> [counts by level]
        self.abstract_of = {}
        self.styles = {}  # paragraph style id -> (numId, level)
        from docx.opc.constants import RELATIONSHIP_TYPE

        try:
            part = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
        except KeyError:
            # The document has no numbering part: nothing to number.
            return
        self.styles = self._style_numbering(document)
        root = part.element
        abstracts = {}
        for abstract in root.iter(_qn("w:abstractNum")):
            levels = {}
            for level in abstract.iter(_qn("w:lvl")):
                index = int(level.get(_qn("w:ilvl")) or 0)
                fmt = level.find(_qn("w:numFmt"))
                text = level.find(_qn("w:lvlText"))
                start = level.find(_qn("w:start"))
                levels[index] = (
                    fmt.get(_qn("w:val")) if fmt is not None else "decimal",
                    text.get(_qn("w:val")) if text is not None else "",
                    int(start.get(_qn("w:val"))) if start is not None else 1,
                )
            abstracts[abstract.get(_qn("w:abstractNumId"))] = levels
        for num in root.iter(_qn("w:num")):
            abstract_id = num.find(_qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            key = abstract_id.get(_qn("w:val"))
            self.abstract_of[num.get(_qn("w:numId"))] = key
            for index, level in abstracts.get(key, {}).items():
                self.formats[(num.get(_qn("w:numId")), index)] = level

    def _style_numbering(self, document):
        """(numId, level) of each paragraph style that numbers its paragraphs, its own or the
        style's it is based on."""
        own, based_on = {}, {}
        for style in document.styles.element.iter(_qn("w:style")):
            style_id = style.get(_qn("w:styleId"))
            num_pr = style.find(f"{_qn('w:pPr')}/{_qn('w:numPr')}")
            if num_pr is not None:
                own[style_id] = _num_pr(num_pr)
            parent = style.find(_qn("w:basedOn"))
            if parent is not None:
                based_on[style_id] = parent.get(_qn("w:val"))
        numbering = {}
        for style_id in {*own, *based_on}:
            current, seen = style_id, set()
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                numbering[style_id] = own[current]
        return numbering

    def label(self, p):
        num_pr = p.find(f"{_qn('w:pPr')}/{_qn('w:numPr')}")
        if num_pr is not None:
            num_id, level = _num_pr(num_pr)
        else:
            style = p.find(f"{_qn('w:pPr')}/{_qn('w:pStyle')}")
            style_id = style.get(_qn("w:val")) if style is not None else None
            if style_id not in self.styles:
                return ""
            num_id, level = self.styles[style_id]
        if (num_id, level) not in self.formats:
            return ""
        abstract = self.abstract_of[num_id]
        counts = self.counters.setdefault(abstract, [0] * 9)
        for index in range(level + 1, 9):
            counts[index] = 0
        for index in range(level):
            if counts[index] == 0:
                counts[index] = self.formats.get((num_id, index), ("", "", 1))[2]
        fmt, text, start = self.formats[(num_id, level)]
        counts[level] = counts[level] + 1 if counts[level] else start
        if fmt != "decimal":
            return ""
        return re.sub(r"%(\d)", lambda match: str(counts[int(match.group(1)) - 1]), text)


def _num_pr(num_pr):
    """(numId, level) of a w:numPr element."""
    num_id = num_pr.find(_qn("w:numId"))
    level = num_pr.find(_qn("w:ilvl"))
    return (
        num_id.get(_qn("w:val")) if num_id is not None else None,
        int(level.get(_qn("w:val"))) if level is not None else 0,
    )


# Lines to paragraphs


def join_lines(lines, words=frozenset()):
    """One paragraph of line-wrapped lines: spaces between lines, broken words mended.

    "non-" + "governmental" stays "non-governmental"; "inter-" + "national" becomes
    "international" when the document writes "international" whole elsewhere (``words``) and
    never "inter-national"; a soft hyphen at a line's end always joins.
    """
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
            continue
        if _SOFT_HYPHEN_END.search(text):
            text = text[:-1] + line
            continue
        broken = _BROKEN_WORD.search(text)
        if broken and line[:1].isupper():
            # A name broken at its own hyphen: "Timor-" + "Leste", "Guinea-" + "Bissau".
            text += line
            continue
        if broken and line[:1].islower():
            head_word = broken.group(1)
            tail_word = _WORD.match(line)
            whole = (head_word + (tail_word.group() if tail_word else "")).lower()
            if whole in words:
                text = text[:-1] + line
            else:
                text += line
            continue
        text += " " + line
    return text


def sniff_head(probe):
    """The first page of a document of any of the three kinds, read cheaply from a
    ``core.intake.FileProbe``; "" when it is none of them.

    Of a PDF only the first two pages are read; of a Word file (whose container the probe has
    checked against the zip limits) only the start of its text.
    """
    if probe.text is not None:
        return probe.text
    if probe.zip_members is not None:
        return docx_xml_text(probe.path) if "word/document.xml" in probe.zip_members else ""
    if probe.head.startswith(PDF_MAGIC):
        try:
            from pypdf import PdfReader

            reader = PdfReader(str(probe.path))
            return "\n".join((page.extract_text() or "") for page in reader.pages[:2])
        except Exception:  # noqa: BLE001 - a sniff never fails, it says "not mine"
            return ""
    return ""


_XML_TAG = re.compile(r"<[^>]+>")
_XML_PARAGRAPH_END = re.compile(r"</w:p>|</w:tc>")


def docx_xml_text(path, limit=SNIFF_BYTES):
    """The first characters of a Word file's text, read from its XML with a bound on what is
    decompressed (a sniff must stay cheap even for a hostile file)."""
    xml = zip_member_start(path, "word/document.xml", limit)
    return _XML_TAG.sub("", _XML_PARAGRAPH_END.sub("\n", xml))
