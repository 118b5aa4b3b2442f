"""A real OpenID Connect provider (node-oidc-provider under Node, tests/node/) on 127.0.0.1, and a person signing
in through its development login page the way a browser would: following redirects, filling in the forms."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
CLIENT_ID, CLIENT_SECRET = "sohoa-portal", "sohoa-test-secret"


@dataclass(frozen=True)
class Provider:
    issuer: str


def available() -> bool:
    return shutil.which("node") is not None and (NODE_DIR / "node_modules" / "oidc-provider").is_dir()


@contextmanager
def running_provider(folder: Path, port: int, redirect_uri: str,
                     accounts: dict[str, dict[str, Any]]) -> Iterator[Provider]:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "oidc.json"
    config.write_text(json.dumps({"port": port, "accounts": accounts, "client": {
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [redirect_uri]}}))
    log = (folder / "oidc.log").open("w")
    process = subprocess.Popen(["node", str(NODE_DIR / "oidc_provider.mjs"), str(config)], stdout=log,
                               stderr=subprocess.STDOUT, cwd=NODE_DIR)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "oidc.log").read_text()) from None
                time.sleep(0.2)
        yield Provider(issuer)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def sign_in_at_provider(authorize_url: str, login: str, redirect_uri: str) -> dict[str, str]:
    """Go through the provider's login and consent pages; returns the query sent back to `redirect_uri`."""
    with httpx.Client(timeout=10) as browser:
        url = authorize_url
        for _ in range(12):
            answer = browser.get(url)
            while answer.is_redirect:
                url = urljoin(str(answer.url), answer.headers["location"])
                if url.startswith(redirect_uri):
                    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                answer = browser.get(url)
            action = FORM_ACTION.search(answer.text)
            assert action, answer.text[:500]
            target = urljoin(str(answer.url), action.group(1))
            form = {"prompt": "login", "login": login, "password": "x"} if 'name="login"' in answer.text \
                else {"prompt": "consent"}
            posted = browser.post(target, data=form)
            assert posted.is_redirect, posted.text[:500]
            url = urljoin(str(posted.url), posted.headers["location"])
            if url.startswith(redirect_uri):
                return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        raise AssertionError("the provider never sent the browser back")
