import io

from rightstrack.core import progress
from rightstrack.core.progress import ProgressBar, progress_wanted


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_it_wants_a_bar_only_on_a_terminal_without_json_or_no_progress(monkeypatch):
    monkeypatch.setattr(progress.sys, "stderr", _Terminal())
    assert progress_wanted({"no_progress": False})
    assert progress_wanted({})
    assert not progress_wanted({"no_progress": True})
    assert not progress_wanted({"no_progress": False, "json": True})
    monkeypatch.setattr(progress.sys, "stderr", io.StringIO())
    assert not progress_wanted({"no_progress": False})


def test_it_draws_nothing_when_disabled():
    bar = ProgressBar("importing", enabled=False)
    bar(5, 10)
    bar.close()
    assert bar.bar is None


def test_it_follows_the_service_calls_on_stderr(monkeypatch):
    stderr = _Terminal()
    monkeypatch.setattr(progress.sys, "stderr", stderr)
    bar = ProgressBar("training", unit="step", enabled=True)
    bar(3, 10)
    bar(7, 10)
    assert bar.bar.n == 7
    assert bar.bar.total == 10
    bar.close()
    assert "training" in stderr.getvalue()
