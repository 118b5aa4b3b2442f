"""The sentences people read, in Vietnamese, by stable code: a lower layer raises an error with a code, English
detail for the logs and the values the sentence needs; the use cases and the faces render it here (`vietnamese`), so
the wording is read, reviewed and corrected in one place.

Codes are `<area>.<what>` and never change meaning once released (other systems see them in API answers). The
archive's errors are the first to come here; other areas keep their sentences where they are raised until moved.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping

VI: Mapping[str, str] = {
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
    "archive.package_exists": "{folder} đã tồn tại: chọn thư mục khác cho gói chuyển giao.",
    # archive: retention and holds
    "archive.held": "Hồ sơ {record} đang bị phong tỏa: không thể tiêu hủy.",
    "archive.retained": "Hồ sơ {record} còn trong thời hạn lưu trữ ({until}): không thể tiêu hủy.",
    "archive.object_held": "Đối tượng {key} đang bị phong tỏa: không thể xóa.",
    "archive.object_retained": "Đối tượng {key} còn trong thời hạn lưu trữ đến {until}: không thể xóa.",
    "archive.shortened": "{what}: thời hạn lưu trữ (đến {until}) chỉ được kéo dài, không được rút ngắn.",
    "archive.downgraded": "{what}: khóa lưu trữ COMPLIANCE không được hạ xuống GOVERNANCE.",
    "archive.server_refused_deletion": "Máy chủ lưu trữ từ chối xóa {key} (khóa lưu trữ của máy chủ): {reason}",
    # archive: the storage itself
    "archive.cannot_write": "Không ghi được vào kho lưu trữ tại {place}: {reason}.",
    "archive.credentials_refused": "MinIO tại {endpoint} từ chối khóa truy cập ({reason}): kiểm tra "
                                   "SOHOA_MINIO_ACCESS_KEY và SOHOA_MINIO_SECRET_KEY.",
    "archive.no_bucket": "MinIO tại {endpoint} không có bucket {bucket}.",
    "archive.server_error": "MinIO: {operation} thất bại ({reason}).",
    "archive.unreachable": "Không kết nối được kho lưu trữ MinIO tại {endpoint}: {reason}",
    "archive.no_object_lock": "Bucket {bucket} không bật Object Lock: không thể dùng làm kho lưu trữ (Object Lock chỉ "
                              "bật được khi tạo bucket).",
}

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


def os_error_vi(e: OSError) -> str:
    """An operating-system error in words a clerk can act on (Python's strerror is English)."""
    return _OS_ERRORS_VI.get(e.errno or 0, f"lỗi hệ thống {e.errno}: {e.strerror or e}")


def say(code: str, **values: object) -> str:
    """The sentence for `code` with its values; KeyError for a code the catalogue does not have."""
    return VI[code].format(**values)


def vietnamese(error: BaseException) -> str:
    """What a person reads for an error: its code's sentence when it carries one the catalogue has, else its own
    words (errors not yet moved here say Vietnamese themselves)."""
    code = getattr(error, "code", None)
    values = getattr(error, "values", None)
    if isinstance(code, str) and code in VI and isinstance(values, Mapping):
        try:
            return say(code, **{"detail": str(error), **values})
        except (KeyError, IndexError, ValueError):  # a value missing: the English detail is better than nothing
            return str(error)
    return str(error)
