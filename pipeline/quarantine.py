"""Quarantine: where a file that cannot be digitised goes, with its reason, so the batch can go on.

The file is copied, never moved: the operator's input folder stays as it was. Beside the copy, <name>.reason.txt
says in Vietnamese and English what is wrong. The same file quarantined twice lands in the same place.

Quarantined files hold personal data: the folder is 0750 and its files 0640. A file that cannot be read (no
permission, vanished, a symbolic link) is not copied; its reason file says so. Links are never followed: a link in
the input folder must not carry a file from elsewhere on the machine into the quarantine.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from datetime import datetime
from pathlib import Path

from archive.objects import os_error_vi

FILE_MODE = 0o640
FOLDER_MODE = 0o750
_FATAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def _copy_without_following(source: Path, target: Path) -> str | None:
    """Copy `source` to `target` by rename from a temporary file; the reason it could not be copied, else None."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "là liên kết tượng trưng (symlink), không sao chép tệp mà nó trỏ tới"
        return f"không đọc được tệp ({os_error_vi(e)})"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with os.fdopen(fd, "rb") as src:
            if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):  # a FIFO or a device would block or never end
                return "không phải tệp thông thường"
            out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(out, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, target)
        return None
    except OSError as e:
        tmp.unlink(missing_ok=True)
        if e.errno in _FATAL:
            raise
        return f"không đọc được tệp ({os_error_vi(e)})"


def quarantine(source: Path, folder: Path, *, code: str, vietnamese: str, english: str,
               content_hash: str | None, when: datetime) -> Path:
    """Copy the file and write its reason; raises OSError only when the disk itself fails (full, read-only)."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    tag = (content_hash or "nohash")[:12]
    target = folder / f"{source.stem}.{tag}{source.suffix}"
    not_copied = _copy_without_following(source, target)
    reason = target.with_name(target.name + ".reason.txt")
    text = (f"Lý do: {vietnamese}\n"
            + (f"Tệp không được sao vào khu cách ly: {not_copied}.\n" if not_copied else "")
            + f"Reason: {english}\n"
            f"Code: {code}\n"
            f"File: {source}\n"
            f"SHA-256: {content_hash or '-'}\n"
            f"Time: {when.isoformat()}\n")
    tmp = reason.with_name(f".{reason.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, reason)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return target
