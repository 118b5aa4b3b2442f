"""A corrected record is signed again from the file as it was before sohoa signed it."""

import pytest

from context.settings import Settings
from signing.revisions import NotSignedBySohoa, unsigned_original
from tests.signing.conftest import blank_pdf, sign, signer_for


def test_the_unsigned_file_is_recovered_byte_for_byte(settings: Settings) -> None:
    pdf = blank_pdf()
    signed = sign(signer_for(settings), pdf).data
    assert unsigned_original(signed) == pdf
    again = sign(signer_for(settings), unsigned_original(signed), code="000.00.00.H49-261203-0002-KQ1").data
    assert unsigned_original(again) == pdf  # and it can be signed afresh


def test_a_file_sohoa_never_signed_has_no_unsigned_original() -> None:
    with pytest.raises(NotSignedBySohoa):
        unsigned_original(blank_pdf())
