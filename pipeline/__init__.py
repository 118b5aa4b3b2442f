"""The per-document stages: intake, text layer, classification, fields and codes, review notes, second captures,
duplicates, quarantine, and the orchestration that runs them in order (`process.py`). Settings and the backends'
wiring are the composition root's (`context/`); use cases over many records (signature upkeep, copy verification)
are `service/`'s; the command line is `cli/`."""

__version__ = "0.1.0"
