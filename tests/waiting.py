"""Waiting for a server a test started: until it answers, or its process ends, or time runs out (then its log
says why)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    """Ask `ready` (which may raise: not yet) every 0.2 s; a process that died or a server still not ready after
    `seconds` is a RuntimeError carrying the end of its log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except Exception:  # not answering yet, in whatever way it fails
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text(errors="replace")[-3000:])
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
