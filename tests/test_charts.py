"""Server-side SVG bar charts: the records' geometry and the rendered macro (well-formed, escaped, accessible)."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from marketplace import create_app
from marketplace.charts import (
    CHARS_PER_LINE,
    WIDTH,
    Bar,
    BarChart,
    _wrap,
    bar_chart,
    format_number,
    grouped_chart,
    top_n,
)
from marketplace.config import TestingConfig

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def render():
    app = create_app(TestingConfig())

    def render(chart, chart_id="graphique", **options) -> str:
        with app.test_request_context():
            return str(app.jinja_env.get_template("_charts.html").module.bar_chart(chart, chart_id, **options))

    return render


class _TreeBuilder(HTMLParser):
    """HTML into an ElementTree (the stdlib has no HTML tree parser); void elements closed at once."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "rect"}

    def __init__(self):
        super().__init__()
        self.builder = ET.TreeBuilder()
        self.builder.start("root", {})

    def handle_starttag(self, tag, attrs):
        self.builder.start(tag, {k: v or "" for k, v in attrs})
        if tag in self.VOID:
            self.builder.end(tag)

    def handle_startendtag(self, tag, attrs):
        self.builder.start(tag, {k: v or "" for k, v in attrs})
        self.builder.end(tag)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.builder.end(tag)

    def handle_data(self, data):
        self.builder.data(data)


