"""pyHanko's validator logs each certificate path it cannot build, and each algorithm its policy refuses, as an error
with a full traceback; its reader logs every key a dictionary repeats. A clerk running a batch would see pages of
them for one signed decision whose chain ends at a root not configured here. The verdict (`signing.verify`) says the
same in plain words, so those loggers are kept to what is worse than that.
"""

from __future__ import annotations

import logging

NOISY = {"pyhanko.sign.validation.generic_cms": logging.CRITICAL, "pyhanko_certvalidator": logging.CRITICAL,
         "pyhanko.pdf_utils.generic": logging.ERROR, "pyhanko.pdf_utils.reader": logging.ERROR}


def quiet_pyhanko() -> None:
    for name, level in NOISY.items():
        logging.getLogger(name).setLevel(level)
