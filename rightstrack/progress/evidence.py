"""Which files may be uploaded as evidence: a few document, spreadsheet, image and text types, up
to 10 MB, whose content must match their extension (a renamed executable is refused)."""

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192


def _starts_with(*signatures):
    def check(upload):
        head = _head(upload, 16)
        return any(head.startswith(signature) for signature in signatures)

    return check


def _zip_with(member):
    """An Office Open XML or OpenDocument file: a zip archive holding ``member``."""

    def check(upload):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)

    return check


def _text(upload):
    head = _head(upload, SNIFF_BYTES)
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _head(upload, size):
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: object


ALLOWED_TYPES = {
    ".pdf": FileType("application/pdf", _starts_with(b"%PDF-")),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/document.xml"),
    ),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("xl/workbook.xml"),
    ),
    ".odt": FileType("application/vnd.oasis.opendocument.text", _zip_with("content.xml")),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _zip_with("content.xml")),
    ".png": FileType("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".csv": FileType("text/csv", _text),
    ".txt": FileType("text/plain", _text),
}
ALLOWED_EXTENSIONS_TEXT = "PDF, DOCX, XLSX, ODT, ODS, PNG, JPG, CSV, TXT"


def safe_file_name(name):
    """The uploaded file's own name without any directories, for showing and downloading."""
    name = Path(str(name or "").replace("\\", "/")).name.strip()
    return name[:255] or "evidence"


def check_upload(upload):
    """The error messages for an uploaded file (empty when it is acceptable) and its type."""
    extension = Path(safe_file_name(upload.name)).suffix.lower()
    file_type = ALLOWED_TYPES.get(extension)
    if file_type is None:
        return [
            _("Files of this type cannot be uploaded. Allowed: %(types)s.")
            % {"types": ALLOWED_EXTENSIONS_TEXT}
        ], None
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        return [
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_EVIDENCE_BYTES // (1024 * 1024)}
        ], None
    if upload.size == 0:
        return [_("The file is empty.")], None
    if not file_type.matches(upload):
        return [
            _("The file's content does not match its %(extension)s extension.")
            % {"extension": extension}
        ], None
    return [], file_type
