"""The catalogue of what people read: every code the code raises has a sentence, every sentence gets the values it
names, the Vietnamese is NFC, and an error without a sentence still says its own words."""

from __future__ import annotations

import ast
import errno
import string
import unicodedata
from pathlib import Path

import pytest

from archive.objects import ArchiveError, RetentionViolation
from domain.messages import VI, os_error_vi, say, vietnamese
from tests.conftest import REPO

# the errors that carry a code, and the area their codes are read in when they name none
ERRORS = {"ArchiveError": "", "ArchiveUnavailable": "", "RetentionViolation": "", "ObjectExists": "",
          "DispositionRefused": "", "IndexUnavailable": "index", "SigningKeyError": "signing", "UpkeepError": "signing",
          "NotConfigured": "signing", "NotVerifiable": "signing",
          "DescriptionError": "paper"}
# the refusals of the use cases and the command line, built as (code, says=..., **values)
REFUSALS = {"ServiceError": "service", "InvalidRequest": "service", "NotFound": "service", "Refused": "service",
            "NotAuthenticated": "service", "TooMany": "service", "DirectoryUnavailable": "service",
            "ProviderUnavailable": "service", "CommandError": "cli"}


def _raised_codes() -> list[tuple[str, str, set[str]]]:
    """(where, code, values given) for every error of ERRORS built with a code in the product's code, every
    refusal of a file at intake (its sentence: `intake.<says or code>`), every damaged manifest's reason, and every
    sentence said directly (`say("<code>", ...)`)."""
    found = []
    for package in ("domain", "archive", "indexer", "signing", "context", "pipeline", "service", "flows", "portal",
                    "cli"):
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "RejectedInput"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    says = next((k.value for k in node.keywords if k.arg == "says"), node.args[0])
                    assert isinstance(says, ast.Constant)
                    found.append((f"{path.relative_to(REPO)}:{node.lineno}", f"intake.{says.value}",
                                  {k.arg for k in node.keywords if k.arg and k.arg != "says"}))
                    continue
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                given = {k.arg for k in node.keywords if k.arg}
                if node.func.id == "say" and node.args:  # a constant, or one of two (`"a" if shorter else "b"`)
                    said = node.args[0]
                    choices = [said.body, said.orelse] if isinstance(said, ast.IfExp) else [said]
                    found += [(where, str(c.value), given) for c in choices if isinstance(c, ast.Constant)]
                elif node.func.id in REFUSALS and node.args:  # (code, says=..., **values): `<area>.<says or code>`
                    said = next((k.value for k in node.keywords if k.arg == "says"), node.args[0])
                    choices = [said.body, said.orelse] if isinstance(said, ast.IfExp) else [said]
                    found += [(where, f"{REFUSALS[node.func.id]}.{c.value}", given - {"says", "retry_after_s"})
                              for c in choices if isinstance(c, ast.Constant)]
                elif node.func.id == "DamagedManifest" and len(node.args) >= 4:
                    assert isinstance(node.args[3], ast.Constant)
                    found += [(where, str(node.args[3].value), set()), (where, "archive.damaged_manifest",
                                                                        {"key", "reason"})]
                elif node.func.id in ERRORS and len(node.args) >= 2:
                    code = node.args[1]  # a constant, or one of two (`"a" if shorter else "b"`)
                    choices = [code.body, code.orelse] if isinstance(code, ast.IfExp) else [code]
                    area = ERRORS[node.func.id]
                    found += [(where, f"{area}.{c.value}" if area and "." not in str(c.value) else str(c.value),
                               given) for c in choices if isinstance(c, ast.Constant)]
    return found


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.reads_source
def test_every_code_raised_has_a_sentence_and_gets_every_value_it_names() -> None:
    raised = _raised_codes()
    assert len(raised) >= 150  # the lower floors' errors, the intake's refusals, the use cases' and the commands'
    missing = [(where, code) for where, code, _ in raised if code not in VI]
    assert missing == []
    short = [(where, code, sorted(_placeholders(VI[code]) - given)) for where, code, given in raised
             if _placeholders(VI[code]) - given]
    assert short == []


@pytest.mark.reads_source
def test_every_sentence_is_used_and_written_in_nfc() -> None:
    used = {code for _, code, _ in _raised_codes()}
    assert set(VI) - used == set()
    assert [code for code, text in VI.items() if unicodedata.normalize("NFC", text) != text] == []


