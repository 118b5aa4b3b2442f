"""Learning from the reviewer: a form worded in a way the configuration does not know loses its holder's name; once
a reviewer corrects one such record, the words before the name are remembered for that type, and the next form
worded that way is read in full. Learned wordings are listed and removable, and never override configuration."""

import importlib.util
import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest

from context.services import open_services
from context.settings import Settings, load_settings
from domain.actor import Actor
from domain.records import Person
from pipeline.fields import extract
from pipeline.learned_labels import label_before, learn, learned_for, load_learned
from pipeline.process import ACCEPTED, digitise
from service.corrections import Changes, correct_record
from service.errors import Refused
from service.labels import list_learned, remove_learned
from tests.conftest import OPERATOR, SAMPLES, run_cli

spec = importlib.util.spec_from_file_location("sample_scans_generate", SAMPLES / "generate.py")
assert spec and spec.loader
generate = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = generate
spec.loader.exec_module(generate)

WORDING = "Đương sự"  # not a configured name label, and no word of it says "name" or a role
REVIEWER = Actor("tests", "reviewer")  # the tests' officer key signs the corrected copy


def form(path: Path, seed: int) -> "generate.Person":
    """A marital-status confirmation whose holder is introduced by WORDING."""
    rng = random.Random(seed)
    place = generate.PLACES[seed % len(generate.PLACES)]
    issuer = generate.commune_issuer(place)
    person = generate.make_person(rng, born=(1975, 2000), role="subject")
    page = generate.Page()
    y = generate.header(page, issuer, [f"Số: {rng.randint(10, 300)}/UBND-XNTTHN"], date(2026, 9, 1 + seed % 20))
    y = generate.title(page, ["GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"], y, size=16)
    y = page.labelled([(WORDING, person.name)], y)
    y = page.labelled([("Sinh ngày", generate.dmy(person.dob))], y)
    y = page.labelled([("Giấy tờ tùy thân", f"Căn cước công dân số {person.personal_number}")], y)
    y = page.labelled([("Tình trạng hôn nhân", "Chưa đăng ký kết hôn với ai")], y)
    y = page.paragraph("Giấy này có giá trị 6 tháng kể từ ngày cấp.", y, style="italic") + 80
    generate.signature_block(page, rng, issuer, "Lý Văn Lực", y)
    page.image.save(path, "PNG", dpi=(300, 300))
    return person


def test_the_words_before_a_value_are_its_label() -> None:
    text = "Cấp cho\nNgười đứng tên giấy: TRẦN THỊ BÌNH\nGiới tính: Nữ   Sinh vào ngày: 02/09/1978\n" \
           "Số giấy tờ tùy thân của người đó: 064 086 927066"
    assert label_before(text, "name", "TRẦN THỊ BÌNH") == "Người đứng tên giấy"
    assert label_before(text, "dob", date(1978, 9, 2)) == "Sinh vào ngày"
    assert label_before(text, "personal_number", "064086927066") == "Số giấy tờ tùy thân của người đó"
    assert label_before(text, "name", "LÊ VĂN AN") is None  # not on the form
    assert label_before("TRẦN THỊ BÌNH", "name", "TRẦN THỊ BÌNH") is None  # nothing before it


def test_a_learned_wording_never_overrides_a_configured_label(settings: Settings) -> None:
    labels = settings.catalogue.labels_for("tinh_trang_hon_nhan")
    lines = ["Họ và tên: TRẦN THỊ BÌNH", "Đương sự: LÊ VĂN AN"]
    before = extract(lines, labels, title_index=None)
    assert [p.name for p in before.persons] == ["TRẦN THỊ BÌNH"]
    learned = [("Đương sự", "name", "subject"), ("Họ và tên", "name", "wife")]
    after = extract(lines, labels, title_index=None, learned=learned)
    assert [(p.name, p.role) for p in after.persons] == [("TRẦN THỊ BÌNH", "subject"), ("LÊ VĂN AN", "subject")]
    added = learn(settings, labels, "tinh_trang_hon_nhan", "Họ và tên: TRẦN THỊ BÌNH", [],
                  [Person(role="subject", name="TRẦN THỊ BÌNH")], "x-KQ1", "reviewer")
    assert added == []  # the configuration knows that wording already


def test_one_correction_teaches_a_wording_and_the_next_form_is_read_in_full(tmp_path: Path) -> None:
    services = open_services(load_settings(tmp_path / "data"))
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    holder, other = form(first, 1), form(second, 2)
    result = digitise(first, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    manifest = services.archive.manifest(result.result_code or "")
    assert manifest is not None and not any(p.name for p in manifest.persons)  # the wording is unknown
    assert "no_subject" in {n.code for n in manifest.review}  # and it says so: flagged, not stored as read
    read = manifest.persons[0] if manifest.persons else Person(role="subject")
    fixed = read.model_copy(update={"name": holder.name, "dob": holder.dob,
                                    "personal_number": holder.personal_number})
    correct_record(services, REVIEWER, manifest.result_code, Changes(persons=[fixed]), "Đối chiếu bản giấy")
    learned = list_learned(services, Actor("admin", "console"))
    assert [(x.kind, x.label, x.type_id) for x in learned if x.kind == "name"] == [
        ("name", WORDING, "tinh_trang_hon_nhan")]
    assert learned_for(services.settings, "tinh_trang_hon_nhan") and not learned_for(services.settings, "khai_sinh")
    # and on another type it moves nobody: the same words on a birth certificate name no one
    birth = extract([f"{WORDING}: LÊ VĂN AN", "Họ, chữ đệm, tên người mẹ: TRẦN THỊ BÌNH"],
                    services.settings.catalogue.labels_for("khai_sinh"), title_index=None,
                    learned=learned_for(services.settings, "khai_sinh"))
    assert [(p.name, p.role) for p in birth.persons] == [("TRẦN THỊ BÌNH", "mother")]
    event = next(json.loads(line) for line in services.audit.lines() if '"label.learn"' in line)
    assert event["actor"] == "tests" and event["details"]["label"] == WORDING

    result = digitise(second, services, OPERATOR)
    assert result.outcome == ACCEPTED, result.reason
    again = services.archive.manifest(result.result_code or "")
    assert again is not None and [p.name for p in again.persons] == [other.name]
    assert "no_subject" not in {n.code for n in again.review}

    status, out = run_cli("labels", "list", "--data-dir", services.settings.data_dir, "--actor", "admin.01")
    assert status == 0 and WORDING in out
    name_label = next(x for x in learned if x.kind == "name")
    remove_learned(services, Actor("admin.01", "admin"), name_label.id)
    assert all(x.id != name_label.id for x in load_learned(services.settings))
    with pytest.raises(Refused):
        list_learned(services, REVIEWER)
