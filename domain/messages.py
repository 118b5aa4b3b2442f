"""The sentences people read, in Vietnamese, by stable code: a lower layer raises an error with a code, English
detail for the logs and the values the sentence needs; the use cases and the faces render it here (`vietnamese`), so
the wording is read, reviewed and corrected in one place.

Codes are `<area>.<what>` and never change meaning once released (other systems see them in API answers). The
errors of the lower floors (archive, index, signing, intake, the work pool) are written here; the use cases' refusals
and the command line's are in `domain.messages_use_cases`, read with them as one catalogue. Page text (headings,
labels) stays in the pages that show it.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from typing import ClassVar

from domain.messages_use_cases import USE_CASES_VI

_LOWER_FLOORS_VI: Mapping[str, str] = {
    # intake: why a file went to quarantine (the code it is recorded under is the part before any "_" variant)
    "intake.unreadable": "Không đọc được tệp: {reason}.",
    "intake.empty": "Tệp rỗng (0 byte), không có nội dung để số hóa.",
    "intake.too_large": "Tệp lớn hơn giới hạn {mb} MB.",
    "intake.unsupported": "Không phải tệp ảnh quét hay PDF (chỉ nhận PNG, JPEG, TIFF, PDF).",
    "intake.too_many_pages": "Tệp có {pages} trang, vượt giới hạn {limit} trang.",
    "intake.corrupt": "Tệp ảnh bị hỏng hoặc bị cắt cụt, không giải mã được.",
    "intake.corrupt_pdf": "Tệp PDF bị hỏng, không đọc được.",
    "intake.encrypted": "PDF có mật khẩu hoặc bị mã hóa; cần bản không mã hóa để số hóa.",
    "intake.no_pages": "Tệp PDF không có trang nào.",
    "intake.too_many_pixels": "Ảnh {width}×{height} điểm ảnh vượt giới hạn {mp} megapixel.",
    "intake.too_many_pixels_on_page": "Trang {page} chứa ảnh {width}×{height} điểm ảnh, vượt giới hạn {mp} megapixel.",
    "intake.too_small": "Ảnh chỉ {width}×{height} điểm ảnh, quá nhỏ để là bản quét một trang.",
    "intake.too_complex": "Trang {page} chứa quá nhiều lệnh vẽ (giới hạn {mb} MB, {operators} lệnh mỗi trang): không "
                          "phải bản quét hay văn bản thông thường.",
    "intake.too_slow_file": "Xử lý tệp vượt quá giới hạn {limit} giây; tệp có thể chứa nội dung bất thường (nhiều lệnh "
                            "vẽ, ảnh quá lớn). Kiểm tra tệp rồi quét hoặc xuất lại.",
    "intake.too_slow_ocr": "Nhận dạng chữ trang {page} vượt quá giới hạn {limit} giây.",
    "intake.too_slow_render": "Trang {page} không dựng được hình trong giới hạn thời gian ({page_limit} giây mỗi "
                              "trang, {file_limit} giây mỗi tệp).",
    "intake.active_content": "PDF chứa nội dung chủ động không gỡ bỏ được ({what}); không ký tệp này.",
    # archive: records and objects
    "archive.file_missing": "Tệp {file} của hồ sơ {record} không còn trong kho lưu trữ.",
    "archive.file_altered": "Tệp {file} của hồ sơ {record} không khớp mã băm ghi trong hồ sơ (đã bị thay đổi).",
    "archive.manifest_missing": "Không còn tệp mô tả (manifest) của hồ sơ {record} trong kho lưu trữ.",
    "archive.version_order": "Phiên bản {version} của hồ sơ {record} phải ghi sau phiên bản {previous}.",
    "archive.content_mismatch": "Nội dung tệp {file} không khớp mã băm trong tệp mô tả hồ sơ {record}.",
    "archive.writer_busy": "Một tiến trình khác đang ghi hồ sơ {record} (phiên bản {version}) hoặc đã để lại tệp khác "
                           "khi bị ngắt; chạy lại lệnh sau khi tiến trình đó kết thúc.",
    "archive.version_taken": "Phiên bản {version} của hồ sơ {record} đã được nơi khác ghi trước.",
    "archive.object_exists": "Khóa {key} trong kho lưu trữ đã chứa nội dung khác: không ghi đè.",
    "archive.numbers_exhausted": "Đã dùng hết {count} số hồ sơ của ngày {prefix}.",
    "archive.damaged_manifest": "Tệp mô tả {key} {reason}.",
    # why a manifest cannot be trusted (a phrase: fixity reports list it after the object's key)
    "archive.manifest_gone": "không còn trong kho",
    "archive.manifest_altered": "không khớp mã băm lưu khi ghi (đã bị sửa)",
    "archive.manifest_unattested": "không khớp mã băm ghi trong nhật ký kiểm toán",
    "archive.manifest_not_logged": "không có sự kiện ghi tương ứng trong nhật ký kiểm toán",
    "archive.manifest_unreadable": "bị hỏng, không đọc được",
    "archive.manifest_misplaced": "thuộc về hồ sơ hoặc phiên bản khác",
    "archive.package_exists": "{folder} đã tồn tại: chọn thư mục khác cho gói chuyển giao.",
    # archive: retention and holds
    "archive.held": "Hồ sơ {record} đang bị phong tỏa: không thể tiêu hủy.",
    "archive.retained": "Hồ sơ {record} còn trong thời hạn lưu trữ ({until}): không thể tiêu hủy.",
    "archive.object_held": "Đối tượng {key} đang bị phong tỏa: không thể xóa.",
    "archive.object_retained": "Đối tượng {key} còn trong thời hạn lưu trữ đến {until}: không thể xóa.",
    "archive.shortened": "{what}: thời hạn lưu trữ (đến {until}) chỉ được kéo dài, không được rút ngắn.",
    "archive.downgraded": "{what}: khóa lưu trữ COMPLIANCE không được hạ xuống GOVERNANCE.",
    "archive.server_refused_deletion": "Máy chủ lưu trữ từ chối xóa {key} (khóa lưu trữ của máy chủ): {reason}",
    # archive: disposition (a request by one archivist, approved or refused by another)
    "archive.no_record": "Không có hồ sơ với mã kết quả {record}.",
    "archive.no_disposition_request": "Không có đề nghị tiêu hủy {request}.",
    "archive.self_refusal": "Người từ chối tiêu hủy phải khác người đề nghị ({requester}); người đề nghị không tự đóng "
                            "đề nghị của mình.",
    "archive.self_approval": "Người phê duyệt tiêu hủy phải khác người đề nghị ({requester}).",
    "archive.request_approved": "Đề nghị {request} đã được phê duyệt.",
    "archive.request_refused": "Đề nghị {request} đã bị từ chối.",
    "archive.refused_request": "Đề nghị {request} đã bị từ chối: cần một đề nghị mới.",
    "archive.already_destroyed": "Đề nghị {request} đã được phê duyệt và hồ sơ đã bị tiêu hủy.",
    "archive.record_gone": "Hồ sơ {record} không còn trong kho.",
    # archive: the storage itself
    "archive.cannot_write": "Không ghi được vào kho lưu trữ tại {place}: {reason}.",
    "archive.credentials_refused": "MinIO tại {endpoint} từ chối khóa truy cập ({reason}): kiểm tra "
                                   "SOHOA_MINIO_ACCESS_KEY và SOHOA_MINIO_SECRET_KEY.",
    "archive.no_bucket": "MinIO tại {endpoint} không có bucket {bucket}.",
    "archive.server_error": "MinIO: {operation} thất bại ({reason}).",
    "archive.unreachable": "Không kết nối được kho lưu trữ MinIO tại {endpoint}: {reason}",
    "archive.no_object_lock": "Bucket {bucket} không bật Object Lock: không thể dùng làm kho lưu trữ (Object Lock chỉ "
                              "bật được khi tạo bucket).",
    # index: the lookup index (rebuilt from the archive whenever needed)
    "index.es_unreachable": "Không kết nối được máy chủ tìm kiếm Elasticsearch tại {where}: {reason}",
    "index.es_credentials": "Elasticsearch tại {where} từ chối thông tin đăng nhập của sohoa ({status}): {reason}",
    "index.es_error": "Elasticsearch tại {where} trả lỗi {status} ({reason})",
    "index.es_error_retried": "Elasticsearch tại {where} trả lỗi {status} ({reason}) sau {retries} lần thử lại",
    "index.es_no_answer": "Elasticsearch tại {where} không trả lời được: {reason}",
    "index.es_build_refused": "Elasticsearch từ chối {count} hồ sơ khi lập chỉ mục mới (ví dụ {record}: {reason}); "
                              "chỉ mục đang dùng giữ nguyên",
    "index.sqlite_unopenable": "Chỉ mục SQLite {folder} không dùng được ({reason}); kiểm tra quyền và dung lượng của "
                               "thư mục chỉ mục",
    "index.sqlite_damaged": "Chỉ mục SQLite {folder} không dùng được (tệp cơ sở dữ liệu bị hỏng); lập lại chỉ mục từ "
                            "kho lưu trữ bằng: sohoa reindex",
    "index.sqlite_unusable": "Chỉ mục SQLite {folder} không dùng được ({reason}); kiểm tra thư mục chỉ mục, hoặc lập "
                             "lại chỉ mục bằng: sohoa reindex",
    "index.other_version": "Chỉ mục tra cứu được lập bởi một phiên bản sohoa khác; quản trị viên lập lại chỉ mục từ "
                           "kho lưu trữ bằng: sohoa reindex",
    # signing: keys, certificates, the signatory's identity, long-term upkeep
    "signing.key_missing": "Không có tệp khóa ký số {path}.",
    "signing.key_unreadable": "Không mở được tệp khóa ký số {path}: sai mật khẩu hoặc tệp hỏng.",
    "signing.pkcs11_module_missing": "Không có thư viện PKCS#11 {module} (trình điều khiển token).",
    "signing.pkcs11_pin_incorrect": "Mã PIN của token '{token}' không đúng.",
    "signing.pkcs11_pin_locked": "Token '{token}' đã bị khóa do nhập sai PIN nhiều lần.",
    "signing.pkcs11_token_unavailable": "Không mở được token '{token}': kiểm tra token đã cắm và nhãn đúng.",
    "signing.pkcs11_key_missing": "Token '{token}' không có khóa hoặc chứng thư số '{key}'.",
    "signing.role_agency": "cơ quan",
    "signing.role_officer": "người số hóa",
    "signing.certificate_expired": "Chứng thư số của {who} ({name}) không còn hiệu lực{ended}.",
    "signing.ended_on": ": hết hạn ngày {date}",
    "signing.certificate_revoked": "Chứng thư số của {who} ({name}) đã bị thu hồi: không ký bằng chứng thư này.",
    "signing.certificate_untrusted": "Chứng thư số của {who} ({name}) không chuỗi được tới chứng thư gốc tin cậy.",
    "signing.agency_name_mismatch": "Tên cơ quan trong cấu hình («{configured}») khác với tên trong chứng thư số của "
                                    "cơ quan («{certified}»): bản sao sẽ ghi tên một cơ quan mà chứng thư không cấp "
                                    "cho. Sửa [agency] name (SOHOA_AGENCY_NAME) hoặc dùng đúng khóa của cơ quan.",
    "signing.placeholder_verify_url": "Địa chỉ xác minh in trong mã QR («{url}») là địa chỉ mẫu: mọi bản sao sẽ mang "
                                      "vĩnh viễn một địa chỉ không dẫn tới đâu. Cấu hình [signing] verify_base_url "
                                      "(SOHOA_VERIFY_BASE_URL) là địa chỉ cổng xác minh của cơ quan.",
    "signing.empty": "trống",
    "signing.no_tsa": "Chưa cấu hình máy chủ cấp dấu thời gian ([signing] tsa_url, SOHOA_TSA_URL).",
    "signing.upgrade_changed_bytes": "Bản nâng cấp không giữ nguyên các byte đã ký.",
    "signing.unreadable_pdf": "Không đọc được tệp PDF: {reason}",
    # flows: the work pool (a flow's failure is read in Prefect's interface, so it says it in Vietnamese)
    "flows.folder_unreachable": "Máy này không đọc được thư mục {folders} của lô {batch}: thư mục quét phải được gắn "
                                "(mount) cùng đường dẫn trên mọi máy xử lý.",
    "flows.unknown_batch": "Không có lô {batch} trong kho lưu trữ của máy này: các máy xử lý phải dùng chung một kho "
                           "lưu trữ.",
    "flows.no_prefect_server": "Chưa cấu hình máy chủ Prefect: đặt PREFECT_API_URL (ví dụ "
                               "http://prefect.noibo:4200/api) trên mọi máy gửi lô và máy xử lý.",
    # paper: the archival description of the paper a scan comes from
    "paper.unknown_keys": "{where}: không có mục {keys} (các mục dùng được: {allowed}).",
    "paper.bad_values": "{where}: giá trị của {keys} không hợp lệ.",
    "paper.bad_toml": "{where}: không đọc được tệp TOML ({reason}).",
    "paper.csv_rows": "{where}: cần đúng một dòng mô tả, có {count}.",
    # stack: a scan of many documents, split into one record each
    "stack.weak_start": "Chưa chắc trang {page} của tệp {stack} là trang đầu một văn bản mới (chỉ thấy một phần dấu "
                        "hiệu trang đầu); đã tách tại đây. Xem trang {before} và trang {page}: nếu là cùng một văn "
                        "bản thì gộp lại.",
    "stack.weak_first": "Chưa chắc trang {page} (trang đầu của tệp {stack}) là trang đầu một văn bản: chỉ thấy một "
                        "phần dấu hiệu trang đầu.",
    "stack.first_page_inside": "Trang {page} của tệp {stack} có dấu hiệu trang đầu một văn bản (quốc hiệu, tên cơ "
                               "quan, tiêu đề) nhưng không có tờ phân cách trước nó; đã giữ chung với trang {before}. "
                               "Kiểm tra: có thể thiếu tờ phân cách.",
    "stack.starts_mid_document": "Trang đầu tiên của tệp {stack} (trang {page}) không có dấu hiệu trang đầu văn bản: "
                                 "có thể là phần tiếp theo của một văn bản ở tệp quét trước.",
    "stack.unreadable_rest": "Không đọc được phần còn lại của tệp nhiều văn bản: {reason} Các văn bản đã tách trước "
                             "trang này vẫn được lưu.",
    "stack.quarantine_failed": "Không ghi được vào khu cách ly: {reason}.",
    "stack.processing_error": "Lỗi khi xử lý tệp: {reason}.",
    # station: the receipt filed beside each scan file the watched folder took
    "station.file": "Tệp: {name}",
    "station.figures": "Số trang: {pages}; văn bản: {documents}; trang trắng bỏ qua: {blanks}; tờ phân cách: "
                       "{separators}; ranh giới cần kiểm tra: {doubts}.",
    "station.paper": "Hồ sơ giấy: {place}",
    "station.pages_missing": "CẦN KIỂM TRA: mô tả hồ sơ ghi {expected} trang, đã quét {scanned} trang (thiếu {gap} "
                             "trang).",
    "station.pages_over": "CẦN KIỂM TRA: mô tả hồ sơ ghi {expected} trang, đã quét {scanned} trang (thừa {gap} "
                          "trang).",
    "station.separator_unread": "CẦN KIỂM TRA: tờ phân cách ở trang {page} mang mô tả hồ sơ giấy không đọc được "
                                "({reason}); các văn bản sau nó giữ mô tả trước đó.",
    "station.sheets_disagree": "CẦN KIỂM TRA: mô tả hồ sơ ghi {sheets} tờ, đã quét {scanned} trang (không khớp "
                               "{sheets} trang quét một mặt hay {both} trang quét hai mặt).",
}

VI: Mapping[str, str] = {**_LOWER_FLOORS_VI, **USE_CASES_VI}

_OS_ERRORS_VI = {
    errno.ENOSPC: "hết dung lượng đĩa",
    errno.EDQUOT: "vượt hạn mức dung lượng đĩa",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.ENOENT: "không tồn tại (có thể đã bị xóa hoặc di chuyển)",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
    errno.ELOOP: "là liên kết tượng trưng (symlink)",
    errno.EISDIR: "là thư mục",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
}


class CodedError(Exception):
    """An error a person may read: the message is English detail for the logs, `code` is stable (API answers and
    quarantine records carry it), and `vietnamese` is the catalogue's sentence for it with `values`. A class with an
    `area` takes codes without one (`SigningKeyError("...", "key_missing")` reads `signing.key_missing`)."""

    area: ClassVar[str] = ""

    def __init__(self, detail: str, code: str = "", **values: object) -> None:
        super().__init__(detail)
        self.code = code
        self.values = values

    @property
    def english(self) -> str:
        return str(self)

    @property
    def catalogue_code(self) -> str:
        return f"{self.area}.{self.code}" if self.area and "." not in self.code else self.code

    @property
    def vietnamese(self) -> str:
        return vietnamese(self)


def os_error_vi(e: OSError) -> str:
    """An operating-system error in words a clerk can act on (Python's strerror is English)."""
    return _OS_ERRORS_VI.get(e.errno or 0, f"lỗi hệ thống {e.errno}: {e.strerror or e}")


def say(code: str, **values: object) -> str:
    """The sentence for `code` with its values; KeyError for a code the catalogue does not have."""
    return VI[code].format(**values)


def vietnamese(error: BaseException) -> str:
    """What a person reads for an error: the catalogue's sentence for a coded error, the sentence an error rendered
    from the catalogue when it was raised (a use case's refusal, a file refused at intake), else its own words."""
    if isinstance(error, CodedError):
        try:
            return say(error.catalogue_code, **error.values) if error.catalogue_code in VI else str(error)
        except (KeyError, IndexError, ValueError):  # a value missing: the English detail is better than nothing
            return str(error)
    said = getattr(error, "vietnamese", None)
    return said if isinstance(said, str) else str(error)
