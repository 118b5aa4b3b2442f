"""Prefect's temporary server dies with the process that started it.

Without PREFECT_API_URL, Prefect starts a uvicorn server as a child process for the run; if `sohoa ingest` is killed
(kill -9, an out-of-memory kill) the child stays behind, holding its port and the run database. Here the child is
started with the parent-death signal set (Linux prctl PR_SET_PDEATHSIG), so the kernel stops it with SIGTERM when
the starting thread's process goes. Only Prefect's server module is touched: its `subprocess` is a proxy whose Popen
sets that signal in the child.
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


def tie_prefect_server() -> None:
    """Make Prefect's temporary server a child that cannot outlive this process (Linux only; elsewhere a no-op)."""
    if not sys.platform.startswith("linux"):
        return
    from prefect.server.api import server

    if not isinstance(getattr(server, "subprocess", None), _TiedSubprocess):
        setattr(server, "subprocess", _TiedSubprocess("subprocess"))  # noqa: B010 - not an exported name
