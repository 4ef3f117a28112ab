"""Reading the files users give us: every file is hostile until read.

One module for every importer (recommendations, follow-up grades, action plans…), so that each
limit is enforced the same way everywhere and a breach always says which limit it was:

- :func:`check_upload_size` / :func:`upload_refusal`: the largest upload
  (``IMPORT_MAX_UPLOAD_BYTES``), checked on the declared size before the body is read and on
  the stored file;
- :func:`check_zip`: a zip container (.docx, .xlsx) is refused when its central directory
  declares more than ``IMPORT_ZIP_MAX_BYTES`` decompressed or a compression ratio above
  ``IMPORT_ZIP_MAX_RATIO``, *before* anything is decompressed; then every member is
  decompressed once, as a stream, counting the bytes really produced, so a directory that lies
  is caught too (at most the limit is ever decompressed, a block at a time);
- :func:`open_text`: a text file (CSV, a report's text) is read in bounded blocks: a line longer
  than ``IMPORT_MAX_LINE_BYTES`` is refused without ever being held whole; the encoding is a
  BOM's, else UTF-8 when the whole file is valid UTF-8, else the most plausible of the legacy
  candidates; text that reads as mojibake in every candidate is refused with the encoding to try
  (``--encoding`` on the command line, the "Encoding" field on the upload page);
- :func:`bounded_json`: a JSON file read as a stream (ijson) with every string longer than
  ``IMPORT_MAX_LINE_BYTES`` cut out before the parser sees it, so that a 50 MB value is never
  held; the record holding it gets a marker (:func:`cut_value_size`) to refuse it by;
- :func:`probe`: what a file is (zip members, JSON shape, a decoded text sample), for format
  detection.

Every refusal is an :class:`IntakeError` (a :class:`LimitExceeded` for the size limits, which
names its setting and answers 413 for an upload); a caller turns it into its own "file cannot
be read" error: exit 2, a 4xx answer, nothing written.

Usage by an importer::

    from rightstrack.core import intake

    with intake.open_text(path, encoding=options.get("encoding")) as text:
        for line in csv.reader(text.lines()):   # lines keep their ends (newline="")
            ...
    intake.check_zip(path)                       # before openpyxl / python-docx open it
"""

import codecs
import contextlib
import io
import lzma
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

BLOCK = 1 << 20
# What format detection and the plausibility judgement look at.
HEAD_BYTES = 64 * 1024
SAMPLE_BYTES = 256 * 1024
# Members of a zip container smaller than this are not held to the ratio: tiny XML parts
# compress in odd ways, and cannot be a bomb on their own.
RATIO_FLOOR_BYTES = 1 << 20
MAX_ZIP_MEMBERS = 10_000

# The HTTP status of a refused upload by the kind of limit.
TOO_LARGE = 413
UNPROCESSABLE = 422


class IntakeError(Exception):
    """A file that cannot be read at all: the message says why, for the person who gave it."""

    status = UNPROCESSABLE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LimitExceeded(IntakeError):
    """A file beyond one of the configured limits; ``setting`` names it."""

    def __init__(self, message: str, *, setting: str, status: int = UNPROCESSABLE) -> None:
        super().__init__(message)
        self.setting = setting
        self.status = status


# Sizes


