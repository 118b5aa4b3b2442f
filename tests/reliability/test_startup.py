"""A clerk's `sohoa lookup` answers in well under a second because the command line loads the heavy parts (OpenCV,
Tesseract's wrapper, pyHanko, Prefect, numpy) only for the commands that use them: each of those costs from a
tenth of a second to over one to import, and pyHanko's import printed a deprecation warning to the clerk."""

import json
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("cv2", "pytesseract", "pyhanko", "prefect", "numpy", "onnxruntime", "pikepdf", "pdfplumber")


def _loaded_after(code: str) -> list[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    run = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", probe], capture_output=True,
                         text=True, cwd=REPO, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout.strip().splitlines()[-1]))


def test_the_command_line_loads_none_of_the_heavy_parts_before_a_command_needs_them() -> None:
    assert _loaded_after("import cli.main; cli.main.build_parser()") == []


def test_building_the_parser_loads_no_use_case_and_no_settings() -> None:
    """Each command group imports what its commands use when one runs: `sohoa --help` or a mistyped option costs
    no settings, no pydantic and no backend."""
    probe = ("import json, sys\nimport cli.main\ncli.main.build_parser()\nprint(json.dumps(sorted({m.split('.')[0] "
             "for m in sys.modules} & {'pydantic', 'context', 'service', 'indexer', 'flows', 'portal', 'pipeline'})))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []


def test_a_lookup_loads_none_of_them(tmp_path: object) -> None:
    code = ("import contextlib, io\nfrom cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['lookup', '--citizen', '064086927066', '--data-dir', {str(tmp_path)!r}, '--actor', 'clerk-01',"
            " '--purpose', 'Tiếp nhận hồ sơ'])")
    assert _loaded_after(code) == []


def test_a_lookup_builds_no_manifest_model(tmp_path: object) -> None:
    """A lookup is answered by the index: the manifest models (pydantic, a fifth of a second to import and prepare)
    load only where a manifest is read or written."""
    probe = ("import contextlib, io, json, sys\nfrom cli.main import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             f"    main(['lookup', '--citizen', '064086927066', '--data-dir', {str(tmp_path)!r}, '--actor', 'clerk-01',"
             " '--purpose', 'Tiếp nhận hồ sơ'])\n"
             "print(json.dumps(sorted(m for m in ('pydantic', 'domain.records', 'archive.base') if m in sys.modules)))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []
