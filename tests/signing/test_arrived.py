"""Signatures an original arrives with are told in plain words: who signed, when, where the chain ends, and that the
end is not among the configured trust roots; never as a traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from signing.arrived import arrived_signatures
from tests.conftest import REPO

REAL_SCANS = REPO.parent / "shared" / "real-scans"
pytestmark = pytest.mark.skipif(not REAL_SCANS.is_dir(), reason=f"the real-scans set is not at {REAL_SCANS}")


def test_a_decision_signed_under_the_government_ca_is_described_not_raised() -> None:
    [found] = arrived_signatures((REAL_SCANS / "209-QDCT.signed.pdf").read_bytes(), [])
    assert found.signer.startswith("Uỷ ban nhân dân tỉnh Bạc Liêu")
    assert found.signed_at is not None and found.signed_at.date() == date(2025, 2, 19)
    assert "Ban Co yeu Chinh phu" in found.chain_top and "không kèm trong tệp" in found.chain_top
    assert found.intact and not found.trusted
    assert any("không có trong danh sách chứng thư gốc tin cậy" in p for p in found.problems)


def test_verify_of_a_foreign_signed_original_prints_no_traceback(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "cli.main", "verify", str(REAL_SCANS / "1.Q-CongbodanhmucTTHC51.pdf"),
                          "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, cwd=REPO,
                         check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert "Chuỗi chứng thư lên tới: CA phục vụ các cơ quan Nhà nước G2 — Ban Cơ yếu Chính phủ" in run.stdout
    assert "không có trong danh sách chứng thư gốc tin cậy" in run.stdout
