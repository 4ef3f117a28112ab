"""Progress bars of the management commands, on stderr so that stdout stays the result."""

import sys
from collections.abc import Mapping
from typing import Any

from tqdm import tqdm


def progress_wanted(options: Mapping[str, Any]) -> bool:
    """Show a bar only on a terminal, and never with --no-progress or --json."""
    return not options.get("no_progress") and not options.get("json") and sys.stderr.isatty()


class ProgressBar:
    """A bar driven by a service's ``progress(done, total)`` calls; it appears on the first call,
    when the total is known, and is drawn only when enabled."""

    def __init__(self, label: str, *, enabled: bool, unit: str = "rec") -> None:
        self.label, self.unit, self.enabled = label, unit, enabled
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(
                total=total, desc=self.label, unit=self.unit, file=sys.stderr, leave=False
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
