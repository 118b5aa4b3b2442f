"""The core settings tables, declared (`domain.setting_tables`): the agency, codes, classification, OCR, limits, the
archive's and the index's own keys (their backends' tables are declared by the backends), and the local flow.
`context.settings.load_settings` reads them with `read_table`; the settings reference lists them."""

from __future__ import annotations

from domain.setting_tables import Setting

AGENCY = (
    Setting("code", str, "000.00.00.H49", "SOHOA_AGENCY_CODE", "agency code (QCVN 102:2016/BTTTT)"),
    Setting("name", str, "Ủy ban nhân dân tỉnh Quảng Ninh", "SOHOA_AGENCY_NAME", "shown in the visible stamp"),
)
CODES = (Setting("result_code_template", str, "{dossier_code}-KQ{n}"),)
CLASSIFICATION = (Setting("review_threshold", float, 0.8, doc="below this confidence a person checks the type"),)
OCR = (
    Setting("engine", str, "tesseract", "SOHOA_OCR_ENGINE", "the page engine"),
    Setting("language", str, "vie"),
    Setting("flip_retry_confidence", float, 70.0, doc="under this mean confidence other turns are tried"),
    Setting("default_dpi", int, 300, doc="assumed for an image that states no density"),
    Setting("second_reader", str, "ppocr-v4", "SOHOA_SECOND_READER", "the reader of figures read twice"),
)
LIMITS = (
    Setting("max_file_mb", int, 200),
    Setting("max_request_kb", int, 512),
    Setting("max_upload_batch_mb", int, 2048),
    Setting("max_pages", int, 300),
    Setting("max_megapixels", int, 120),
    Setting("max_content_mb_per_page", float, 8.0),
    Setting("max_content_operators_per_page", int, 100_000),
    Setting("max_seconds_per_page", int, 120),
    Setting("max_seconds_per_file", int, 900),
)
ARCHIVE = (  # [archive]'s own keys; [archive.minio] is the MinIO store's
    Setting("backend", str, "filesystem", "SOHOA_ARCHIVE_BACKEND", "filesystem or minio"),
    Setting("retention_schedule", str, "", "SOHOA_RETENTION_SCHEDULE", "empty: the schedule shipped with sohoa"),
    Setting("download_link_minutes", float, 15.0),
    Setting("download_link_max_minutes", float, 1440.0),
    Setting("download_base_url", str, "http://127.0.0.1:8470", "SOHOA_DOWNLOAD_BASE_URL"),
)
INDEX = (Setting("backend", str, "sqlite", "SOHOA_INDEX_BACKEND", "sqlite or elasticsearch"),)
FLOW = (
    Setting("workers", int, 2, "SOHOA_WORKERS", "documents processed at once"),
    Setting("scan_roots", tuple, (), "SOHOA_SCAN_ROOTS", "folders whose scans may be sent as a batch", sep=":"),
)
TABLES: dict[str, tuple[Setting, ...]] = {
    "agency": AGENCY, "codes": CODES, "classification": CLASSIFICATION, "ocr": OCR, "limits": LIMITS,
    "archive": ARCHIVE, "index": INDEX, "flow": FLOW,
}
