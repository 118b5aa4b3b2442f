"""The sentences the use cases (`service.<code>`, raised as `service.errors.ServiceError`) and the command line
(`cli.<code>`, raised as `cli.common.CommandError`) say to people: beside the lower floors' sentences in
`domain.messages`, which reads both as one catalogue."""

from __future__ import annotations

from collections.abc import Mapping

USE_CASES_VI: Mapping[str, str] = {
    # the use cases: what they refuse (API answers carry the code, people read the sentence)
    "service.account_locked": "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {minutes} phút hoặc nhờ "
                              "quản trị viên mở khóa.",
    "service.already_permanent": "Hồ sơ {result_code} đã được lưu trữ vĩnh viễn.",
    "service.applicant_required": "Kiểm tra khi tiếp nhận cần số định danh cá nhân, số CMND hoặc họ tên cùng ngày sinh "
                                  "của người nộp hồ sơ.",
    "service.bad_api_key": "Khóa API không hợp lệ hoặc đã bị thu hồi.",
    "service.bad_client_role": "Vai trò của hệ thống gọi API phải là một trong {roles}",
    "service.bad_day": "{what} không đúng dạng ngày (dd/mm/yyyy): {value!r}",
    "service.bad_dob": "Ngày sinh không đúng dạng ngày (dd/mm/yyyy) hay năm (yyyy): {dob!r}",
    "service.bad_dossier_code": "Mã hồ sơ phải có dạng <mã cơ quan>-<YYMMDD>-<XXXX>, ví dụ 000.00.00.H49-230614-0007: "
                                "{dossier_code!r}",
    "service.bad_file": "Tệp phải là một trong {files}",
    "service.bad_form": "Số dòng người trong biểu mẫu không hợp lệ ({rows!r}): tải lại trang rà soát.",
    "service.bad_issue_day": "Ngày cấp không đúng dạng ngày (dd/mm/yyyy): {issue_text!r}",
    "service.bad_link_lifetime": "Thời hạn liên kết phải lớn hơn 0 và không quá {longest:g} phút (cấu hình "
                                 "download_link_max_minutes); đã yêu cầu {chosen:g} phút.",
    "service.bad_old_id": "Số CMND phải có 9 chữ số: {old_id!r}",
    "service.bad_personal_number": "Số định danh cá nhân phải có 12 chữ số (hoặc số CMND 9 chữ số): {number!r}",
    "service.bad_role": "Vai trò phải là một trong {roles}",
    "service.bad_username": "Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang: "
                            "{username!r}",
    "service.cannot_resign": "Không ký lại được bản sao: {reason}",
    "service.client_name_required": "Cần tên của hệ thống gọi API",
    "service.csrf_failed": "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token); tải lại trang.",
    "service.csrf_failed_form": "Biểu mẫu đã cũ hoặc không do trang này gửi (thiếu mã chống giả mạo); hãy tải lại "
                                "trang và gửi lại.",
    "service.directory_bind_failed": "Không đăng nhập được vào thư mục LDAP bằng tài khoản đọc đã cấu hình; báo quản "
                                     "trị viên.",
    "service.directory_error": "Thư mục LDAP trả lỗi: {reason}",
    "service.directory_unavailable": "Không kết nối được thư mục LDAP {url}: {reason}",
    "service.dossier_required": "Cần nhập mã hồ sơ mới để ghi nhận giấy tờ không phải nộp lại.",
    "service.empty_file": "Tệp gửi lên rỗng.",
    "service.folder_holds_data": "Thư mục {folder} chứa hoặc nằm trong thư mục dữ liệu của sohoa (kho lưu trữ, khóa): "
                                 "không số hóa lại chính kho lưu trữ.",
    "service.link_expired": "Liên kết tải đã hết hạn, hãy yêu cầu liên kết mới.",
    "service.link_revoked": "Liên kết tải đã hết hiệu lực: hệ thống hoặc tài khoản đã tạo ra nó bị thu hồi.",
    "service.name_needs_dob": "Tra cứu theo họ tên cần cả họ tên và ngày sinh",
    "service.name_required": "Cần họ tên của người dùng",
    "service.no_batch": "Không có lô số hóa {batch_id}",
    "service.no_client": "Không có hệ thống gọi API {client_id}",
    "service.no_file": "Chưa chọn tệp bản sao để xác thực.",
    "service.no_folder": "Không có thư mục {folder} trên máy chủ (cần đường dẫn tuyệt đối)",
    "service.no_label": "Không có nhãn đã học {label_id}",
    "service.no_link": "Liên kết tải không hợp lệ.",
    "service.no_officer_key": "Chưa cấu hình chữ ký số cá nhân cho người rà soát {identity} "
                              "([signing.officers.{identity}]): không ký lại được bản sao. ({reason})",
    "service.no_procedure": "Chưa cấu hình thủ tục {procedure}; các thủ tục đã cấu hình: {known}",
    "service.no_procedures": "Chưa cấu hình thủ tục {procedure}; các thủ tục đã cấu hình: không có",
    "service.no_query": "Cần một trong: số định danh cá nhân, số CMND, họ tên cùng ngày sinh, mã hồ sơ hoặc mã kết "
                        "quả, số/ký hiệu giấy tờ",
    "service.no_record": "Không có hồ sơ với mã kết quả {result_code}",
    "service.no_record_file": "Tệp không còn trong kho lưu trữ.",
    "service.no_records": "Cần ít nhất một mã kết quả để đóng gói.",
    "service.no_scans": "Chọn tệp bản quét để tải lên, hoặc ghi đường dẫn thư mục trên máy chủ.",
    "service.no_search_terms": "Cần từ khóa tìm kiếm (hoặc nơi lưu bản giấy: phông, mục lục, hộp, hồ sơ)",
    "service.no_user": "Không có tài khoản {username}",
    "service.not_a_pdf": "Tệp gửi lên không phải PDF: bản sao điện tử là tệp PDF có chữ ký số.",
    "service.not_authenticated": "Cần đăng nhập (phiên làm việc) hoặc khóa API hợp lệ (Authorization: Bearer …); phiên "
                                 "cũ có thể đã hết hạn.",
    "service.not_local_account": "Chỉ tài khoản nội bộ đổi mật khẩu ở đây; mật khẩu LDAP hoặc đăng nhập một lần đổi "
                                 "tại hệ thống của tỉnh.",
    "service.not_looked_up": "Tài khoản {identity} chỉ lấy được bản sao của giấy tờ mà lượt tra cứu của chính mình đã "
                             "trả về trong ngày làm việc; hãy tra cứu công dân trước.",
    "service.not_verifiable": "{reason}",
    "service.nothing_to_change": "Không có gì để hiệu đính.",
    "service.outside_scan_roots": "Chỉ số hóa được thư mục nằm trong thư mục quét của cơ quan ({roots}; cấu hình "
                                  "[flow] scan_roots); thư mục khác trên máy chủ không được gửi qua API hay cổng.",
    "service.own_records_only": "Công dân chỉ tra cứu được giấy tờ của chính mình.",
    "service.page_not_allowed": "Tài khoản {identity} ({role}) không dùng được trang này.",
    "service.password_change_required": "Cần đổi mật khẩu được cấp trước khi làm việc (POST /v1/auth/password).",
    "service.purpose_required": "Cần ghi rõ mục đích tra cứu (ví dụ: \"Tiếp nhận hồ sơ cấp phép xây dựng\"); mục đích "
                                "được ghi vào nhật ký kiểm toán.",
    "service.rate_limited": "Đã tra cứu {limit} lượt (tính theo số người được trả về) trong một phút, giới hạn của tài "
                            "khoản này; thử lại sau {wait} giây.",
    "service.rate_limited_intake": "Đã chạm giới hạn tra cứu mỗi phút của tài khoản (tính theo số người được trả về), "
                                   "nên chưa thể nói đủ giấy tờ nào công dân không phải nộp lại; thử lại sau một phút.",
    "service.reason_required": "Cần ghi rõ lý do hiệu đính; lý do được lưu cùng phiên bản mới.",
    "service.reason_required_for": "Cần ghi rõ lý do {what}; lý do được ghi vào nhật ký kiểm toán.",
    "service.report_purpose_required": "Cần ghi rõ mục đích của báo cáo truy cập (ví dụ: \"Trả lời yêu cầu của công "
                                       "dân theo NĐ 13/2023\").",
    "service.role_not_allowed": "Tài khoản {identity} (vai trò {role}) không được {what}.",
    "service.same_password": "Mật khẩu mới phải khác mật khẩu cũ.",
    "service.source_locked": "Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau {minutes} phút.",
    "service.sso_misconfigured": "Nhà cung cấp định danh tự xưng {announced!r}, không phải {issuer!r} như cấu hình.",
    "service.sso_not_configured": "Chưa cấu hình đăng nhập một lần (OpenID Connect) cho hệ thống này.",
    "service.sso_refused": "Đăng nhập một lần không thành công; hãy thử lại từ đầu.",
    "service.sso_refused_by_provider": "Nhà cung cấp định danh không cho đăng nhập.",
    "service.sso_refused_saying": "Nhà cung cấp định danh không cho đăng nhập: {reason}",
    "service.sso_token_exchange": "Không đổi được mã đăng nhập: {reason}",
    "service.sso_unavailable": "Không kết nối được nhà cung cấp định danh {issuer}: {reason}",
    "service.sso_userinfo": "Không đọc được thông tin người dùng: {reason}",
    "service.stack_missing": "Không còn tệp quét gốc {stack} trong kho lưu trữ.",
    "service.too_large": "Tệp lớn hơn giới hạn {mb} MB.",
    "service.too_large_named": "Tệp {filename} lớn hơn giới hạn {mb} MB.",
    "service.too_many_unknown_codes": "Đã hỏi {limit} mã kết quả không có trong kho (hoặc không thuộc quyền xem của "
                                      "tài khoản) trong một giờ: việc xem hồ sơ theo mã tạm dừng (tối đa một giờ); cán "
                                      "bộ lưu trữ đã được báo.",
    "service.unknown_field": "Không có trường {unknown}; các trường sửa được: {fields}",
    "service.unknown_type": "Không có loại giấy tờ {unknown}; các loại: {known}",
    "service.user_exists": "Đã có tài khoản {username}",
    "service.weak_password": "Mật khẩu cần ít nhất {length} ký tự.",
    "service.would_shorten": "Hồ sơ {result_code} đã được giữ đến {until:%d/%m/%Y}; chỉ gia hạn được tới một ngày sau "
                             "đó.",
    "service.wrong_credentials": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "service.wrong_password": "Mật khẩu hiện tại không đúng.",
    # the command line: a mistake in a command's arguments, or what it cannot do
    "cli.actor_required": "Cần ghi rõ người tra cứu: --actor <tài khoản> (hoặc biến SOHOA_ACTOR); mỗi lần đọc dữ liệu "
                          "cá nhân được ghi vào nhật ký kiểm toán với tên người đọc.",
    "cli.bad_day": "Không hiểu {what} {text!r} (dùng dd/mm/yyyy hoặc YYYY-MM-DD)",
    "cli.bad_person": "Không hiểu --person {text!r}: dùng role=…;name=…;dob=…;personal_number=…;old_id=…;sex=…",
    "cli.client_name_required": "Cần --name: tên hệ thống gọi API",
    "cli.client_required": "Cần mã hệ thống gọi API cần thu hồi",
    "cli.label_required": "Cần mã của nhãn đã học cần gỡ (xem: sohoa labels list)",
    "cli.links_served_by_minio": "Kho MinIO tự phục vụ liên kết tải; lệnh này chỉ dùng cho kho trên đĩa.",
    "cli.name_required": "Cần --name: họ tên người dùng",
    "cli.no_file": "Không có tệp {path}",
    "cli.no_folder": "Không có thư mục {folder}",
    "cli.no_record": "Không có hồ sơ với mã kết quả {result_code}",
    "cli.person_role_required": "--person cần role=… (vai trò của người trong giấy tờ): {text!r}",
    "cli.prefect_unreachable": "Không gửi được lô tới máy chủ Prefect {server}: {reason}",
    "cli.record_required": "Cần mã kết quả của hồ sơ đề nghị tiêu hủy",
    "cli.refused": "{reason}",
    "cli.request_required": "Cần mã đề nghị tiêu hủy",
    "cli.unreadable_file": "Không đọc được {path}: {reason}",
    "cli.username_required": "Cần tên đăng nhập",
    "cli.value_required": "Cần {what}",
}