def html_tree(html: str) -> ET.Element:
    parser = _TreeBuilder()
    parser.feed(html)
    parser.close()
    parser.builder.end("root")
    return parser.builder.close()


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def _svg(html: str) -> ET.Element:
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def _bar_widths(svg: ET.Element) -> list[float]:
    return [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect") if "chart-bar" in rect.get("class", "")]


def test_bar_widths_are_proportional_to_values():
    chart = bar_chart("Rencontres", "rencontres", [("Lundi", 40), ("Mardi", 20), ("Mercredi", 10)])
    widths = [row.bars[0].width for row in chart.layout.rows]
    assert widths[0] == chart.layout.plot_width
    assert widths[1] == pytest.approx(widths[0] / 2)
    assert widths[2] == pytest.approx(widths[0] / 4)
    # the value is written right after its bar, inside the drawing
    for row in chart.layout.rows:
        bar = row.bars[0]
        assert bar.text_x > bar.x + bar.width
        assert bar.text_x + len(bar.text) * 9 <= chart.layout.width


def test_scale_max_fixes_the_full_length():
    chart = bar_chart("Part", "%", [("A", 50)], scale_max=100)
    assert chart.layout.rows[0].bars[0].width == pytest.approx(chart.layout.plot_width / 2)


def test_rendered_svg_is_well_formed_with_proportional_bars(render):
    chart = grouped_chart("Programmées et tenues", "rencontres", ("Programmées", "Tenues"),
                          [("12/03/2027", (30, 15)), ("13/03/2027", (10, 0))], label_heading="Jour")
    html = render(chart)
    svg = _svg(html)
    assert svg.get("role") == "img"
    labelled_by = svg.get("aria-labelledby").split()
    assert [svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")] == labelled_by
    assert "12/03/2027 (Programmées : 30, Tenues : 15)" in svg.find(f"{SVG}desc").text
    widths = _bar_widths(svg)
    # legend swatches (2) then bars: 30, 15, 10 (the zero bar is not drawn)
    bars = widths[2:]
    assert len(bars) == 3
    assert bars[1] == pytest.approx(bars[0] / 2, abs=0.01)  # widths are rounded to 0.01 unit
    assert bars[2] == pytest.approx(bars[0] / 3, abs=0.01)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts.count("0") == 1  # a zero value is still written
    # the second series is hatched too (never colour alone)
    hatched = [r for r in svg.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(#graphique-hachures)")]
    assert len(hatched) == 2  # legend swatch and the 15


def test_zero_values_draw_no_bar_and_no_division_by_zero(render):
    chart = bar_chart("Rien", "rencontres", [("A", 0), ("B", 0)])
    assert chart.is_empty
    assert all(row.bars[0].width == 0 for row in chart.layout.rows)
    html = render(chart)
    assert "<svg" not in html
    assert "Aucune donnée à représenter" in html
    table = html_tree(html).find(".//table")
    assert [text(th) for th in table.findall("./tbody/tr/th[@scope='row']")] == ["A", "B"]


def test_empty_data_shows_a_sentence_and_an_empty_table(render):
    chart = bar_chart("Vide", "rencontres", [])
    html = render(chart)
    assert chart.is_empty
    assert "<svg" not in html
    tree = html_tree(html)
    assert text(tree.find(".//caption")) == "Vide"
    assert "Aucune donnée." in text(tree.find(".//tbody"))


def test_labels_are_escaped_in_svg_and_table(render):
    chart = bar_chart("<b>Titre</b>", "rencontres", [("<script>alert(1)</script> & Cie", 3)])
    html = render(chart)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie" in html
    svg = _svg(html)  # still parses: the escaping kept it well-formed
    assert "<script>alert(1)</script> & Cie" in "".join(t.text or "" for t in svg.iter(f"{SVG}text"))


def test_the_table_behind_the_chart_has_caption_and_scoped_headers(render):
    chart = grouped_chart("Par statut QPV", "entrepreneurs", ("Inscrits", "Rencontrés"),
                          [("QPV vérifié", (12, 9)), ("Hors QPV", (1300, 4))], label_heading="Statut QPV")
    details = html_tree(render(chart)).find(".//details")
    assert text(details.find("summary")).startswith("Voir les données du graphique")
    assert "open" not in details.attrib
    region = details.find(".//div[@role='region']")
    assert region.get("tabindex") == "0"
    table = region.find("table")
    assert text(table.find("caption")) == "Par statut QPV"
    assert [text(th) for th in table.findall("./thead/tr/th[@scope='col']")] == ["Statut QPV", "Inscrits", "Rencontrés"]
    rows = [[text(cell) for cell in tr] for tr in table.findall("./tbody/tr")]
    assert rows == [["QPV vérifié", "12", "9"], ["Hors QPV", "1\u202f300", "4"]]
    assert "open" in html_tree(render(chart, table_open=True)).find(".//details").attrib


def test_no_inline_style_or_script(render):
    html = render(grouped_chart("T", "u", ("A", "B"), [("x", (1, 2))]))
    assert "style=" not in html
    assert "<script" not in html


def test_long_labels_wrap_then_are_cut():
    label = ("Services de nettoyage et d'hygiène dans les zones urbaines ou rurales et services connexes divers, "
             "y compris la désinfection et la dératisation")
    lines = _wrap(label)
    assert len(lines) == 2
    assert all(len(line) <= CHARS_PER_LINE for line in lines)
    assert lines[1].endswith("…")
    assert _wrap("Court") == ("Court",)
    assert all(len(line) <= CHARS_PER_LINE for line in _wrap("x" * 200))
    chart = bar_chart("T", "u", [(label, 1)])
    assert chart.layout.rows[0].label == label  # the whole label stays for the tooltip and the table


def test_a_legend_too_wide_for_one_line_wraps_and_stays_inside():
    chart = grouped_chart("T", "u", ("Inscrits", "Ayant au moins une rencontre programmée"), [("a", (2, 1))])
    first, second = chart.layout.legend
    assert second.y > first.y
    assert second.x == 0
    assert second.text_x + len(second.name) * 8.5 <= WIDTH
    assert chart.layout.rows[0].line_ys[0] > second.text_y  # the first label is drawn under the legend
    short = grouped_chart("T", "u", ("A", "B"), [("a", (2, 1))]).layout.legend
    assert short[0].y == short[1].y
    assert short[1].x > 0


def test_rows_must_match_series_and_values_be_positive():
    with pytest.raises(ValueError, match="expected 2"):
        BarChart("T", "u", (Bar("a", (1,)),), series=("A", "B"))
    with pytest.raises(ValueError, match="negative"):
        bar_chart("T", "u", [("a", -1)])
    with pytest.raises(ValueError, match="at most"):
        BarChart("T", "u", (), series=("A", "B", "C"))


def test_top_n_sums_the_rest():
    assert top_n([("a", 3), ("b", 5), ("c", 1), ("d", 2)], 2) == [("b", 5), ("a", 3), ("Autres", 3)]
    assert top_n([("a", 3), ("b", 5)], 2) == [("b", 5), ("a", 3)]
    assert top_n([("a", 3), ("b", 0)], 1, other_label="Reste") == [("a", 3)]


def test_french_numbers():
    assert format_number(1300) == "1\u202f300"
    assert format_number(2.5) == "2,5"
    assert format_number(0) == "0"
