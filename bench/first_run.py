"""From `make run` on a fresh clone to every feature answering, timed (issue #12's first figure).

    python3 bench/first_run.py [--port 8620] [--timeout 1800] [--keep]

Clones this checkout's HEAD into a new folder beside it (so that `../shared` is found as on a
developer's machine), runs the README's run command there (`make run`: install, migrate, the demo,
the worker and the server), and polls over HTTP what a user would try, printing when each first
answered:

- the home page;
- search by meaning (`/api/v1/intelligence/semantic?q=…` answering in `meaning` mode from a
  ready index, with results);
- similar recommendations (`/api/v1/intelligence/similar/<pk>`: a ready index, with results);
- tag suggestions (`/api/v1/intelligence/suggestions?status=suggested`, read with a
  coordinator's API token made by the command line, holding at least one).

Beside each, the jobs the worker had finished by then (from `/api/v1/jobs/`), and the load
average: the figure is what a person waits for on this machine as it is. The clone is removed
afterwards unless --keep. Exit 1 if something did not answer within --timeout seconds.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
QUERY = "torture"


def fetch(url: str, token: str | None = None) -> tuple[int, object]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            body = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, json.loads(body) if "json" in kind else body
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None


def items_of(body: object) -> list:
    if isinstance(body, dict):
        return body.get("items") or body.get("results") or []
    return body if isinstance(body, list) else []


class Probe:
    """What a user would try, and whether it answers now."""

    def __init__(self, base: str, clone: Path) -> None:
        self.base = base
        self.clone = clone
        self.token: str | None = None
        self.pk: int | None = None

    def home(self) -> bool:
        status, _ = fetch(self.base + "/")
        return status == 200

    def semantic(self) -> bool:
        url = f"{self.base}/api/v1/intelligence/semantic?q={urllib.parse.quote(QUERY)}"
        status, body = fetch(url)
        return (
            status == 200
            and isinstance(body, dict)
            and body.get("mode") == "meaning"
            and body["index_status"]["state"] == "ready"
            and bool(body["results"])
        )

    def similar(self) -> bool:
        if self.pk is None:
            status, body = fetch(f"{self.base}/api/v1/recommendations?limit=1")
            found = items_of(body) if status == 200 else []
            if not found:
                return False
            self.pk = found[0]["id"]
        status, body = fetch(f"{self.base}/api/v1/intelligence/similar/{self.pk}")
        return (
            status == 200
            and isinstance(body, dict)
            and body["index_status"]["state"] == "ready"
            and bool(body["results"])
        )

    def suggestions(self) -> bool:
        if self.token is None:
            self.token = self._make_token()
        status, body = fetch(
            f"{self.base}/api/v1/intelligence/suggestions?status=suggested&limit=1", self.token
        )
        return status == 200 and bool(items_of(body))

    def jobs(self) -> str:
        if self.token is None:
            return ""
        status, body = fetch(f"{self.base}/api/v1/jobs/", self.token)
        if status != 200:
            return ""
        done = [job["kind"] for job in items_of(body) if job["status"] == "succeeded"]
        running = [
            f"{job['kind']} {job['done']}/{job['total'] or '?'}"
            for job in items_of(body)
            if job["status"] == "running"
        ]
        return f"done: {len(done)}; running: {', '.join(running) or '-'}"

    def _make_token(self) -> str | None:
        command = [
            str(self.clone / ".venv" / "bin" / "rightstrack"),
            *("user", "create", "bench-first-run", "--role", "coordinator", "--token"),
        ]
        made = subprocess.run(command, cwd=self.clone, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            # Made by an earlier try: a new token for the same user.
            command[2:] = ["token", "bench-first-run"]
            made = subprocess.run(
                command, cwd=self.clone, capture_output=True, text=True, check=False
            )
        if made.returncode != 0:
            return None
        # The token is the command's last word.
        return made.stdout.split()[-1] if made.stdout.split() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8620)
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--keep", action="store_true", help="keep the clone afterwards")
    options = parser.parse_args()

    clone = PROJECT_DIR.parent / f"first-run-{os.getpid()}"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_DIR), str(clone)], check=True)
    log_path = clone / "make-run.log"
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "PYTHONPATH")
    }
    started = time.monotonic()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["make", "run", f"PORT={options.port}"],
            cwd=clone,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    probe = Probe(f"http://127.0.0.1:{options.port}", clone)
    checks = {
        "home page": probe.home,
        "search by meaning": probe.semantic,
        "similar recommendations": probe.similar,
        "tag suggestions": probe.suggestions,
    }
    answered: dict[str, tuple[float, str, str]] = {}
    try:
        while len(answered) < len(checks) and time.monotonic() - started < options.timeout:
            if server.poll() is not None:
                print(f"make run stopped (exit {server.returncode}); see {log_path}")
                break
            for name, check in checks.items():
                # The other features are tried once the site answers at all.
                ready = name == "home page" or "home page" in answered
                if name not in answered and ready and check():
                    elapsed = time.monotonic() - started
                    load = f"{os.getloadavg()[0]:.1f}"
                    answered[name] = (elapsed, load, probe.jobs())
                    print(f"{elapsed:7.0f} s  {name} answers", flush=True)
            time.sleep(5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    print()
    print(
        f"From `make run` on a fresh clone of {PROJECT_DIR.name} "
        f"({sys.platform}, {os.cpu_count()} cores)"
    )
    print(f"{'feature':<26} {'answers after':>14} {'load':>5}  jobs then")
    for name in checks:
        if name in answered:
            elapsed, load, jobs = answered[name]
            print(f"{name:<26} {elapsed / 60:>10.1f} min {load:>5}  {jobs}")
        else:
            print(f"{name:<26} {'not in time':>14}")
    if options.keep:
        print(f"clone kept: {clone}")
    else:
        shutil.rmtree(clone, ignore_errors=True)
    return 0 if len(answered) == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
