"""Charts drawn on the server say their figures in words (for screen readers, and for anyone who cannot tell the
colours apart), and escape what they are given."""

from portal.charts import bar_chart, percent, vn_number


def test_a_chart_names_itself_and_writes_every_figure() -> None:
    svg = str(bar_chart("Trang theo cấp", [("Cấp xã", 1417867), ("Cấp <tỉnh>", 4)], unit="trang",
                        targets=[2_000_000, None]))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg and "<title>Trang theo cấp</title>" in svg
    assert "<desc>Cấp xã: 1.417.867 trang; Cấp &lt;tỉnh&gt;: 4 trang</desc>" in svg
    assert "1.417.867 trang / 2.000.000 (70,9%)" in svg  # against its target, in words
    assert "<tỉnh>" not in svg


def test_numbers_and_shares_are_written_the_vietnamese_way_and_an_empty_chart_says_so() -> None:
    assert (vn_number(1872917), percent(0.8)) == ("1.872.917", "80,0%")
    assert "chưa có số liệu" in str(bar_chart("Theo ngày", []))
