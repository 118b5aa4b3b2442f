"""A real browser on the portal: Debian's Chromium driven by Playwright (never `playwright install`), a real
`sohoa serve` process on 127.0.0.1 over a copy of the digitised samples, axe-core injected into each page checked,
and a screenshot of each step kept as a test artefact (test-artifacts/portal/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import REPO
from tests.waiting import stop, wait_until

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "portal"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "mật khẩu đủ dài cho thử nghiệm"


def available() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (make test installs it)"
    if not AXE.exists():
        return "axe-core is not installed (make test runs npm ci in tests/node)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path


@contextmanager
def running_portal(data_dir: Path, port: int, log: Path) -> Iterator[Server]:
    """`sohoa serve` on the data directory, its links and QR codes pointing at itself; stopped on leaving."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SOHOA_DOWNLOAD_BASE_URL": url, "SOHOA_VERIFY_BASE_URL": url, "OMP_THREAD_LIMIT": "1"}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-c", "import sys; from cli.main import main; sys.exit(main())",
                                    "serve", "--port", str(port), "--data-dir", str(data_dir), "--log-level",
                                    "warning"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: httpx.get(f"{url}/health", timeout=1).status_code == 200, process, log)
            yield Server(url, data_dir)
        finally:
            stop(process)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it stands. The script is evaluated
    through the DevTools protocol, which the page's Content Security Policy (scripts from itself only) allows."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: "tag",
                                                          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}));
    }""")
    return found


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fresh_artifacts() -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
