from pathlib import Path

import pytest

from context.settings import load_catalogue, load_settings, resolve_data_dir
from domain.catalogue import ConfigError, Validity
from domain.codes import CodeError


def test_data_dir_comes_from_argument_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("SOHOA_DATA_DIR")
    assert resolve_data_dir().name == "sohoa"


def test_settings_in_the_data_dir_and_environment_override_defaults(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "settings.toml").write_text('[agency]\ncode = "000.00.00.H64"\nname = "UBND tỉnh Gia Lai"\n'
                                            '[flow]\nworkers = 4\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert (settings.agency_code, settings.agency_name, settings.workers) == ("000.00.00.H64", "UBND tỉnh Gia Lai", 4)
    assert settings.review_threshold == 0.8  # untouched keys keep their defaults
    monkeypatch.setenv("SOHOA_AGENCY_CODE", "000.00.00.H30")
    assert load_settings(tmp_path).agency_code == "000.00.00.H30"


def test_a_misspelt_or_retired_setting_is_refused_with_its_file_and_name(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "settings.toml").write_text('[ocr]\nenigne = "tesseract"\n[flow]\nworkers = 2\n[plans]\nx = 1\n',
                                            encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)
    assert "settings.toml" in str(refused.value) and "[ocr] enigne" in str(refused.value)
    assert "[plans]" in str(refused.value) and "workers" not in str(refused.value)
    (tmp_path / "settings.toml").write_text(  # the tables whose keys a site chooses take any key
        '[signing.officers.nva]\nname = "Nguyễn Văn A"\n[plan.types]\nkhai_sinh = 250000\n'
        '[auth.ldap.roles]\n"sohoa-clerks" = "clerk"\n', encoding="utf-8")
    assert load_settings(tmp_path).agency_code
    extra = tmp_path / "extra.toml"
    extra.write_text("[archive]\nretention_shedule = \"x.toml\"\n", encoding="utf-8")
    monkeypatch.setenv("SOHOA_SETTINGS", str(extra))
    with pytest.raises(ConfigError, match=r"extra.toml.*\[archive\] retention_shedule"):
        load_settings(tmp_path)


def test_a_malformed_agency_code_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_AGENCY_CODE", "H49")
    with pytest.raises(CodeError):
        load_settings(tmp_path)


def test_document_types_come_from_the_file_named_in_the_environment(tmp_path: Path) -> None:
    default = (Path(__file__).parents[2] / "context" / "defaults" / "document_types.toml").read_text("utf-8")
    custom = tmp_path / "types.toml"
    custom.write_text(default.replace('validity = "6 months"', 'validity = "3 months"'), encoding="utf-8")
    catalogue = load_catalogue(custom)
    assert catalogue.get("tinh_trang_hon_nhan").validity == Validity(3, "Có giá trị 6 tháng kể từ ngày cấp")
    assert load_settings(tmp_path).retention.for_type("khai_sinh").years == 0


def test_broken_configuration_says_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "types.toml"
    bad.write_text("[[types]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing or unknown key"):
        load_catalogue(bad)
    with pytest.raises(ConfigError, match="validity"):
        Validity.parse("forever")


def test_each_type_reads_its_own_label_wordings_beside_the_shared_ones(tmp_path: Path) -> None:
    from pipeline.fields import extract

    default = (Path(__file__).parents[2] / "context" / "defaults" / "document_types.toml").read_text("utf-8")
    custom = tmp_path / "types.toml"
    custom.write_text(default.replace('name = [{ label = "Chủ đầu tư", role = "owner" }]',
                                      'name = [{ label = "Chủ đầu tư", role = "owner" }, '
                                      '{ label = "Người xin phép", role = "owner" }]'), encoding="utf-8")
    catalogue = load_catalogue(custom)
    form = ["Người xin phép: LÊ VĂN AN", "Sinh ngày: 02/03/1980", "Họ và tên: TRẦN THỊ BÌNH"]
    permit = extract(form, catalogue.labels_for("giay_phep_xay_dung"), title_index=None).persons
    assert [(p.role, p.name) for p in permit] == [("owner", "LÊ VĂN AN"), ("owner", "TRẦN THỊ BÌNH")]
    decision = extract(form, catalogue.labels_for("quyet_dinh"), title_index=None).persons  # not its wording
    assert [(p.role, p.name) for p in decision] == [("beneficiary", "TRẦN THỊ BÌNH")]
    assert extract(form, catalogue.labels_for(None), title_index=None).persons[-1].role == "subject"


def test_a_labels_table_of_the_old_shape_or_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    default = (Path(__file__).parents[2] / "context" / "defaults" / "document_types.toml").read_text("utf-8")
    old = tmp_path / "old.toml"
    old.write_text(default + '\n[labels.default_role]\nkhai_sinh = "registrant"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="default_role is set per document type"):
        load_catalogue(old)
    typo = tmp_path / "typo.toml"
    typo.write_text(default.replace('dob = ["Ghi bằng chữ"]', 'dobs = ["Ghi bằng chữ"]'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"type khai_sinh.*unknown keys \['dobs'\]"):
        load_catalogue(typo)


def test_the_index_backend_and_its_cluster_come_from_settings_or_environment(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert (load_settings(tmp_path).index_backend, load_settings(tmp_path).index_options) == ("sqlite", None)
    (tmp_path / "settings.toml").write_text(
        '[index]\nbackend = "elasticsearch"\n[index.elasticsearch]\nurls = ["https://es1:9200", "https://es2:9200"]\n'
        'username = "sohoa"\nindex_prefix = "gialai"\nmax_retries = 5\n', encoding="utf-8")
    es = load_settings(tmp_path).index_options
    assert es is not None and es.urls == ("https://es1:9200", "https://es2:9200")
    assert (es.username, es.index_prefix, es.max_retries, es.ca_file) == ("sohoa", "gialai", 5, None)
    assert (es.shards, es.replicas) == (1, 0)  # the shipped defaults: a one-node trial stays green
    monkeypatch.setenv("SOHOA_ES_REPLICAS", "1")
    assert load_settings(tmp_path).index_options.replicas == 1  # type: ignore[union-attr]
    monkeypatch.setenv("SOHOA_ES_REPLICAS", "-1")
    with pytest.raises(ConfigError, match="replicas 0 or more"):
        load_settings(tmp_path)
    monkeypatch.delenv("SOHOA_ES_REPLICAS")
    monkeypatch.setenv("SOHOA_ES_URL", "https://es3:9200, https://es4:9200")
    monkeypatch.setenv("SOHOA_ES_PASSWORD", "bí-mật")
    monkeypatch.setenv("SOHOA_ES_CA_FILE", "/etc/sohoa/ca.pem")
    es = load_settings(tmp_path).index_options
    assert es is not None and es.urls == ("https://es3:9200", "https://es4:9200")
    assert (es.password, es.ca_file) == ("bí-mật", "/etc/sohoa/ca.pem") and "bí-mật" not in repr(es)
    monkeypatch.setenv("SOHOA_ES_INDEX_PREFIX", "Gia Lai")
    with pytest.raises(ConfigError, match="index_prefix must be lower-case"):
        load_settings(tmp_path)
    monkeypatch.delenv("SOHOA_ES_INDEX_PREFIX")
    monkeypatch.setenv("SOHOA_INDEX_BACKEND", "solr")
    with pytest.raises(ConfigError, match="index backend must be one of 'sqlite', 'elasticsearch', not 'solr'"):
        load_settings(tmp_path)
    monkeypatch.setenv("SOHOA_INDEX_BACKEND", "elasticsearch")
    monkeypatch.delenv("SOHOA_ES_URL")
    (tmp_path / "settings.toml").unlink()
    with pytest.raises(ConfigError, match="SOHOA_ES_URL"):
        load_settings(tmp_path)
