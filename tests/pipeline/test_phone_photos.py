"""A phone photo says 72 dpi whatever it shows: its density is told by its words, so it is read as the page it is,
flagged under 200 dpi only when its words say so; the sheet is found on the desk and flattened, so it reads as well
as a scan and is known as the same paper."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from context.services import open_services
from context.settings import load_settings
from pipeline.process import ACCEPTED, DUPLICATE_CAPTURE, digitise
from sample_scans.captures import photographed
from tests.conftest import OPERATOR, SAMPLES


def test_a_phone_photo_is_read_at_the_density_its_words_show(tmp_path: Path) -> None:
    page = np.asarray(Image.open(SAMPLES / "khai_sinh_01.png").convert("L"))
    taken = photographed(page, 1)
    photo = tmp_path / "anh_chup_dien_thoai.jpg"
    Image.fromarray(taken).save(photo, quality=85, dpi=(72, 72))
    small = tmp_path / "anh_gui_qua_zalo.jpg"  # the same photo sent through a chat app: 1000 pixels across
    Image.fromarray(cv2.resize(taken, (1000, 1333), interpolation=cv2.INTER_AREA)).save(small, quality=80,
                                                                                           dpi=(72, 72))
    services = open_services(load_settings(tmp_path / "data"))

    result = digitise(photo, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None
    [info] = manifest.pages
    assert info.dpi_source == "estimated" and 200 <= info.dpi <= 350 and info.rotation == 0  # about 280 in truth
    assert len(info.sheet) == 4  # the sheet was found on the desk and flattened
    assert manifest.review == [] and manifest.fields.number == "256"
    scan = digitise(SAMPLES / "khai_sinh_01.png", services, OPERATOR)
    assert scan.outcome == DUPLICATE_CAPTURE  # the scan of that paper

    second = open_services(load_settings(tmp_path / "another-office"))  # here it would be a second capture
    result = digitise(small, second, OPERATOR)
    manifest = second.archive.manifest(result.result_code or "")
    assert manifest is not None and manifest.pages[0].dpi_source == "estimated" and manifest.pages[0].dpi < 200
    [note] = [n for n in manifest.review if n.code == "low_resolution"]
    assert "ước tính từ cỡ chữ" in note.message