def test_an_error_is_read_in_vietnamese_and_logged_in_english() -> None:
    held = RetentionViolation("000.00.00.H49-260301-0001-KQ1 is under legal hold", "archive.held",
                              record="000.00.00.H49-260301-0001-KQ1")
    assert str(held) == "000.00.00.H49-260301-0001-KQ1 is under legal hold"
    assert vietnamese(held) == "Hồ sơ 000.00.00.H49-260301-0001-KQ1 đang bị phong tỏa: không thể tiêu hủy."
    assert vietnamese(ArchiveError("Không còn đề nghị này.")) == "Không còn đề nghị này."  # says its own words
    assert vietnamese(ArchiveError("x", "archive.held")) == "x"  # a value missing: the detail, not a crash
    assert vietnamese(ValueError("plain")) == "plain"
    with pytest.raises(KeyError):
        say("archive.no_such_code")


@pytest.mark.reads_source
def test_the_faces_render_the_catalogue_not_the_detail() -> None:
    for face in ("cli/main.py", "portal/api.py"):
        assert "vietnamese(e)" in (REPO / face).read_text(encoding="utf-8")
    assert Path(REPO / "domain" / "messages.py").is_file()


@pytest.mark.parametrize(("number", "words"), [
    (errno.ENOSPC, "hết dung lượng đĩa"), (errno.EDQUOT, "vượt hạn mức dung lượng đĩa"),
    (errno.EROFS, "ổ đĩa chỉ cho phép đọc"), (errno.EACCES, "không có quyền truy cập"),
    (errno.EPERM, "không được phép"), (errno.ENOENT, "không tồn tại (có thể đã bị xóa hoặc di chuyển)"),
    (errno.EIO, "lỗi đọc ghi của ổ đĩa"), (errno.ELOOP, "là liên kết tượng trưng (symlink)"),
    (errno.EISDIR, "là thư mục"), (errno.ENOTDIR, "đường dẫn không phải thư mục"),
])
def test_an_operating_system_error_is_said_in_words_a_clerk_can_act_on(number: int, words: str) -> None:
    assert os_error_vi(OSError(number, "English")) == words


def test_an_error_the_catalogue_does_not_know_keeps_its_number_and_words() -> None:
    assert os_error_vi(OSError(errno.EBUSY, "Device busy")) == f"lỗi hệ thống {errno.EBUSY}: Device busy"
    assert os_error_vi(OSError("no number")) == "lỗi hệ thống None: no number"


VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@pytest.mark.reads_source
def test_errors_are_raised_with_codes_not_sentences() -> None:
    """Below the use cases an error says English for the logs and a code for people; the use cases and the command
    line raise a code with its values. No Vietnamese is written where an error is raised anywhere (it would reach the
    logs, and bypass the catalogue's review)."""
    written = []
    for package in ("domain", "archive", "indexer", "signing", "ocr", "pdf", "pipeline", "context", "service",
                    "flows", "portal", "cli"):
        for path in sorted((REPO / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Raise) and node.exc is not None:
                    text = ast.get_source_segment(source, node.exc) or ""
                    if VIETNAMESE_LETTERS & set(text.lower()):
                        written.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert written == []


def test_a_signing_error_keeps_its_stable_code_and_reads_its_sentence() -> None:
    from indexer.base import IndexUnavailable
    from signing.identity import SigningKeyError

    locked = SigningKeyError("PKCS#11 token 'so-hoa' is locked", "pkcs11_pin_locked", token="so-hoa")
    assert (locked.code, locked.english) == ("pkcs11_pin_locked", "PKCS#11 token 'so-hoa' is locked")
    assert locked.vietnamese == vietnamese(locked) == "Token 'so-hoa' đã bị khóa do nhập sai PIN nhiều lần."
    stale = IndexUnavailable("schema 3", "other_version")
    assert stale.vietnamese.startswith("Chỉ mục tra cứu được lập bởi một phiên bản sohoa khác")


def test_an_error_rendered_where_it_was_raised_is_read_as_rendered() -> None:
    from pipeline.source_pages import RejectedInput
    from service.errors import InvalidRequest

    refused = RejectedInput("too_large", "file over 50 MB", mb=50)
    assert str(refused) == "file over 50 MB" and vietnamese(refused) == "Tệp lớn hơn giới hạn 50 MB."
    bad = InvalidRequest("bad_old_id", old_id="12")
    assert (bad.code, vietnamese(bad)) == ("bad_old_id", "Số CMND phải có 9 chữ số: '12'")
    assert vietnamese(ArchiveError("detail", "archive.no_record", record="KQ1")) == \
        "Không có hồ sơ với mã kết quả KQ1."
