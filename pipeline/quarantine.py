"""Quarantine: where a file that cannot be digitised goes, with its reason, so the batch can go on.

The file is copied, never moved: the operator's input folder stays as it was. Beside the copy, <name>.reason.txt
says in Vietnamese and English what is wrong. The same file quarantined twice lands in the same place.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path


def quarantine(source: Path, folder: Path, *, code: str, vietnamese: str, english: str,
               content_hash: str | None, when: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    tag = (content_hash or "nohash")[:12]
    target = folder / f"{source.stem}.{tag}{source.suffix}"
    if source.is_file():
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    reason = target.with_name(target.name + ".reason.txt")
    reason.write_text(
        f"Lý do: {vietnamese}\n"
        f"Reason: {english}\n"
        f"Code: {code}\n"
        f"File: {source}\n"
        f"SHA-256: {content_hash or '-'}\n"
        f"Time: {when.isoformat()}\n",
        encoding="utf-8",
    )
    return target
