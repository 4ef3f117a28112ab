"""A web process loads the heavy libraries where they are used (building indexes and taggers,
writing Word, PDF and Excel files), not at start: each of them in every web process cost about
145 MB before anyone asked for them."""

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("sklearn", "scipy", "docx", "fpdf", "openpyxl", "joblib")
PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_it_imports_no_heavy_library_with_the_url_configuration():
    # A fresh interpreter: the test process itself has imported everything by now.
    program = (
        "import json, sys, django; django.setup(); import rightstrack.urls; "
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "rightstrack.settings"}
    done = subprocess.run(  # noqa: S603 - this interpreter and a fixed program
        [sys.executable, "-c", program],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