def _megabytes(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.0f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"


def max_upload_bytes() -> int:
    return int(settings.IMPORT_MAX_UPLOAD_BYTES)


def unreadable(error: OSError) -> IntakeError:
    """Why a file cannot be opened, said without its name: the command line writes the path
    before every refusal, and a page names the batch's file."""
    if isinstance(error, FileNotFoundError):
        return IntakeError(_("file not found"))
    if isinstance(error, IsADirectoryError):
        return IntakeError(_("is a directory, not a file"))
    return IntakeError(_("cannot be read (%(reason)s)") % {"reason": error.strerror or error})


def check_upload_size(size: int | None) -> None:
    """Refuse an upload larger than IMPORT_MAX_UPLOAD_BYTES (413)."""
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise LimitExceeded(
            _(
                "The file (%(size)s) is larger than the largest upload allowed, %(limit)s "
                "(IMPORT_MAX_UPLOAD_BYTES)."
            )
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
            setting="IMPORT_MAX_UPLOAD_BYTES",
            status=TOO_LARGE,
        )


# The multipart envelope and the other fields of an upload form, beside the file itself.
UPLOAD_FORM_OVERHEAD = 64 * 1024


def upload_refusal(request: Any) -> LimitExceeded | None:
    """The refusal of a request whose declared body is larger than the largest upload, found
    before Django reads the body (so an oversized upload never reaches the disk); else None."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared <= max_upload_bytes() + UPLOAD_FORM_OVERHEAD:
        return None
    try:
        check_upload_size(declared - UPLOAD_FORM_OVERHEAD)
    except LimitExceeded as error:
        return error
    return None


# Zip containers (.docx, .xlsx)


# The compression methods zipfile reads. A member written with another (Deflate64, AES, …) or
# encrypted is refused from the central directory, before anything is decompressed.
READABLE_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
ENCRYPTED_FLAG = 0x1
# What decompressing a member whose directory entry was accepted can still raise on a damaged
# file: a CRC or size mismatch (a lying directory), truncation, a corrupt compressed stream.
ZIP_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, zlib.error, lzma.LZMAError)


def _unreadable_member(member: zipfile.ZipInfo) -> str:
    """Why a member of a zip container cannot be read, from its directory entry; "" when it can."""
    if member.flag_bits & ENCRYPTED_FLAG:
        return _("%(name)s is encrypted") % {"name": member.filename}
    if member.compress_type not in READABLE_COMPRESSION:
        return _("%(name)s uses a compression method that cannot be read (%(method)s)") % {
            "name": member.filename,
            "method": member.compress_type,
        }
    return ""


def zip_member_start(path: Path, member: str, limit: int) -> str:
    """The first ``limit`` bytes of one member of a zip container, decoded as UTF-8; "" when the
    container or the member cannot be read. Bounded, so a sniff stays cheap on a hostile file."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
            if _unreadable_member(info):
                return ""
            with archive.open(info) as stream:
                return stream.read(limit).decode("utf-8", errors="replace")
    except (*ZIP_READ_ERRORS, KeyError):
        return ""


def is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _zip_limit_error(what: str, setting: str) -> LimitExceeded:
    return LimitExceeded(
        _("The file is refused as a possible zip bomb: %(what)s (%(setting)s).")
        % {"what": what, "setting": setting},
        setting=setting,
    )


def check_zip(path: Path) -> list[str]:
    """Check a zip container against the limits; return its member names.

    First the central directory (declared sizes: nothing decompressed yet), then the members
    themselves, decompressed a block at a time and counted, stopping at the limit.
    """
    max_total = int(settings.IMPORT_ZIP_MAX_BYTES)
    max_ratio = int(settings.IMPORT_ZIP_MAX_RATIO)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise unreadable(error) from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IntakeError(
            _("Not a valid zip container (.docx, .xlsx): %(error)s") % {"error": error}
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _zip_limit_error(
                _("%(count)s parts in the container") % {"count": len(members)},
                "IMPORT_ZIP_MAX_BYTES",
            )
        for member in members:
            if problem := _unreadable_member(member):
                raise IntakeError(
                    _("The zip container is not supported: %(problem)s.") % {"problem": problem}
                )
        declared = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        if declared > max_total:
            raise _zip_limit_error(
                _("it declares %(size)s decompressed, more than %(limit)s")
                % {"size": _megabytes(declared), "limit": _megabytes(max_total)},
                "IMPORT_ZIP_MAX_BYTES",
            )
        for member in members:
            if member.file_size > RATIO_FLOOR_BYTES and (
                member.file_size > max_ratio * max(member.compress_size, 1)
            ):
                raise _zip_limit_error(
                    _("%(name)s expands %(ratio)s times, more than %(limit)s")
                    % {
                        "name": member.filename,
                        "ratio": member.file_size // max(member.compress_size, 1),
                        "limit": max_ratio,
                    },
                    "IMPORT_ZIP_MAX_RATIO",
                )
        if declared > RATIO_FLOOR_BYTES and declared > max_ratio * max(packed, 1):
            raise _zip_limit_error(
                _("it expands %(ratio)s times, more than %(limit)s")
                % {"ratio": declared // max(packed, 1), "limit": max_ratio},
                "IMPORT_ZIP_MAX_RATIO",
            )
        _count_zip_bytes(archive, members, max_total=max_total, max_ratio=max_ratio)
        return [member.filename for member in members]


def _count_zip_bytes(
    archive: zipfile.ZipFile,
    members: Sequence[zipfile.ZipInfo],
    *,
    max_total: int,
    max_ratio: int,
) -> None:
    """Decompress every member as a stream, counting what it really gives: a central directory
    may understate the sizes. Nothing is kept; at most max_total bytes are ever produced."""
    total = 0
    for member in members:
        produced = 0
        try:
            with archive.open(member) as stream:
                while block := stream.read(BLOCK):
                    produced += len(block)
                    total += len(block)
                    if total > max_total:
                        raise _zip_limit_error(
                            _("it decompresses to more than %(limit)s")
                            % {"limit": _megabytes(max_total)},
                            "IMPORT_ZIP_MAX_BYTES",
                        )
                    if produced > RATIO_FLOOR_BYTES and produced > max_ratio * max(
                        member.compress_size, 1
                    ):
                        raise _zip_limit_error(
                            _("%(name)s expands more than %(limit)s times")
                            % {"name": member.filename, "limit": max_ratio},
                            "IMPORT_ZIP_MAX_RATIO",
                        )
        except ZIP_READ_ERRORS as error:
            raise IntakeError(
                _("The zip container is damaged or not supported (%(name)s: %(error)s).")
                % {"name": member.filename, "error": error}
            ) from None


# Text: encodings


@dataclass(frozen=True)
class Encoding:
    codec: str
    label: str


ENCODINGS = {
    encoding.codec: encoding
    for encoding in (
        Encoding("utf-8", "UTF-8"),
        Encoding("utf-8-sig", "UTF-8"),
        Encoding("utf-16", "UTF-16"),
        Encoding("utf-32", "UTF-32"),
        Encoding("cp1252", "Windows-1252"),
        Encoding("mac_roman", "Mac Roman"),
        Encoding("cp1251", "Windows-1251"),
        Encoding("latin-1", "Latin-1"),
        Encoding("cp1250", "Windows-1250"),
        Encoding("koi8_r", "KOI8-R"),
        Encoding("cp866", "DOS Cyrillic (cp866)"),
        Encoding("iso8859_2", "Latin-2"),
    )
}
# Tried, in this order of preference, when a file is not UTF-8: the encodings of the files
# people hold (Western and Cyrillic Windows, old Mac exports).
LEGACY_CANDIDATES = ("cp1252", "mac_roman", "cp1251", "latin-1")
# Never chosen by themselves (too easily confused), but named as the encoding to try when the
# file reads as mojibake in every candidate and plausibly in one of these.
SUGGESTIONS = ("cp1252", "cp1251", "mac_roman", "cp1250", "koi8_r", "cp866", "iso8859_2")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII = bytes(range(128))
# Above this share of implausible characters among the non-ASCII ones, the text is mojibake.
MOJIBAKE_SHARE = 0.15
# Typography that legacy encodings mostly carry in UN and NGO texts: a right guess shows these.
_TYPOGRAPHY = frozenset("’‘“”„–—•…«»°§№€\u00a0")
# UTF-8 read as a single-byte encoding and saved again: a lead byte's character, then one
# from the continuation range (cp1252 maps some of 0x80–0x9F to these).
_DOUBLE_ENCODED = re.compile(
    "[\u00c2-\u00f4]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_WORD = re.compile(r"[^\W\d_]+")


def encoding_label(codec: str) -> str:
    known = ENCODINGS.get(codecs.lookup(codec).name) or ENCODINGS.get(codec)
    return known.label if known else codec


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _word_is_plausible(word: str) -> bool:
    if word.isascii():
        return True
    scripts = {_script(char) for char in word}
    if len(scripts) > 1:
        return False  # Latin and Cyrillic inside one word: "Cafй"
    if not (word.islower() or word.isupper() or word[1:].islower()):
        return False  # "StateÕs", "ÔÓÎËÚË͇"
    if scripts == {"LATIN"} and len(word) >= 4:
        # Western words carry a few accented letters, not mostly: "Ïðèâåò" is Russian read
        # as Windows-1252.
        accented = sum(1 for char in word if not char.isascii())
        return accented * 2 <= len(word)
    return True


def mojibake_share(text: str) -> tuple[float, str]:
    """(the share of implausible characters among the non-ASCII ones, an example of them).

    Implausible: control characters (C1 controls of Windows bytes read as Latin-1), box drawing,
    private-use and math symbols, spacing accents, words mixing scripts or with capitals inside
    them, Western words made mostly of accented letters, and UTF-8 encoded twice ("Ã©")."""
    non_ascii = bad = 0
    example = ""
    for match in _DOUBLE_ENCODED.finditer(text):
        bad += 2
        example = example or text[max(0, match.start() - 8) : match.end() + 8]
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        letters = sum(1 for char in word if not char.isascii())
        non_ascii += letters
        if not _word_is_plausible(word):
            bad += letters
            example = example or word
    for char in text:
        if char.isascii() or char.isalpha():
            continue
        non_ascii += 1
        if char in _TYPOGRAPHY or char.isspace():
            continue
        category = unicodedata.category(char)
        if (
            category in ("Cc", "Co", "Cs", "Cn", "Sk", "Lm", "No")
            or "\u2500" <= char <= "\u259f"
            or category == "Sm"
            or char in "¤¦¨¯´¸ˆ˜‡†‰◊"
        ):
            bad += 1
            example = example or char
    if not non_ascii:
        return 0.0, ""
    return min(1.0, bad / non_ascii), example.strip()


@dataclass
class _Scan:
    """What one pass over the raw bytes found."""

    utf8: bool = True
    high_bytes: set[int] = field(default_factory=set)
    sample: bytearray = field(default_factory=bytearray)
    size: int = 0


def _scan(path: Path, *, max_line: int, bom_codec: str | None) -> _Scan:
    """One pass over the file in blocks: line lengths, UTF-8 validity, the non-ASCII bytes,
    and a sample of the lines that carry them."""
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    run = 0  # length of the line being read, in bytes
    line_number = 1
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            scan.size += len(block)
            lines = block.splitlines(keepends=True)
            for index, piece in enumerate(lines):
                ended = piece.endswith((b"\n", b"\r"))
                run += len(piece.rstrip(b"\r\n"))
                if run > max_line:
                    raise LimitExceeded(
                        _(
                            "Line %(line)s is longer than the longest line allowed, %(limit)s "
                            "(IMPORT_MAX_LINE_BYTES)."
                        )
                        % {"line": line_number, "limit": _megabytes(max_line)},
                        setting="IMPORT_MAX_LINE_BYTES",
                    )
                if ended or index < len(lines) - 1:
                    run = 0
                    line_number += 1
            if bom_codec:
                continue
            rest = block.translate(None, _ASCII)
            if rest:
                scan.high_bytes.update(rest)
                if len(scan.sample) < SAMPLE_BYTES:
                    for piece in lines:
                        if not piece.isascii():
                            scan.sample += piece
                            if len(scan.sample) >= SAMPLE_BYTES:
                                break
                if scan.utf8:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        scan.utf8 = False
            elif scan.utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    scan.utf8 = False
        if scan.utf8 and not bom_codec:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                scan.utf8 = False
    return scan


def _decodes(codec: str, high_bytes: set[int]) -> bool:
    try:
        bytes(sorted(high_bytes)).decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _cut(sample: bytes) -> bytes:
    # A sample ends inside a multi-byte character at worst; the judgement ignores the tail.
    return sample[:SAMPLE_BYTES]


def _mojibake_error(codec: str, example: str, suggestion: str | None) -> IntakeError:
    if suggestion:
        message = _(
            "The text reads as mojibake in %(encoding)s (“%(example)s”); it reads plausibly as "
            "%(suggestion)s: import it again with the encoding %(codec)s."
        ) % {
            "encoding": encoding_label(codec),
            "example": example[:40],
            "suggestion": encoding_label(suggestion),
            "codec": suggestion,
        }
    else:
        message = _(
            "The text reads as mojibake in %(encoding)s (“%(example)s”) and in every other "
            "encoding tried; give the file's encoding (e.g. cp1251, koi8_r, mac_roman), or "
            "export it again as UTF-8."
        ) % {"encoding": encoding_label(codec), "example": example[:40]}
    return IntakeError(message)


def _suggestion(sample: bytes, high_bytes: set[int], tried: Sequence[str]) -> str | None:
    best: tuple[float, str] | None = None
    for codec in SUGGESTIONS:
        if codec in tried or not _decodes(codec, high_bytes):
            continue
        share, _example = mojibake_share(sample.decode(codec, errors="replace"))
        if share <= MOJIBAKE_SHARE and (best is None or share < best[0]):
            best = (share, codec)
    return best[1] if best else None


def detect_encoding(
    path: Path,
    *,
    candidates: Sequence[str] = LEGACY_CANDIDATES,
    max_line: int | None = None,
) -> str:
    """The codec to read a text file with (see the module's docstring); checks line lengths.

    ``candidates`` are the legacy encodings the format may come in, in order of preference.
    """
    max_line = max_line or int(settings.IMPORT_MAX_LINE_BYTES)
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as error:
        raise unreadable(error) from None
    bom_codec = next((codec for bom, codec in _BOMS if head.startswith(bom)), None)
    scan = _scan(path, max_line=max_line, bom_codec=bom_codec)
    if bom_codec:
        return bom_codec
    if b"\x00" in head:
        raise IntakeError(_("This is a binary file, not text."))
    return _judge(_cut(bytes(scan.sample)), scan.high_bytes, utf8=scan.utf8, candidates=candidates)


def _judge(sample: bytes, high_bytes: set[int], *, utf8: bool, candidates: Sequence[str]) -> str:
    """The codec of a text whose non-ASCII lines are ``sample``: UTF-8 when valid (and not
    mojibake saved as UTF-8), else the most plausible candidate; IntakeError otherwise."""
    if b"\x00" in sample:
        raise IntakeError(_("This is a binary file, not text."))
    if utf8:
        share, example = mojibake_share(sample.decode("utf-8", errors="ignore"))
        if share > MOJIBAKE_SHARE:
            raise IntakeError(
                _(
                    "The text is mojibake (“%(example)s”): it was decoded in a wrong encoding "
                    "and saved again as UTF-8. Export it again from the original."
                )
                % {"example": example[:40]}
            )
        return "utf-8"
    judged: list[tuple[float, int, str, str]] = []
    for order, codec in enumerate(candidates):
        if not _decodes(codec, high_bytes):
            continue
        share, example = mojibake_share(sample.decode(codec, errors="replace"))
        judged.append((share, order, codec, example))
    if not judged:
        raise _mojibake_error("utf-8", "", _suggestion(sample, high_bytes, ()))
    share, _order, codec, example = min(judged)
    if share > MOJIBAKE_SHARE:
        raise _mojibake_error(codec, example, _suggestion(sample, high_bytes, candidates))
    return codec


def decode_bytes(
    raw: bytes, *, encoding: str | None = None, candidates: Sequence[str] = LEGACY_CANDIDATES
) -> str:
    """The text of bytes already in memory (a small file, text extracted from a document),
    decoded as :func:`detect_encoding` decides; the BOM is dropped. Raises IntakeError."""
    if encoding:
        codec = check_encoding(encoding)
        try:
            return raw.decode(codec)
        except UnicodeDecodeError as error:
            raise IntakeError(
                _("The text is not %(encoding)s (%(error)s).")
                % {"encoding": encoding_label(codec), "error": error.reason}
            ) from None
    bom_codec = next((codec for bom, codec in _BOMS if raw.startswith(bom)), None)
    if bom_codec:
        return raw.decode(bom_codec, errors="replace")
    try:
        text: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    sample = b"\n".join(line for line in raw.splitlines() if not line.isascii())[:SAMPLE_BYTES]
    high_bytes = set(raw.translate(None, _ASCII))
    codec = _judge(sample, high_bytes, utf8=text is not None, candidates=candidates)
    return text if text is not None else raw.decode(codec)


# Text: reading


class TextFile:
    """A text file opened for reading in bounded lines (see :func:`open_text`)."""

    def __init__(self, path: Path, codec: str, *, max_line: int) -> None:
        self.path = path
        self.codec = codec
        self.max_line = max_line
        self._stream: IO[str] = io.TextIOWrapper(
            path.open("rb"), encoding=codec, errors="strict", newline=""
        )
        self.line_number = 0

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.codec)

    def lines(self) -> Iterator[str]:
        """The lines with their ends ("\\n", "\\r\\n" or a lone "\\r"), none longer than the
        limit, each read in a bounded piece."""
        while True:
            try:
                line = self._stream.readline(self.max_line + 2)
            except UnicodeDecodeError as error:
                raise IntakeError(
                    _("Line %(line)s is not %(encoding)s text (%(error)s).")
                    % {
                        "line": self.line_number + 1,
                        "encoding": self.encoding_label,
                        "error": error.reason,
                    }
                ) from None
            if not line:
                return
            self.line_number += 1
            if len(line.rstrip("\r\n")) > self.max_line:
                raise LimitExceeded(
                    _(
                        "Line %(line)s is longer than the longest line allowed, %(limit)s "
                        "(IMPORT_MAX_LINE_BYTES)."
                    )
                    % {"line": self.line_number, "limit": _megabytes(self.max_line)},
                    setting="IMPORT_MAX_LINE_BYTES",
                )
            yield line

    def read(self) -> str:
        """All the text (for formats that need it whole, e.g. a report): still line-checked."""
        return "".join(self.lines())

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> "TextFile":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def check_encoding(codec: str) -> str:
    """The codec named by a person (``--encoding``); refuses one Python does not know."""
    try:
        return codecs.lookup(codec.strip()).name
    except LookupError:
        raise IntakeError(_("Unknown encoding “%(name)s”.") % {"name": codec}) from None


def open_text(
    path: Path,
    *,
    encoding: str | None = None,
    candidates: Sequence[str] = LEGACY_CANDIDATES,
) -> TextFile:
    """Open a text file to read in bounded lines, in ``encoding`` when a person gave one, else
    in the detected one (:func:`detect_encoding`). Raises IntakeError."""
    max_line = int(settings.IMPORT_MAX_LINE_BYTES)
    if encoding:
        codec = check_encoding(encoding)
        # The line lengths are checked before anything is read as text.
        _scan(path, max_line=max_line, bom_codec=codec)
    else:
        codec = detect_encoding(path, candidates=candidates, max_line=max_line)
    return TextFile(path, codec, max_line=max_line)


# JSON: strings beyond the longest line

# A string cut out of a JSON file reads as this, then its size in bytes: "\x00cut:52428800".
CUT_MARKER = "\x00cut:"
_SCAN_BYTES = 1 << 20


def _long_json_runs(path: Path, limit: int) -> list[tuple[int, int, bool]]:
    """(start, end, in a string) byte offsets of the runs of a JSON file between two unescaped
    quotes that are longer than ``limit``: a string's content, or what lies between two
    strings. Read a block at a time; escaped quotes and backslashes are masked first (same
    length), so that only the real quotes split the text (C-speed in the usual case)."""
    runs: list[tuple[int, int, bool]] = []
    offset = 0  # of the block in the file
    run_start = 0  # where the current run began (after the last quote), in the file
    inside = False  # whether the current run is a string's content
    escaped_first = False  # the block starts with the byte a backslash escaped
    with path.open("rb") as stream:
        while block := stream.read(_SCAN_BYTES):
            masked = (b"_" + block[1:]) if escaped_first else block
            masked = masked.replace(b"\\\\", b"__").replace(b'\\"', b"__")
            escaped_first = masked.endswith(b"\\")
            pieces = masked.split(b'"')
            first_run = offset + len(pieces[0]) - run_start
            if first_run > limit or max(map(len, pieces)) > limit:
                position = offset
                for piece in pieces[:-1]:
                    quote = position + len(piece)
                    if quote - run_start > limit:
                        runs.append((run_start, quote, inside))
                    position = run_start = quote + 1
                    inside = not inside
            elif len(pieces) > 1:
                inside ^= len(pieces) % 2 == 0
                run_start = offset + len(block) - len(pieces[-1])
            offset += len(block)
    if offset - run_start > limit:
        runs.append((run_start, offset, inside))
    return runs


class BoundedJsonStream:
    """A binary file read with the given byte ranges (strings' contents) replaced by
    CUT_MARKER and the range's size, as a JSON string escape can carry it."""

    def __init__(self, stream: IO[bytes], cuts: list[tuple[int, int]]) -> None:
        self.stream = stream
        self.cuts = cuts
        self.position = 0
        self.emitted = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = _SCAN_BYTES
        if self.emitted == len(self.cuts):  # nothing (more) to cut: the file as it is
            data = self.stream.read(size)
            self.position += len(data)
            return data
        out = bytearray()
        while len(out) < size:
            cut = self.cuts[self.emitted] if self.emitted < len(self.cuts) else None
            if cut is not None and self.position >= cut[0]:
                self.stream.seek(cut[1])
                self.position = cut[1]
                out += b"\\u0000cut:" + str(cut[1] - cut[0]).encode()
                self.emitted += 1
                continue
            want = size - len(out)
            if cut is not None:
                want = min(want, cut[0] - self.position)
            data = self.stream.read(want)
            if not data:
                break
            out += data
            self.position += len(data)
        return bytes(out)


@contextlib.contextmanager
def bounded_json(path: Path) -> Iterator["BoundedJsonStream"]:
    """A JSON file opened to parse as a stream (ijson), every string longer than
    ``IMPORT_MAX_LINE_BYTES`` replaced by a marker its record is refused by
    (:func:`cut_value_size`); a run that long outside any string (no JSON holds one) is
    refused with IntakeError."""
    limit = int(settings.IMPORT_MAX_LINE_BYTES)
    try:
        runs = _long_json_runs(path, limit)
    except OSError as error:
        raise unreadable(error) from None
    if any(not inside for _start, _end, inside in runs):
        raise LimitExceeded(
            _(
                "The file holds a value longer than the longest allowed (%(limit)s, "
                "IMPORT_MAX_LINE_BYTES) outside any text: it is no JSON file to import."
            )
            % {"limit": _megabytes(limit)},
            setting="IMPORT_MAX_LINE_BYTES",
        )
    with path.open("rb") as stream:
        yield BoundedJsonStream(stream, [(start, end) for start, end, _inside in runs])


def cut_value_size(value: object) -> int | None:
    """The size in bytes of a string :func:`bounded_json` cut out of this value (a record, a
    list, a text), or None when nothing of it was cut."""
    if isinstance(value, str):
        if value.startswith(CUT_MARKER):
            return int(value[len(CUT_MARKER) :] or 0)
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        size = cut_value_size(item)
        if size is not None:
            return size
    return None


# Format detection


@dataclass(frozen=True)
class FileProbe:
    """What a file is, for format detection: the first bytes, the zip members of a container
    (checked against the limits first), the JSON shape, a decoded text sample."""

    path: Path
    head: bytes
    zip_members: tuple[str, ...] | None = None
    # "array", "object", "empty-array" or "" (not JSON).
    json_shape: str = ""
    # The first keys of the first object of a JSON array.
    json_keys: tuple[str, ...] = ()
    # The first lines of a text file, decoded (None when not text).
    text: str | None = None

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    def describe(self) -> str:
        """What was seen, for the message saying no format matches."""
        if self.zip_members is not None:
            names = ", ".join(self.zip_members[:6])
            return _("a zip container holding %(names)s") % {"names": names}
        if self.json_shape:
            return _("JSON (%(shape)s)") % {"shape": self.json_shape}
        if self.text is not None:
            first = next((line for line in self.text.splitlines() if line.strip()), "")
            return _("text starting “%(line)s”") % {"line": first.strip()[:80]}
        return _("binary data")


_JSON_SPACE = b" \t\r\n"
# How a JSON value after "[" can start (a CSV header like "[id],text" cannot be JSON).
_JSON_VALUE_STARTS = frozenset(bytes([byte]) for byte in b'{["]-0123456789tfn')


def _json_shape(head: bytes) -> tuple[str, tuple[str, ...]]:
    text = head.removeprefix(codecs.BOM_UTF8).lstrip(_JSON_SPACE)
    rest = text[1:].lstrip(_JSON_SPACE)
    if text.startswith(b"{") and rest[:1] in (b'"', b"}"):
        return "object", ()
    if not text.startswith(b"[") or rest[:1] not in _JSON_VALUE_STARTS:
        return "", ()
    if rest.startswith(b"]"):
        return "empty-array", ()
    keys = tuple(
        key.decode("utf-8", "replace")
        for key in re.findall(rb'"([A-Za-z_][\w ]{0,40})"\s*:', rest[:HEAD_BYTES])[:50]
    )
    return "array", keys


def probe(path: Path) -> FileProbe:
    """Look at a file without trusting it: the zip limits are checked before the members are
    listed, and text is decoded by the same detection as :func:`open_text`."""
    try:
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
    except OSError as error:
        raise unreadable(error) from None
    if head.startswith(b"PK\x03\x04"):
        return FileProbe(path, head, zip_members=tuple(check_zip(path)))
    shape, keys = _json_shape(head)
    if shape:
        return FileProbe(path, head, json_shape=shape, json_keys=keys)
    if head.startswith(b"%PDF"):
        return FileProbe(path, head)
    try:
        with open_text(path) as text:
            lines = []
            for line in text.lines():
                lines.append(line)
                if len(lines) >= 200:
                    break
    except IntakeError as error:
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if b"\x00" in head[:4096] and not utf16:
            return FileProbe(path, head)
        raise error
    return FileProbe(path, head, text="".join(lines))


def json_shape(path: Path) -> str:
    """ "object", "array", "empty-array" when the file starts like JSON of that shape, else ""."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return ""
    return _json_shape(head)[0]
