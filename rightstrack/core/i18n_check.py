"""CI check: every translatable string of the code is in each catalog and translated.

Regenerates the catalogs from the source (as `makemessages` would, without source locations, so
moving code does not rewrite the catalogs), then asks msgfmt for its
statistics; any untranslated or fuzzy message fails the check with the list of messages.
"""

import os
import subprocess
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
PACKAGE_DIR = LOCALE_DIR.parent
LANGUAGES = ["ru", "be"]


def _msgids(po_text: str) -> list[str]:
    """The msgids of a catalog's entries, the header left out.

    A long msgid is written over several lines (``msgid ""`` then continuation lines), so the
    entry's continuation lines are joined: counting only one-line msgids missed those."""
    msgids = []
    for entry in po_text.split("\n\n"):
        lines = iter(entry.splitlines())
        for line in lines:
            if line.startswith("msgid "):
                text = line[len("msgid ") :]
                for continuation in lines:
                    if not continuation.startswith('"'):
                        break
                    text = text[:-1] + continuation[1:]
                if text != '""':
                    msgids.append(f"msgid {text}")
                break
    return msgids


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django
    from django.core.management import call_command

    django.setup()
    cwd = Path.cwd()
    os.chdir(PACKAGE_DIR)
    try:
        call_command(
            "makemessages", locale=LANGUAGES, no_obsolete=True, no_location=True, verbosity=0
        )
    finally:
        os.chdir(cwd)
    failed = False
    for language in LANGUAGES:
        po_file = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
        result = subprocess.run(  # noqa: S603 - fixed arguments
            ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        fuzzy = subprocess.run(  # noqa: S603
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_file)],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
        missing = _msgids(result.stdout)
        fuzzy_ids = _msgids(fuzzy.stdout)
        if missing or fuzzy_ids:
            failed = True
            print(f"{po_file}: {len(missing)} untranslated, {len(fuzzy_ids)} fuzzy")
            for line in (missing + fuzzy_ids)[:50]:
                print("   ", line)
    os.chdir(PACKAGE_DIR)
    try:
        call_command("compilemessages", locale=LANGUAGES, verbosity=0)
    finally:
        os.chdir(cwd)
    if failed:
        sys.exit(1)
    print("translation catalogs complete:", ", ".join(LANGUAGES))


if __name__ == "__main__":
    main()
