"""Which roles may run which use case: one table, checked by every use case before it reads or writes anything.

The console (a person with a shell on the archive machine) may run them all: the data directory is theirs to read
anyway. A citizen's reads are further limited to records naming their own personal number (service.lookup).
"""

from __future__ import annotations

from domain.actor import Actor, Role
from service.errors import Refused

ALLOWED: dict[str, frozenset[Role]] = {
    "lookup": frozenset({"clerk", "citizen", "console"}),  # a citizen: their own number only (service.citizens)
    "intake_check": frozenset({"clerk", "console"}),
    "search": frozenset({"clerk", "reviewer", "archivist", "console"}),
    "show": frozenset({"clerk", "reviewer", "archivist", "citizen", "console"}),
    "download_link": frozenset({"clerk", "citizen", "console"}),  # a clerk: what their lookups returned
    "verify": frozenset({"clerk", "reviewer", "archivist", "admin", "citizen", "operator", "console", "public"}),
    "review_queue": frozenset({"reviewer", "console"}),
    "review_backlog": frozenset({"reviewer", "operator", "archivist", "console"}),
    "statistics": frozenset({"archivist", "operator", "console"}),  # counts and pages only, no personal data
    "correct": frozenset({"reviewer", "console"}),
    "legal_hold": frozenset({"archivist", "console"}),
    "extend_retention": frozenset({"archivist", "console"}),
    "disposition": frozenset({"archivist", "console"}),
    "audit": frozenset({"archivist", "console"}),
    "export": frozenset({"archivist", "console"}),
    "submit_batch": frozenset({"operator", "console"}),
    "batch_status": frozenset({"operator", "archivist", "console"}),
    "manage_clients": frozenset({"admin", "console"}),
    "manage_users": frozenset({"admin", "console"}),
    "manage_labels": frozenset({"admin", "console"}),
}
WHAT_VI = {
    "lookup": "tra cứu giấy tờ của công dân", "intake_check": "kiểm tra giấy tờ khi tiếp nhận hồ sơ",
    "search": "tìm kiếm hồ sơ", "show": "xem hồ sơ",
    "download_link": "lấy liên kết tải bản sao", "verify": "xác minh bản sao", "review_queue": "xem hàng đợi rà soát",
    "review_backlog": "xem số hồ sơ chờ rà soát",
    "statistics": "xem số liệu kho lưu trữ và tiến độ số hóa",
    "correct": "hiệu đính hồ sơ", "legal_hold": "phong tỏa hồ sơ", "extend_retention": "gia hạn lưu trữ",
    "disposition": "đề nghị hoặc phê duyệt tiêu hủy", "audit": "xem báo cáo kiểm toán",
    "export": "xuất danh mục hoặc gói chuyển giao",
    "submit_batch": "gửi lô số hóa", "batch_status": "xem tiến độ lô số hóa",
    "manage_clients": "quản lý hệ thống gọi API", "manage_users": "quản lý tài khoản",
    "manage_labels": "quản lý nhãn đã học",
}


def require(actor: Actor, use_case: str) -> None:
    """Refuse the actor unless their role may run this use case."""
    if actor.role not in ALLOWED[use_case]:
        raise Refused("role_not_allowed", identity=actor.identity, role=actor.role, what=WHAT_VI[use_case])
