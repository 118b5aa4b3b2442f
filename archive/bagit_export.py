"""Transfer to the historical archive (Luật Lưu trữ 2024): records packed as a BagIt bag, the package form the
receiving archive can validate on its own (bag-info, SHA-256 and SHA-512 manifests of every file)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import bagit

from archive.base import MANIFEST, RecordArchive
from archive.objects import ArchiveError
from archive.stacks import STACKS, read_stack
from domain.records import Manifest


def export_bag(archive: RecordArchive, manifests: Sequence[Manifest], out: Path, agency_name: str,
               agency_code: str) -> bagit.Bag:
    """Write one bag at `out` (which must not exist) holding every version of each record, checked on the way."""
    if out.exists():
        raise ArchiveError(f"{out} already exists", "archive.package_exists", folder=out)
    out.mkdir(parents=True)
    for manifest in manifests:
        for version in archive.versions(manifest.content_hash):
            folder = out / manifest.result_code / f"v{version.version}"
            folder.mkdir(parents=True)
            for role, entry in version.files.items():
                (folder / entry.name).write_bytes(archive.read(version, role))  # read() checks the hash
            (folder / MANIFEST).write_text(version.to_json(), encoding="utf-8")
        stack = manifest.paper.stack if manifest.paper else None
        if stack is not None and not (out / STACKS / stack.sha256).exists():  # the scan it was split out of, once
            found = read_stack(archive.objects, stack.sha256)
            if found is None:
                raise ArchiveError(f"stack {stack.sha256} of {manifest.result_code} is missing", "archive.file_missing",
                                   file=stack.name, record=manifest.result_code)
            (out / STACKS / stack.sha256).mkdir(parents=True)
            (out / STACKS / stack.sha256 / Path(stack.name).name).write_bytes(found[0])
    info = {
        "Source-Organization": agency_name,
        "Organization-Address": agency_code,
        "External-Description": "Kết quả giải quyết thủ tục hành chính đã số hóa (sohoa)",
        "External-Identifier": " ".join(m.result_code for m in manifests),
        "Bagging-Date": date.today().isoformat(),
        "Bag-Count": "1 of 1",
    }
    bag = bagit.make_bag(str(out), info, checksums=["sha256", "sha512"])
    bag.validate()
    return bag
