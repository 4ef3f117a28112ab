"""The settings as a new process reads them: what a server started with these environment
variables would use, or the message it refuses to start with. Settings are read once, at import,
so a test of them needs a fresh interpreter."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]


def _run(code: str, env: Mapping[str, str], *, check: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the interpreter running the tests, fixed arguments
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=check,
    )


def settings_refusal(env: Mapping[str, str]) -> str:
    """What the settings say as they refuse to load with ``env`` (fails when they load)."""
    result = _run("import rightstrack.settings", env, check=False)
    assert result.returncode != 0, "the settings loaded"
    return result.stderr


def settings_values(env: Mapping[str, str], *names: str) -> list[str]:
    """The settings ``names`` as loaded with ``env``, each printed as text."""
    printed = ", ".join(f"s.{name}" for name in names)
    return _run(
        f"import rightstrack.settings as s; print({printed})", env, check=True
    ).stdout.split()
