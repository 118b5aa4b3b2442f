"""What sohoa's records are, with no I/O beyond its own reference tables: record and manifest types, the document
type catalogue, result and dossier codes, dates, names, personal numbers, issuers, validity, text folding.

Every other package may import this one; it imports none of them (floor 1 of the design card).
"""

from pathlib import Path

REFERENCE_DATA = Path(__file__).parent / "data"  # provinces, name syllables, issuers: facts, not settings
