import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.progress import services
from rightstrack.progress.evidence import MAX_EVIDENCE_BYTES
from rightstrack.progress.models import Evidence, ReportStatus

from .factories import ReportFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(measure, agency, users):
    return ReportFactory(measure=measure, agency=agency, author=users["focal_point"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("minutes.pdf", PDF, "application/pdf"),
        (
            "List of courts.DOCX",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("figures.csv", "court,judges\nMinsk,12\nБрест,8\n".encode(), "text/csv"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
    ],
)
def test_it_stores_allowed_files_outside_the_web_root_under_a_random_name(
    users, draft, media_root, name, content, content_type
):
    evidence = services.evidence_add(
        actor=users["focal_point"], report=draft, upload=SimpleUploadedFile(name, content)
    )
    stored = media_root / "evidence" / evidence.file.name
    assert stored.read_bytes() == content
    assert name not in evidence.file.name
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    assert evidence.title == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "cannot be uploaded"),
        ("page.html", b"<html></html>", "cannot be uploaded"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "does not match"),
        ("fake.docx", PDF, "does not match"),
        ("binary.txt", b"abc\x00def", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_it_refuses_files_of_other_types_or_with_mismatched_content(
    users, draft, media_root, name, content, message
):
    with pytest.raises(ValidationError) as raised:
        services.evidence_add(
            actor=users["focal_point"], report=draft, upload=SimpleUploadedFile(name, content)
        )
    assert message in " ".join(raised.value.message_dict["file"])
    assert not Evidence.objects.exists()
    assert not (media_root / "evidence").exists() or not any((media_root / "evidence").rglob("*.*"))


@pytest.mark.django_db
def test_it_refuses_files_over_10_mb(users, draft, media_root):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_EVIDENCE_BYTES)
    with pytest.raises(ValidationError) as raised:
        services.evidence_add(actor=users["focal_point"], report=draft, upload=upload)
    assert "larger than 10 MB" in raised.value.message_dict["file"][0]


@pytest.mark.django_db
def test_it_adds_links_and_needs_a_link_or_a_file(users, draft, media_root):
    evidence = services.evidence_add(
        actor=users["focal_point"], report=draft, title="Court statistics", url="https://court.by/x"
    )
    assert (evidence.title, evidence.url, evidence.is_file) == (
        "Court statistics",
        "https://court.by/x",
        False,
    )
    for kwargs in ({}, {"url": "javascript:alert(1)"}, {"url": "ftp://x.org/file"}):
        with pytest.raises(ValidationError):
            services.evidence_add(actor=users["focal_point"], report=draft, **kwargs)


@pytest.mark.django_db
def test_it_adds_and_removes_evidence_only_while_the_report_is_editable(
    users, draft, media_root, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(
        actor=users["focal_point"], report=draft, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=users["outsider"], report=draft, url="https://x.org")
    with pytest.raises(PermissionDenied):
        services.evidence_delete(actor=users["outsider"], evidence=evidence)
    draft.status = ReportStatus.SUBMITTED
    draft.save()
    with pytest.raises(ValidationError):
        services.evidence_add(actor=users["focal_point"], report=draft, url="https://x.org")
    draft.status = ReportStatus.RETURNED
    draft.save()
    stored = media_root / "evidence" / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=users["focal_point"], evidence=evidence)
    assert not Evidence.objects.exists()
    assert not stored.exists()
