"""The use cases run over a private copy of the sample set digitised once (the session's `ingested`)."""

import shutil
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.services import Services, open_services
from tests.conftest import Ingested


@pytest.fixture
def services(ingested: Ingested, tmp_path: Path) -> Services:
    data = tmp_path / "data"
    shutil.copytree(ingested.data_dir, data, symlinks=True)
    return open_services(load_settings(data))
