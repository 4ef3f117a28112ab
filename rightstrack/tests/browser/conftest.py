"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium, from
`apt-get install chromium`; never a browser that Playwright downloads), against pytest-django's
live server, and axe-core (vendored in vendor/, no network) for accessibility.

They skip, saying why, when Chromium or Playwright is missing; set RIGHTSTRACK_CHROMIUM to use
another Chromium binary.
"""

import contextlib
import functools
import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

CHROMIUM = os.environ.get("RIGHTSTRACK_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
ABORTED_ON_PURPOSE = ("htmx:afterRequest", "htmx:sendAbort")

# Playwright's synchronous API runs an event loop in the test's thread; the test itself still
# talks to the database synchronously (factories), which Django would otherwise refuse there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_or_skip():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's (apt-get install chromium) "
            "or set RIGHTSTRACK_CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")
    return sync_playwright


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL: Django's live server serves media
    itself and fails on every request when MEDIA_URL is None, as rightstrack sets it (uploads
    are served through views only); this address is never used."""
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/live-server-media-unused/"):
        server = LiveServer("localhost")
    # The first request of a process is slow (templates compiled, URL patterns loaded): made
    # here, outside the time a page is given to load.
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{server.url}/favicon.ico", timeout=120).close()  # noqa: S310
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    sync_playwright = _chromium_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # As root (CI) Chromium refuses to start with its sandbox.
            args=["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [],
        )
        yield chromium
        chromium.close()


class Session:
    """A browser context (its own cookies) on the live server, optionally signed in."""

    def __init__(self, browser, base_url, viewport):
        self.base_url = base_url
        self.context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB", timezone_id="UTC"
        )
        # Generous: CI shares its machine; a journey that works finishes long before.
        self.context.set_default_timeout(30_000)
        # The same for assertions that wait (5 s by default: an HTMX swap on a loaded machine
        # took longer on PostgreSQL).
        from playwright.sync_api import expect

        expect.set_options(timeout=30_000)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, message):
        # A page answered with an error status is logged as a failed load too; that is the
        # page's own status, which the tests check. Any other error (a refused inline script
        # or style, a script error) is one.
        # A filter form's request that a newer choice replaced (hx-sync="this:replace") is
        # aborted on purpose, and htmx logs the abort as an error; a failed or timed-out request
        # is still logged under its own name (htmx:sendError, htmx:timeout) and counts.
        if message.type != "error" or message.text.startswith(ABORTED_ON_PURPOSE):
            return
        if not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _response(self, response):
        # Every file a page asks for (style, script, icon) must be there.
        if response.status >= 400 and not response.request.is_navigation_request():
            self.errors.append(f"{response.status} {response.url}")

    def sign_in(self, user):
        """Signs ``user`` in without the sign-in page (its own tests cover it): the session
        cookie of a test client's sign-in."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )
        return self

    def go(self, path):
        response = self.page.goto(path)
        assert response is not None
        return response


@pytest.fixture
def open_session(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    sessions = []

    def make(viewport=DESKTOP, user=None):
        session = Session(browser, live_server.url, viewport)
        if user is not None:
            session.sign_in(user)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.context.close()


@functools.cache
def _axe_source():
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page, *, context=None):
    """The WCAG 2.x A and AA violations (up to 2.2) axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy (no
        # inline or foreign scripts), which the tests keep, does not stop it.
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (context) => {
            const result = await axe.run(context || document, {
                runOnly: {
                    type: "tag",
                    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                },
                resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        context,
    )
    return result


def overflow(page):
    """How far the page is wider than the window (0 when it fits), and the widest offenders."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const extra = document.documentElement.scrollWidth - width;
            const offenders = [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .filter(e => !e.closest(".table-scroll"))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} `
                    + Math.round(e.getBoundingClientRect().right));
            return {extra, offenders};
        }"""
    )
