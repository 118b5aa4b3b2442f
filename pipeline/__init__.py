"""The per-document stages (intake, text layer, classification, fields and codes, review notes, second captures,
quarantine, the orchestration in `process.py`) and, until the composition root of its own is made, the settings
(`config.py`) and the backends' wiring (`services.py`). The `sohoa` command line is `cli/`."""

__version__ = "0.1.0"
