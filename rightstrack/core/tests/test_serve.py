"""`rightstrack serve`: the production server's command line."""

import pytest
from django.core.management import call_command

from rightstrack.core.management.commands import serve


def test_it_serves_with_one_gunicorn_process_per_worker_asked(monkeypatch):
    monkeypatch.setattr(serve.os, "name", "posix")
    command = serve.server_command(host="127.0.0.1", port=8123, workers=3, threads=2)
    assert command[1:3] == ["-m", "gunicorn"]
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--threads") + 1] == "2"
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[-1] == "rightstrack.wsgi:application"


def test_it_falls_back_to_waitress_where_gunicorn_cannot_run(monkeypatch):
    monkeypatch.setattr(serve.os, "name", "nt")
    command = serve.server_command(host="0.0.0.0", port=80, workers=2, threads=4)  # noqa: S104
    assert command[0].endswith("waitress-serve")
    assert "--threads" in command and command[command.index("--threads") + 1] == "8"


@pytest.mark.parametrize(("environment", "workers"), [({}, "5"), ({"WEB_CONCURRENCY": "2"}, "2")])
def test_it_takes_the_workers_from_web_concurrency_else_the_cores(
    monkeypatch, environment, workers
):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 5)
    monkeypatch.setattr(serve.os, "name", "posix")
    started = []
    monkeypatch.setattr(serve.os, "execv", lambda program, argv: started.append(argv))
    call_command("serve", "--port", "8124")
    (argv,) = started
    assert argv[argv.index("--workers") + 1] == workers
