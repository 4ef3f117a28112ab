"""core.intake: sizes, zip containers, bounded lines, encodings and probes of hostile files."""

import struct
import tracemalloc
import zipfile

import pytest

from rightstrack.core import intake
from rightstrack.core.tests.settings_process import settings_refusal, settings_values

RUSSIAN = "Отменить смертную казнь и обеспечить право на справедливый суд; Беларусь, Франция\r"
FRENCH = "Garantir l'accès à la justice; élargir le rôle des ONG et des États’ partenaires\r"


@pytest.fixture
def limits(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    settings.IMPORT_ZIP_MAX_BYTES = 1 << 20
    settings.IMPORT_ZIP_MAX_RATIO = 100
    settings.IMPORT_MAX_LINE_BYTES = 64 * 1024
    return settings


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def bomb(path, size, *, name="word/document.xml"):
    """A zip container whose one large member is ``size`` zero bytes (a ratio near 1000)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w") as stream:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                stream.write(block)
    return path


def lying_about_sizes(path, declared):
    """Rewrite every size a zip states (local headers and central directory) to ``declared``."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            struct.pack_into("<I", data, start + offset, declared)
            start += 4
    path.write_bytes(bytes(data))
    return path


def refusal_and_peak_memory(read, path):
    """(the IntakeError that read(path) raised, the most memory Python held meanwhile)."""
    tracemalloc.start()
    try:
        read(path)
    except intake.IntakeError as error:
        refused = error
    else:
        refused = None
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return refused, peak


# Sizes


def test_it_refuses_an_upload_larger_than_the_setting_with_413(limits):
    intake.check_upload_size(1000)
    with pytest.raises(intake.LimitExceeded, match="IMPORT_MAX_UPLOAD_BYTES") as refused:
        intake.check_upload_size(1001)
    assert refused.value.status == 413
    assert refused.value.setting == "IMPORT_MAX_UPLOAD_BYTES"


def test_it_refuses_a_declared_request_body_beyond_the_upload_limit(limits, rf):
    small = rf.post("/", data=b"x" * 10, content_type="application/octet-stream")
    large = rf.post("/", data=b"", content_type="application/octet-stream")
    large.META["CONTENT_LENGTH"] = str(1000 + intake.UPLOAD_FORM_OVERHEAD + 2000)

    assert intake.upload_refusal(small) is None
    refusal = intake.upload_refusal(large)
    assert refusal is not None and refusal.status == 413


# Zip containers


def test_it_refuses_a_zip_bomb_from_its_central_directory_before_decompressing(limits, tmp_path):
    path = bomb(tmp_path / "bomb.docx", 4 << 20)
    limits.IMPORT_ZIP_MAX_RATIO = 10_000  # the size alone must refuse it

    refused, peak = refusal_and_peak_memory(intake.check_zip, path)

    assert isinstance(refused, intake.LimitExceeded)
    assert refused.setting == "IMPORT_ZIP_MAX_BYTES"
    assert "declares 4 MB" in refused.message
    assert peak < 1 << 20  # nothing was decompressed


def test_it_refuses_a_container_that_expands_too_many_times(limits, tmp_path):
    limits.IMPORT_ZIP_MAX_BYTES = 100 << 20
    path = bomb(tmp_path / "bomb.xlsx", 2 << 20, name="xl/worksheets/sheet1.xml")

    with pytest.raises(intake.LimitExceeded, match="IMPORT_ZIP_MAX_RATIO") as refused:
        intake.check_zip(path)
    assert "xl/worksheets/sheet1.xml expands" in refused.value.message


def test_it_counts_the_bytes_a_lying_central_directory_hides(limits, tmp_path):
    limits.IMPORT_ZIP_MAX_RATIO = 10_000
    path = lying_about_sizes(bomb(tmp_path / "liar.docx", 3 << 20), 1000)
    with zipfile.ZipFile(path) as archive:
        assert sum(member.file_size for member in archive.infolist()) <= 2000

    with pytest.raises(intake.IntakeError, match="damaged"):
        intake.check_zip(path)


def rewritten_headers(path, *, local_offset, central_offset, value):
    """Set one 2-byte field of every local header and central directory entry to ``value``."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", local_offset), (b"PK\x01\x02", central_offset)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<H", data, start + offset, value)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


def sound_docx(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>text</w:document>" * 100)
    return path


def test_it_refuses_an_encrypted_member_from_the_directory(limits, tmp_path):
    # The general purpose flags: bit 0 says the member is encrypted.
    path = rewritten_headers(
        sound_docx(tmp_path / "locked.docx"), local_offset=6, central_offset=8, value=0x1
    )

    with pytest.raises(intake.IntakeError, match="word/document.xml is encrypted"):
        intake.check_zip(path)
    assert intake.zip_member_start(path, "word/document.xml", 100) == ""


def test_it_refuses_a_compression_method_zipfile_cannot_read(limits, tmp_path):
    # 9: Deflate64, which Word never writes but other tools do.
    path = rewritten_headers(
        sound_docx(tmp_path / "deflate64.docx"), local_offset=8, central_offset=10, value=9
    )

    with pytest.raises(intake.IntakeError, match=r"compression method that cannot be read \(9\)"):
        intake.check_zip(path)
    assert intake.zip_member_start(path, "word/document.xml", 100) == ""


def test_it_refuses_a_corrupt_compressed_stream_as_damaged(limits, tmp_path):
    path = sound_docx(tmp_path / "corrupt.docx")
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x03\x04") + 30 + len("word/document.xml")
    data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))

    with pytest.raises(intake.IntakeError, match="damaged"):
        intake.check_zip(path)


def test_it_lists_the_members_of_a_sound_container(limits, tmp_path):
    path = tmp_path / "sound.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>text</w:document>" * 100)

    assert intake.check_zip(path) == ["word/document.xml"]


# Lines


def test_it_refuses_a_line_longer_than_the_setting_without_holding_it(limits, tmp_path):
    path = tmp_path / "long.csv"
    with path.open("wb") as stream:
        stream.write(b"Text,State\n")
        for _ in range(8):
            stream.write(b"x" * (1 << 20))
        stream.write(b",Belarus\n")

    refused, peak = refusal_and_peak_memory(intake.open_text, path)

    assert isinstance(refused, intake.LimitExceeded)
    assert refused.setting == "IMPORT_MAX_LINE_BYTES"
    assert "Line 2 is longer" in refused.message
    assert peak < 4 << 20  # read a block at a time, never the 8 MB line


def test_it_refuses_a_long_line_also_in_a_given_encoding_and_with_cr_line_ends(limits, tmp_path):
    path = write(tmp_path, "mac.csv", b"a\r" + b"y" * (70 * 1024) + b"\r")

    with pytest.raises(intake.LimitExceeded, match="Line 2"):
        intake.open_text(path, encoding="mac_roman")


def test_it_reads_lines_with_their_ends(limits, tmp_path):
    path = write(tmp_path, "mixed.csv", b"a,b\rc,d\r\ne,f\n")

    with intake.open_text(path) as text:
        assert list(text.lines()) == ["a,b\r", "c,d\r\n", "e,f\n"]


# Encodings


@pytest.mark.parametrize(
    ("text", "codec", "found"),
    [
        (RUSSIAN, "utf-8", "utf-8"),
        (RUSSIAN, "utf-8-sig", "utf-8-sig"),
        (RUSSIAN, "utf-16", "utf-16"),
        (RUSSIAN, "cp1251", "cp1251"),
        (FRENCH, "cp1252", "cp1252"),
        (FRENCH, "mac_roman", "mac_roman"),
    ],
)
def test_it_detects_the_encoding_of_plausible_text(limits, tmp_path, text, codec, found):
    path = write(tmp_path, "t.csv", ("Text\r" + text * 3).encode(codec))

    assert intake.detect_encoding(path) == found
    with intake.open_text(path) as opened:
        assert opened.read().lstrip("\ufeff") == "Text\r" + text * 3


def test_it_refuses_windows_1251_read_as_mac_roman_and_names_the_encoding_to_try(limits, tmp_path):
    path = write(tmp_path, "ru.csv", RUSSIAN.encode("cp1251"))

    with pytest.raises(intake.IntakeError) as refused:
        intake.open_text(path, candidates=("mac_roman",))

    assert "mojibake in Mac Roman" in refused.value.message
    assert "cp1251" in refused.value.message
    with intake.open_text(path, encoding="cp1251") as text:
        assert text.read() == RUSSIAN


@pytest.mark.parametrize(("codec", "named"), [("koi8_r", "koi8_r"), ("cp866", "cp866")])
def test_it_refuses_text_that_is_mojibake_in_every_candidate(limits, tmp_path, codec, named):
    path = write(tmp_path, "ru.txt", RUSSIAN.encode(codec))

    with pytest.raises(intake.IntakeError, match="mojibake") as refused:
        intake.detect_encoding(path)
    assert f"encoding {named}" in refused.value.message


def test_it_refuses_utf8_that_holds_mojibake(limits, tmp_path):
    twice = RUSSIAN.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    path = write(tmp_path, "twice.csv", twice)

    with pytest.raises(intake.IntakeError, match="saved again as UTF-8"):
        intake.detect_encoding(path)


def test_it_refuses_an_unknown_encoding_name_and_binary_data(limits, tmp_path):
    with pytest.raises(intake.IntakeError, match="Unknown encoding"):
        intake.check_encoding("klingon-8")
    with pytest.raises(intake.IntakeError, match="binary"):
        intake.detect_encoding(write(tmp_path, "b.bin", b"\x00\x01\x02\xff\xfe" * 100))


def test_it_judges_mojibake_by_words_and_symbols():
    assert intake.mojibake_share("Côte d’Ivoire, État, Straße")[0] == 0
    assert intake.mojibake_share("Беларусь — «право»")[0] == 0
    assert intake.mojibake_share("ÐŸÑ€Ð°Ð²Ð¾")[0] > intake.MOJIBAKE_SHARE
    assert intake.mojibake_share("StateÕs obligations")[0] > intake.MOJIBAKE_SHARE
    assert intake.mojibake_share("Ïðàâî ÷åëîâåêà")[0] > intake.MOJIBAKE_SHARE
    assert intake.mojibake_share("text \x85 with \x92 C1 controls")[0] > intake.MOJIBAKE_SHARE


# Probes


def test_it_probes_zip_json_and_text(limits, tmp_path):
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    array = write(tmp_path, "a.json", b'\xef\xbb\xbf [ {"AnnotationId": "x", "Text": "y"} ]')
    empty = write(tmp_path, "e.json", b"[ ]")
    obj = write(tmp_path, "o.json", b'{"records": []}')
    table = write(tmp_path, "t.csv", b"[id],Text\r1,Abolish\r")

    assert intake.probe(docx).zip_members == ("word/document.xml",)
    assert intake.probe(array).json_shape == "array"
    assert intake.probe(array).json_keys == ("AnnotationId", "Text")
    assert intake.probe(empty).json_shape == "empty-array"
    assert intake.probe(obj).json_shape == "object"
    assert intake.probe(table).json_shape == ""
    assert intake.probe(table).text == "[id],Text\r1,Abolish\r"


def test_it_probes_a_zip_bomb_only_after_the_limits(limits, tmp_path):
    with pytest.raises(intake.LimitExceeded):
        intake.probe(bomb(tmp_path / "bomb.docx", 2 << 20))


# Settings


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("IMPORT_MAX_UPLOAD_MB", "0", "IMPORT_MAX_UPLOAD_MB must be between 1 and 4096, not 0"),
        ("IMPORT_ZIP_MAX_MB", "lots", "IMPORT_ZIP_MAX_MB must be a whole number, not 'lots'"),
        ("IMPORT_ZIP_MAX_RATIO", "5", "IMPORT_ZIP_MAX_RATIO must be between 10 and 10000"),
        ("IMPORT_MAX_LINE_KB", "-1", "IMPORT_MAX_LINE_KB must be between 16 and 262144"),
    ],
)
def test_it_refuses_to_start_with_a_limit_out_of_range(variable, value, message):
    assert message in settings_refusal({variable: value})


def test_it_reads_the_limits_from_the_environment():
    values = settings_values(
        {
            "IMPORT_MAX_UPLOAD_MB": "5",
            "IMPORT_ZIP_MAX_MB": "7",
            "IMPORT_ZIP_MAX_RATIO": "50",
            "IMPORT_MAX_LINE_KB": "32",
        },
        "IMPORT_MAX_UPLOAD_BYTES",
        "IMPORT_ZIP_MAX_BYTES",
        "IMPORT_ZIP_MAX_RATIO",
        "IMPORT_MAX_LINE_BYTES",
    )

    assert values == [str(5 << 20), str(7 << 20), "50", str(32 << 10)]
