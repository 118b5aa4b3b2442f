"""sohoa: domain records, classification, field extraction, code tagging and the `sohoa` command line."""

__version__ = "0.1.0"
