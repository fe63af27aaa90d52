"""A real browser (Debian's chromium) loads a player and a match page served by gunicorn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests
from conftest import HERO_PLAYER, PARSED_MATCH_ID, REPO

from tasks.storage.mongo import mongo_url

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = REPO / ".yasp" / "screenshots"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip

# CI installs chromium (.ci/system-packages), so there a missing browser is a failure.
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("chromium is not installed; .ci/system-packages should have installed it")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_site(db):
    """gunicorn serving the site on loopback over the test database."""
    port = _free_port()
    env = {**os.environ, "YASP_MONGO_URL": mongo_url(), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(REPO / "site"), "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "yasp_web.wsgi"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/status/", timeout=2)
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.console_errors = errors
        yield tab
        browser.close()


def test_match_page_draws_its_graphs_and_ward_map_in_a_browser(live_site, page):
    page.goto(f"{live_site}/matches/{PARSED_MATCH_ID}/")
    for selector in ("#advantage svg.chart", "#gold svg.chart", "#wards svg.wardmap"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200, selector
    assert page.locator("#gold polyline.series").count() == 10
    assert page.locator("#wards circle.ward").count() > 50
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 21, 26)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "match.png"), full_page=True)
    page.locator("#gold").screenshot(path=str(SCREENSHOTS / "match-gold.png"))
    page.locator("#wards").screenshot(path=str(SCREENSHOTS / "match-wards.png"))
    assert not page.console_errors, page.console_errors


def test_player_page_renders_in_a_browser_with_the_name_as_text(live_site, page):
    page.goto(f"{live_site}/players/{HERO_PLAYER}/")
    assert page.locator("h1").inner_text() == '<script>alert("name")</script>'
    assert page.locator("table.matches tbody tr").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "player.png"), full_page=True)
    assert not page.console_errors, page.console_errors
