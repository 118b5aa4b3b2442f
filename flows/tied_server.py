"""The children of an ingest die with it: Prefect's temporary server and the Tesseract processes.

Without PREFECT_API_URL, Prefect starts a uvicorn server as a child process for the run; if `sohoa ingest` is killed
(kill -9, an out-of-memory kill) the child stays behind, holding its port and the run database, and a Tesseract
child goes on with its page. Here those children are started with the parent-death signal set (Linux prctl
PR_SET_PDEATHSIG), so the kernel stops them with SIGTERM when the thread that started them goes (Prefect's server
is started by a thread that lives as long as the process; a Tesseract call waits for its child in its own thread).
Only the two modules are touched: their `subprocess` is a proxy whose Popen sets that signal in the child.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import types
from typing import Any

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died between fork and prctl
        os._exit(1)


class _TiedSubprocess(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:  # the name Prefect calls
        parent = os.getpid()
        kwargs.setdefault("preexec_fn", lambda: _die_with_parent(parent))
        return subprocess.Popen(*args, **kwargs)


def tie_child_processes() -> None:
    """Make Prefect's temporary server and Tesseract children that cannot outlive this process (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    import pytesseract.pytesseract as tesseract
    from prefect.server.api import server

    for module in (server, tesseract):
        if not isinstance(getattr(module, "subprocess", None), _TiedSubprocess):
            setattr(module, "subprocess", _TiedSubprocess("subprocess"))  # noqa: B010 - not an exported name
