"""The inputs people have, through the real commands: saved web pages, PDF e-paper pages in two to
four columns, Word files, CSV/TSV and JSON arrays, dates as feeds give them, and kg's own output
lying among the sources."""

from __future__ import annotations

import json
import re
import random
from pathlib import Path

import pytest
from conftest import run_kg as kg
from formats import (
    ARTICLES,
    CPPCC,
    EXHIBITION,
    EXPECTED,
    SAFETY,
    browser_pdf,
    docx_file,
    facts,
    html_page,
    json_array,
    pdf_page,
    plain,
    records,
    table_text,
    xlsx_file,
)

CANONICAL = "https://www.ykrb.example/news/2024/0111/1234.html"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"  # the bundled page: real articles


def _query(out, sparql: str) -> list[list[str]]:
    result = kg("query", "-s", out, sparql, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _built(tmp_path, *sources, expect: int = 0):
    out = tmp_path / "out"
    result = kg("build", *sources, "-o", out, "--no-resolve")
    assert result.returncode == expect, result.stderr
    return out, result


def _noise(seed: int, size: int) -> bytes:
    """Random bytes without NUL."""
    rng = random.Random(seed)
    return bytes(rng.randrange(1, 256) for _ in range(size))


def _by_title(stdout: str) -> dict[str, dict]:
    return {r["title"]: r for r in records(stdout)}


def _assert_expected(by_title: dict[str, dict], articles) -> None:
    for article in articles:
        title = article[0]
        assert title in by_title, (title, list(by_title))
        assert EXPECTED[title] in facts(by_title[title]), (title, facts(by_title[title]))


# --- saved web pages ---------------------------------------------------------------------------


def test_a_saved_web_page_gives_its_article_without_navigation_or_footer(tmp_path):
    page = tmp_path / "1234.html"
    page.write_text(html_page(SAFETY, canonical=CANONICAL), encoding="utf-8")
    other = tmp_path / "other.htm"  # no canonical link: og:url; saved in GB18030
    other.write_bytes(html_page(EXHIBITION, og_url="https://www.ykrb.example/n/99.html", date="2024-01-10").replace("utf-8", "gb18030").encode("gb18030"))
    result = kg("extract", page, other)
    assert result.returncode == 0, result.stderr
    by_title = _by_title(result.stdout)
    _assert_expected(by_title, [SAFETY, EXHIBITION])
    safety = by_title[SAFETY[0]]
    assert safety["date"] == "2024-01-11" and safety["url"] == CANONICAL
    assert by_title[EXHIBITION[0]]["url"] == "https://www.ykrb.example/n/99.html"
    assert by_title[EXHIBITION[0]]["date"] == "2024-01-10"
    # both addresses: the canonical link wins, a relative one read against og:url
    both = tmp_path / "both.html"
    both.write_text(html_page(SAFETY, canonical="/n/7.html", og_url="https://m.ykrb.example/share/7"), encoding="utf-8")
    (record,) = records(kg("extract", both).stdout)
    assert record["url"] == "https://m.ykrb.example/n/7.html"
    texts = " ".join(m["text"] for r in by_title.values() for m in r["mentions"])
    for furniture in ("政务公开", "登录注册", "版权所有", "浙ICP备", "相关新闻", "五金博览会"):
        assert furniture not in texts and all(furniture not in f["evidence"]["sentence"] for r in by_title.values() for f in r["facts"])
    # evidence offsets into the saved page point at the same characters
    source = page.read_text(encoding="utf-8")
    (sentence,) = {f["evidence"]["sentence"] for f in safety["facts"] if f["kind"] == "participation" and f["subject"]["text"] == "李浩锋"}
    assert sentence in source


def test_a_saved_web_page_through_kg_build(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1234.html").write_text(html_page(SAFETY, canonical=CANONICAL), encoding="utf-8")
    out, _ = _built(tmp_path, tmp_path / "in")
    rows = _query(out, "PREFIX schema: <https://schema.org/> SELECT ?url ?d ?h WHERE { ?a schema:url ?url ; schema:datePublished ?d ; schema:headline ?h }")
    assert rows == [{"url": CANONICAL, "d": "2024-01-11", "h": SAFETY[0]}]
    people = {r["who"] for r in _query(out, "PREFIX schema: <https://schema.org/> SELECT ?who WHERE { ?e schema:attendee/schema:name ?who }")}
    assert {"胡勇春", "李浩锋", "吴东明"} <= people


# --- traditional characters ---------------------------------------------------------------------

HONG_KONG = "林鄭月娥出席立法會會議\n\n2019年5月10日，行政長官林鄭月娥昨日出席立法會會議並發言，政務司司長張建宗陪同。\n"
MAINLAND = "林郑月娥出席全港工作会议\n\n2019年5月10日，行政长官林郑月娥出席全港工作会议并讲话。\n"


def test_a_traditional_article_through_kg_extract_and_kg_build(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hk.txt").write_bytes(HONG_KONG.encode("big5"))  # as Hong Kong sites save it
    (tmp_path / "in" / "cn.txt").write_text(MAINLAND, encoding="utf-8")
    result = kg("extract", tmp_path / "in" / "hk.txt", "--pub-date", "2019-05-10")
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["script"] == "traditional" and record["title"] == "林鄭月娥出席立法會會議"
    parts = {(f["subject"]["text"], f["subject"]["norm"], f["role"], f["object"]["text"]) for f in record["facts"] if f["kind"] == "participation"}
    assert ("林鄭月娥", "林郑月娥", "attendee", "立法會會議") in parts  # the headline too: no surname lost where it opens
    assert ("張建宗", "张建宗", "attendee", "立法會會議") in parts
    for f in record["facts"]:
        assert HONG_KONG[f["evidence"]["start"] : f["evidence"]["end"]] == f["evidence"]["sentence"]  # printed, in its script
    out, _ = _built(tmp_path, tmp_path / "in", "--pub-date", "2019-05-10")
    rows = _query(out, "PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                       "SELECT DISTINCT ?p ?alt WHERE { ?e schema:attendee ?p . ?p schema:name ?n . OPTIONAL { ?p skos:altLabel ?alt } FILTER(STRSTARTS(?n, '林')) }")
    assert {r["p"] for r in rows} == {"https://w3id.org/kg-news/id/person/" + rows[0]["p"].rsplit("/", 1)[1]}  # one node for both
    assert "林郑月娥" in {r.get("alt") for r in rows}  # the key
    events = {r["n"] for r in _query(out, "PREFIX schema: <https://schema.org/> SELECT ?n WHERE { ?e schema:attendee ?p ; schema:name ?n }")}
    assert {"立法會會議", "全港工作会议"} <= events  # each named as its article prints it
    attendance = [r for r in _query(out, "attendance") if r["participant"] in ("林鄭月娥", "林郑月娥")]
    assert len({(r["event"], r["role"]) for r in attendance}) == len(attendance) >= 2  # a row per event and role, not per printed name
    assert {r["event"] for r in attendance} == {"立法會會議", "全港工作会议"}
    posts = [r for r in _query(out, "posts") if r["person"] in ("林鄭月娥", "林郑月娥")]
    assert len(posts) == 1 and int(posts[0]["articles"]) == 2  # 行政長官 and 行政长官: one post, one row


def test_taiwan_and_hong_kong_inputs_are_named_as_they_print_them(tmp_path):
    """A Taiwan feed with traditional headers and a date of the Republic, a converted Hong Kong
    page with pinyin glosses: names, bodies and posts as printed, dates read."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "tw.csv").write_text("標題,內容,發佈時間\n防災會議召開,花蓮縣政府舉行防災會議，縣長徐榛蔚主持。花蓮縣府表示將加強整備。,民國113年3月5日\n", encoding="utf-8")
    (tmp_path / "in" / "hk.txt").write_text("行政長官林(lín)鄭(zhèng)月(yuè)娥出席立法會(huì)會議。\n", encoding="utf-8")
    result = kg("extract", tmp_path / "in" / "tw.csv")
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert (record["title"], record["date"]) == ("防災會議召開", "2024-03-05")
    out, _ = _built(tmp_path, tmp_path / "in", "--pub-date", "2024-03-06")
    attendance = {(r["participant"], r["role"], r["event"]) for r in _query(out, "attendance")}
    assert {("徐榛蔚", "chair", "防災會議"), ("花蓮縣政府", "host", "防災會議")} <= attendance  # not 花莲县人民政府
    assert ("林鄭月娥", "attendee", "立法會會議") in attendance  # the glosses are no part of the names
    posts = {(r["person"], r["post"]) for r in _query(out, "posts")}
    assert posts == {("徐榛蔚", "縣長"), ("林鄭月娥", "行政長官")}
    bodies = [r["organization"] for r in _query(out, "organizations") if r["organization"].startswith("花")]
    assert bodies == ["花蓮縣政府"]  # 花蓮縣府 is the same body, named as it names itself


def test_a_web_page_s_printed_date_wins_over_a_guess(tmp_path):
    """htmldate makes 2024-01-01 of a page whose only full date is a labelled one it cannot
    read; the date the page prints under a date label (發布時間, 发布日期, 日期) is the article's."""
    page = tmp_path / "tw.html"
    page.write_text('<!DOCTYPE html><html lang="zh-TW"><head><meta charset="utf-8"><title>花蓮縣府召開防災會議 - 東部新聞網</title></head><body>'
                    '<header><a href="/">東部新聞網</a> <a href="/local">地方</a></header><main><h1>花蓮縣府召開防災會議</h1>'
                    '<p class="time">發布時間：2024年3月5日 10:20</p><p>花蓮縣政府昨日上午在縣府大禮堂召開年度防災會議，縣長徐榛蔚主持會議，副縣長顏新章出席會議。</p>'
                    '<p>徐榛蔚指出，花蓮地處地震帶，防災工作必須常態化，各局處要落實災害防救計畫，確保縣民生命財產安全。</p></main>'
                    '<footer>東部新聞網 版權所有</footer></body></html>', encoding="utf-8")
    result = kg("extract", page)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["date"] == "2024-03-05"
    assert "2024-03-04" in {m.get("norm") for m in record["mentions"] if m["type"] == "date"}  # 昨日, against the printed date


def test_an_attendance_row_tells_one_report_of_it(tmp_path):
    """An event two articles report is one row a participant: its article, sentence, list and
    position are those of one report (a listed one first), not each from another."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("1月11日，全市安全生产工作会议召开。市长李明出席会议。\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("1月11日，全市安全生产工作会议召开。市领导胡勇春、李明、吴东明出席会议。\n", encoding="utf-8")
    result = kg("build", tmp_path / "in", "-o", tmp_path / "out", "--pub-date", "2024-01-12", "--no-picture")
    assert result.returncode == 0, result.stderr
    rows = [r for r in _query(tmp_path / "out", "attendance") if r["participant"] == "李明"]
    assert len(rows) == 1, rows  # one event, resolved across the two articles
    (row,) = rows
    printed = {"in/a.txt": ("市长李明出席会议。", 1), "in/b.txt": ("市领导胡勇春、李明、吴东明出席会议。", 2)}
    assert row["list"].startswith(row["article"] + "@") and (row["evidence"], row["position"]) == printed[row["article"]]


@pytest.mark.parametrize("address, ends", [
    ("https://www.info.gov.hk/gia/general/202403/05/P2024030500456.htm", ""),  # the day in the address
    ("https://www.info.gov.hk/gia/general/today.htm", "<p>2024年3月5日（星期二）</p>"),  # printed at its foot
])
def test_a_press_release_without_a_date_label_is_dated_by_its_address_or_its_foot(tmp_path, address, ends):
    page = tmp_path / "release.htm"
    page.write_text(f'<!DOCTYPE html><html lang="zh-HK"><head><meta charset="utf-8"><title>行政長官出席立法會答問大會</title>'
                    f'<link rel="canonical" href="{address}"></head><body><h1>行政長官出席立法會答問大會</h1>'
                    '<p>行政長官李家超今日出席立法會答問大會，回答議員提問。政務司司長陳國基陪同出席。</p>'
                    '<p>李家超表示，政府會繼續推動經濟發展，改善民生，與立法會保持良好溝通。</p>'
                    f'{ends}<p>完</p></body></html>', encoding="utf-8")
    result = kg("extract", page)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["date"] == "2024-03-05" and record["url"] == address  # not htmldate's 2024-01-01


def test_a_short_page_keeps_its_paragraphs_apart(tmp_path):
    """On a short page trafilatura falls back to a reading that runs headline, date line and body
    into one line (so 昨日 shared a sentence with the page's date); the paragraphs stay apart."""
    page = tmp_path / "hk.htm"
    page.write_bytes(('<!DOCTYPE html><html lang="zh-HK"><head><meta charset="big5"><title>行政長官出席立法會答問大會 | 香港新聞網</title>'
                      '<meta property="article:published_time" content="2024-03-05T10:00:00+08:00"></head><body>'
                      '<nav><ul><li><a href="/">首頁</a></li><li><a href="/local">港聞</a></li></ul></nav><article>'
                      '<h1>行政長官出席立法會答問大會</h1><div class="meta">2024年3月5日 星期二</div>'
                      '<p>【本報訊】行政長官李家超昨日出席立法會行政長官答問大會，回答議員提問。政務司司長陳國基陪同出席。</p>'
                      '<p>立法會主席梁君彥主持答問大會。</p><p>李家超表示，特區政府會繼續推動經濟發展。</p></article>'
                      '<footer><p>版權所有 香港新聞網</p></footer></body></html>').encode("big5"))
    result = kg("extract", page)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["date"] == "2024-03-05"
    assert [f["value"] for f in record["facts"] if f["kind"] == "event_date"] == ["2024-03-04"]  # 昨日, not the page's date


def test_a_page_with_no_article_is_named(tmp_path):
    empty = tmp_path / "nav.html"
    empty.write_text('<!DOCTYPE html><html><body><nav><a href="/">首页</a></nav></body></html>', encoding="utf-8")
    result = kg("extract", empty)
    assert result.returncode == 2
    assert f"kg: skipped {empty}: a web page with no article text" in result.stderr


# --- PDF ---------------------------------------------------------------------------------------

LAYOUTS = {
    "two-columns": [(SAFETY, 0, 2, 2), (EXHIBITION, 0, 2, 2)],
    "three-columns": [(SAFETY, 0, 3, 3), (CPPCC, 0, 3, 3)],
    # one article across four columns; under it two side by side, each across two
    "four-columns": [(SAFETY, 0, 4, 4), (EXHIBITION, 0, 2, 4), (CPPCC, 2, 2, 4)],
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_pdf_page_in_columns_is_read_in_reading_order_and_split_into_articles(tmp_path, layout):
    pdf = pdf_page(tmp_path / "yongkang.pdf", LAYOUTS[layout])
    result = kg("extract", pdf)
    assert result.returncode == 0, result.stderr
    got = records(result.stdout)
    placed = [a for a, *_ in LAYOUTS[layout]]
    assert [r["title"] for r in got] == [a[0] for a in placed]  # one article each, in reading order
    _assert_expected(_by_title(result.stdout), placed)
    for record, article in zip(got, placed):
        assert record["date"] == "2024-01-12"  # from the running head, which is no article
        assert re.fullmatch(r".*/yongkang\.pdf-p1#\d\d", record["article"])  # its path, page and place
        body = "".join([article[0], *article[1]]).replace(" ", "")
        sentences = {f["evidence"]["sentence"].replace(" ", "") for f in record["facts"]}
        assert all(s in body for s in sentences), sentences - {s for s in sentences if s in body}  # columns joined in order


@pytest.mark.parametrize("indent", [2, 0])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_pdf_column_s_lines_are_joined_into_its_paragraphs(tmp_path, layout, indent):
    """No line the PDF broke inside a sentence stays broken (会议总结了2023年全|市安全生产工作,
    主席朱|志昂), with paragraphs indented or not."""
    from kg.ingest import read_articles

    pdf = pdf_page(tmp_path / "p.pdf", LAYOUTS[layout], indent=indent)
    for article in read_articles([str(pdf)]):
        body = article.text.splitlines()[1:]  # after the headline
        assert body and all(line.endswith(("。", "）")) for line in body), body


@pytest.mark.browser
@pytest.mark.parametrize("columns", [2, 3, 4, 5, 6])
def test_real_articles_a_browser_printed_in_columns_read_as_their_text_does(tmp_path, browser, columns):
    """The bundled page's real articles, laid out in columns by Chromium and printed to PDF with
    a CJK font: the same articles, headlines and participations as from their text."""
    from kg.ingest import read_articles

    real = [a for a in read_articles([str(EXAMPLES)]) if len(a.text) > 100]
    laid_out = [(a.title, a.subtitles, [ln for ln in a.text.splitlines()[1 + len(a.subtitles):] if ln.strip()]) for a in real]
    pdf = browser_pdf(browser, tmp_path / "page.pdf", laid_out, columns)
    from_text = _by_title(kg("extract", EXAMPLES, "--pub-date", "2024-01-12").stdout)
    result = kg("extract", pdf)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr  # nothing but kg's own lines
    got = records(result.stdout)
    assert [r["title"] for r in got] == [a.title for a in real] and {r["date"] for r in got} == {"2024-01-12"}
    for record in got:
        assert facts(record) == facts(from_text[record["title"]]), record["title"]


@pytest.mark.browser
def test_real_articles_in_a_browser_s_mixed_layout_read_as_their_text_does(tmp_path, browser):
    """One article in three justified columns with a caption in it, one in two; small bylines and
    captions, a subhead under a headline, the browser's own header and footer, a Taiwan paper's
    running head: the same articles, headlines and participations as from their text."""
    from kg.ingest import read_articles

    real = [a for a in read_articles([str(EXAMPLES)]) if len(a.text) > 100]
    laid_out = [(a.title, a.subtitles, [ln for ln in a.text.splitlines()[1 + len(a.subtitles):] if ln.strip()]) for a in real]
    laid_out[0][2].insert(3, "图为会议现场。 融媒记者 张伟 摄")  # a photo's caption down the first article
    pdf = browser_pdf(browser, tmp_path / "page.pdf", laid_out, [3, 2], justify=True, browser_furniture=True,
                      running_head="東部時報　中華民國113年1月12日　星期五　A2版")
    from_text = _by_title(kg("extract", EXAMPLES, "--pub-date", "2024-01-12").stdout)
    result = kg("extract", pdf)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    got = records(result.stdout)
    assert [r["title"] for r in got] == [a.title for a in real] and {r["date"] for r in got} == {"2024-01-12"}
    for record in got:
        assert facts(record) == facts(from_text[record["title"]]), record["title"]


def test_a_pdf_of_several_pages_through_kg_build(tmp_path):
    (tmp_path / "in").mkdir()
    pdf_page(tmp_path / "in" / "paper.pdf", LAYOUTS["three-columns"], [(EXHIBITION, 0, 2, 2)])
    out, result = _built(tmp_path, tmp_path / "in")
    assert result.stdout.startswith("3 articles built")
    rows = _query(out, "PREFIX schema: <https://schema.org/> SELECT ?id ?h ?d WHERE { ?a schema:identifier ?id ; schema:headline ?h ; schema:datePublished ?d } ORDER BY ?id")
    assert rows == [
        {"id": "in/paper.pdf-p1#01", "h": SAFETY[0], "d": "2024-01-12"},
        {"id": "in/paper.pdf-p1#02", "h": CPPCC[0], "d": "2024-01-12"},
        {"id": "in/paper.pdf-p2#01", "h": EXHIBITION[0], "d": "2024-01-12"},
    ]
    attended = {(r["who"], r["what"]) for r in _query(out, "PREFIX schema: <https://schema.org/> SELECT ?who ?what WHERE { ?e schema:name ?what ; schema:attendee/schema:name ?who }")}
    assert {EXPECTED[SAFETY[0]], EXPECTED[EXHIBITION[0]]} <= attended


def test_a_scan_and_a_broken_pdf_are_refused_in_one_line(tmp_path):
    scan = pdf_page(tmp_path / "scan.pdf", scan=True)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + _noise(3, 2000))
    for command in (("extract",), ("build", "-o", tmp_path / "out")):
        result = kg(*command, scan, broken)
        assert result.returncode == 2
        assert f"kg: skipped {scan}: a PDF without a text layer (a scan?): kg reads the text of PDFs and does not OCR" in result.stderr
        assert f"kg: skipped {broken}: not a readable PDF" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- Word ----------------------------------------------------------------------------------------


def test_a_word_file_is_one_article_headed_by_its_heading(tmp_path):
    doc = docx_file(tmp_path / "yongkang_2024-01-12.docx", EXHIBITION)
    result = kg("extract", doc)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["title"] == EXHIBITION[0] and record["date"] == "2024-01-12"
    assert EXPECTED[EXHIBITION[0]] in facts(record)
    assert {f["value"] for f in record["facts"] if f["kind"] == "event_date"} == {"2024-01-10"}
    out, result = _built(tmp_path, doc)
    assert _query(out, "PREFIX schema: <https://schema.org/> SELECT ?h WHERE { ?a schema:headline ?h }") == [{"h": EXHIBITION[0]}]
    not_word = tmp_path / "fake.docx"
    not_word.write_text("这不是Word文件", encoding="utf-8")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    result = kg("extract", not_word, old)
    assert result.returncode == 2
    assert f"kg: skipped {not_word}: not a readable Word .docx file" in result.stderr
    assert f"kg: skipped {old}: a Word 97–2003 .doc file: kg reads .docx" in result.stderr


# --- CSV, TSV, JSON arrays -------------------------------------------------------------------------

ROWS = [
    {"id": "safety", "title": SAFETY[0], "date": "2024-01-12", "source": "永康日报", "content": plain(SAFETY)},
    {"id": "photo", "title": EXHIBITION[0], "date": "2024-01", "source": "永康日报", "content": plain(EXHIBITION)},
    {"id": "cppcc", "title": CPPCC[0], "date": "2024", "source": "永康日报", "content": plain(CPPCC)},
]


def test_csv_tsv_and_json_arrays_give_one_article_a_record(tmp_path):
    (tmp_path / "articles.csv").write_bytes(table_text(ROWS).encode("gb18030"))  # commas and line breaks inside fields
    tsv_rows = [{"编号": r["id"], "标题": r["title"], "日期": r["date"], "正文": r["content"].replace("\n", " ")} for r in ROWS]
    (tmp_path / "articles.tsv").write_text(table_text(tsv_rows, "\t"), encoding="utf-8")
    (tmp_path / "articles.json").write_text(json_array([{**r, "id": r["id"] + "-json"} for r in ROWS] + [["not", "an", "object"]]), encoding="utf-8")
    (tmp_path / "feed").write_text(json_array([{"text": plain(SAFETY), "title": SAFETY[0]}]), encoding="utf-8")  # no suffix: by content
    result = kg("extract", tmp_path / "articles.csv", tmp_path / "feed", tmp_path / "articles.json")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == f"kg: skipped {tmp_path / 'articles.json'}: item 4: an item of the array must be an object, not list"
    got = records(result.stdout)
    assert [r["article"] for r in got] == ["safety", "photo", "cppcc", f"{tmp_path.name}/feed:1", "safety-json", "photo-json", "cppcc-json"]
    assert [r["date"] for r in got[:3]] == ["2024-01-12", "2024-01", "2024"]
    for record in got:
        assert EXPECTED[record["title"]] in facts(record)
    # the month and the year are as far as relative dates go
    assert {f["value"] for f in got[1]["facts"] if f["kind"] == "event_date"} == {"2024-01-10"}
    tsv = kg("extract", tmp_path / "articles.tsv", "--field", "text=正文", "--field", "id=编号", "--field", "title=标题", "--field", "date=日期")
    assert tsv.returncode == 0, tsv.stderr
    assert [r["article"] for r in records(tsv.stdout)] == ["safety", "photo", "cppcc"]
    out, _ = _built(tmp_path, tmp_path / "articles.csv")
    rows = _query(out, "PREFIX schema: <https://schema.org/> SELECT ?id (DATATYPE(?d) AS ?type) WHERE { ?a schema:identifier ?id ; schema:datePublished ?d } ORDER BY ?id")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert rows == [{"id": "cppcc", "type": xsd + "gYear"}, {"id": "photo", "type": xsd + "gYearMonth"}, {"id": "safety", "type": xsd + "date"}]
    built = kg("build", tmp_path / "articles.json", tmp_path / "articles.tsv", "-o", tmp_path / "more", "--no-resolve",
               "--field", "text=正文", "--field", "id=编号", "--field", "title=标题", "--field", "date=日期")
    assert built.returncode == 1 and "item 4: an item of the array must be an object" in built.stderr
    assert built.stdout.startswith("6 articles built")
    ids = {r["id"] for r in _query(tmp_path / "more", "PREFIX schema: <https://schema.org/> SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }")}
    assert ids == {"safety", "photo", "cppcc", "safety-json", "photo-json", "cppcc-json"}


def test_spreadsheets_give_one_article_a_row_of_each_sheet_with_a_text_column(tmp_path):
    import datetime

    header = ["序号", "标题", "发布时间", "正文", "来源", "链接", "正文"]  # a row counter; 正文 twice, the second empty
    sheets = {
        "新闻": [header,
                 [1, SAFETY[0], datetime.datetime(2024, 1, 12, 8, 30), plain(SAFETY), "永康日报", "https://www.ykrb.example/a.html", None],
                 [None] * 7, ["  "] * 7,  # blank rows: passed over
                 [2, "无正文", "2024-01-12", None, None, None, None]],
        "说明": [["备注"], ["这张表不是文章"]],  # no text column: passed over, said so
        # under a title and a blank row, headers in any case, numbered from 1 again, a year as a number
        "政协": [["2024年1月 政协新闻"], [], ["序号", "Title", "Date", "Body"], [1, CPPCC[0], 2024, plain(CPPCC)]],
    }
    book = xlsx_file(tmp_path / "articles.xlsx", sheets)
    result = kg("extract", book)
    assert result.returncode == 1, result.stderr
    notes = result.stderr.splitlines()
    assert f"kg: skipped {book}: sheet '新闻' row 5: no text (a field named text, content, body, article…)" in notes
    assert f"kg: warning: {book}: sheet '说明' passed over: no header naming a text column in its first 10 rows" in notes
    got = records(result.stdout)
    assert [(r["article"], r["title"], r["date"]) for r in got] == [
        (f"{tmp_path.name}/articles.xlsx:新闻:2", SAFETY[0], "2024-01-12"), (f"{tmp_path.name}/articles.xlsx:政协:4", CPPCC[0], "2024")]
    for record in got:
        assert EXPECTED[record["title"]] in facts(record)
    out, built = _built(tmp_path, book, expect=1)
    assert built.stdout.startswith("2 articles built")
    rows = _query(out, "PREFIX schema: <https://schema.org/> SELECT ?url WHERE { ?a schema:url ?url }")
    assert rows == [{"url": "https://www.ykrb.example/a.html"}]
    piped = kg("extract", "-", stdin=book.read_bytes())  # told by its content
    assert [r["title"] for r in records(piped.stdout)] == [SAFETY[0], CPPCC[0]]


def test_spreadsheets_that_cannot_be_read_are_refused_in_one_line(tmp_path):
    import zipfile

    no_text = xlsx_file(tmp_path / "list.xlsx", {"名单": [["名称", "地址"], ["永康市博物馆", "金城路"]]})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    locked = tmp_path / "locked.xlsx"  # Office encrypts into an OLE container
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with zipfile.ZipFile(tmp_path / "other.bin", "w") as archive:
        archive.writestr("a/pixl/readme.txt", "不是工作簿")  # xl/ inside a name is no workbook
    result = kg("build", no_text, broken, locked, tmp_path / "other.bin", "-o", tmp_path / "none")
    assert result.returncode == 2 and not (tmp_path / "none").exists()
    assert f"kg: skipped {no_text}: no sheet has a header naming its text column (text, content, body, article…; or --field text=NAME) in its first 10 rows; sheets: 名单" in result.stderr
    assert f"kg: skipped {broken}: not a readable .xlsx spreadsheet (BadZipFile" in result.stderr
    assert f"kg: skipped {locked}: a password-protected (encrypted) Office file: save it again without a password; not read" in result.stderr
    assert f"kg: skipped {tmp_path / 'other.bin'}: a ZIP archive, not read" in result.stderr


def test_a_stray_cell_far_off_does_not_make_a_sheet_of_a_million_rows(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["标题", "正文"])
    sheet.append([SAFETY[0], plain(SAFETY)])
    sheet["XFD1048576"] = " "  # the sheet's stated size is its largest
    book.save(tmp_path / "stray.xlsx")
    result = kg("extract", tmp_path / "stray.xlsx")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert [r["title"] for r in records(result.stdout)] == [SAFETY[0]]


def test_a_workbook_whose_text_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    from kg.ingest import IngestReport, read_articles
    from kg.ingest import xlsx

    import zipfile

    book = xlsx_file(tmp_path / "big.xlsx", {"新闻": [["正文"], [plain(SAFETY)]]})
    with zipfile.ZipFile(book, "a") as archive:  # Excel keeps a sheet's texts apart, in one part read whole
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>会议</t></si>" * 200 + "</sst>")
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS_BYTES", 1024)  # the limit, lowered: no gigabyte file in a test
    report = IngestReport()
    assert list(read_articles([str(book)], report=report)) == []
    (refused,) = report.skipped
    assert refused.message.startswith("a workbook whose text unpacks to 0 MB, over 0 MB: save it as CSV")


def test_feeds_name_their_fields_in_english_or_chinese_in_any_case(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"Headline": SAFETY[0], "发布日期": "2024-01-12", "Body": plain(SAFETY), "Link": "https://x.example/1"}, ensure_ascii=False), encoding="utf-8")
    table = tmp_path / "articles.csv"
    table.write_text(table_text([{"ID": "c1", "标题": CPPCC[0], "日期": "2024-01-10", "内容": plain(CPPCC)}]), encoding="utf-8")
    result = kg("extract", feed, table)
    assert result.returncode == 0, result.stderr
    got = {r["title"]: r for r in records(result.stdout)}
    assert (got[SAFETY[0]]["date"], got[CPPCC[0]]["date"], got[CPPCC[0]]["article"]) == ("2024-01-12", "2024-01-10", "c1")
    assert EXPECTED[SAFETY[0]] in facts(got[SAFETY[0]]) and EXPECTED[CPPCC[0]] in facts(got[CPPCC[0]])


def test_files_that_fit_no_format_are_named_in_one_line(tmp_path):
    (tmp_path / "list.csv").write_text("名称,地址\n永康市博物馆,金城路\n", encoding="utf-8")
    (tmp_path / "list.tsv").write_text("名称\t地址\n永康市博物馆\t金城路\n", encoding="utf-8")
    (tmp_path / "junk.json").write_text("这不是JSON\n也不是\n", encoding="utf-8")
    (tmp_path / "cut.json").write_text('[{"text": "市长李明出席会议。"}, {"text": ', encoding="utf-8")
    (tmp_path / "noise.txt").write_bytes(_noise(13, 4096))  # no NUL
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><item><title>会议召开</title></item></channel></rss>\n', encoding="utf-8")
    (tmp_path / "header.csv").write_text("text,title\n", encoding="utf-8")
    (tmp_path / "open.csv").write_text('text,title\n"市长李明出席会议,甲\n市长李明出席会议,乙\n', encoding="utf-8")  # a quote never closed
    (tmp_path / "gb.txt").write_bytes(plain(SAFETY).encode("gb18030"))
    (tmp_path / "utf8.txt").write_text(plain(CPPCC), encoding="utf-8")
    result = kg("extract", tmp_path)
    assert result.returncode == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("kg: skipped")]
    assert skipped == [
        f"kg: skipped {tmp_path / 'cut.json'}: item 2: not JSON (Expecting value); the rest of the array is not read",
        f"kg: skipped {tmp_path / 'feed.xml'}: an XML file (an RSS or Atom feed?): kg does not read XML; give it the articles' pages, or a JSON Lines or CSV feed of them",
        f"kg: skipped {tmp_path / 'header.csv'}: a CSV file with a header and no rows",
        f"kg: skipped {tmp_path / 'junk.json'}: not JSON Lines nor a JSON array of objects (line 1: Expecting value)",
        f"kg: skipped {tmp_path / 'list.csv'}: a CSV file needs a header naming its text column (text, content, body, article…; or --field text=NAME); its first line is: 名称,地址",
        f"kg: skipped {tmp_path / 'list.tsv'}: a TSV file needs a header naming its text column (text, content, body, article…; or --field text=NAME); its first line is: 名称 ⇥ 地址",
        f"kg: skipped {tmp_path / 'noise.txt'}: encoding is none of UTF-8, GB18030/GBK, Big5 (not Chinese text?)",
        f"kg: skipped {tmp_path / 'open.csv'}: not CSV at line 2 (a quote opened there is never closed); the rest is not read",
    ]
    assert sorted(r["title"] for r in records(result.stdout)) == sorted(["", SAFETY[0], CPPCC[0]])  # "" the item before the cut


def test_random_bytes_are_refused_by_kg_build_and_a_run_of_them_alone_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "noise.txt").write_bytes(_noise(13, 4096))  # no NUL
    refused = f"kg: skipped {tmp_path / 'in' / 'noise.txt'}: encoding is none of UTF-8, GB18030/GBK, Big5 (not Chinese text?)"
    out, result = _built(tmp_path, tmp_path / "in", expect=2)
    assert refused in result.stderr.splitlines() and "kg: no article read, nothing written" in result.stderr
    assert not out.exists()
    (tmp_path / "in" / "gb.txt").write_bytes(plain(SAFETY).encode("gb18030"))
    out, result = _built(tmp_path, tmp_path / "in", expect=1)
    assert refused in result.stderr.splitlines() and result.stdout.startswith("1 articles built")
    assert [r["h"] for r in _query(out, "PREFIX schema: <https://schema.org/> SELECT ?h WHERE { ?a schema:headline ?h }")] == [SAFETY[0]]


# --- dates as feeds give them --------------------------------------------------------------------


def test_posts_seen_in_articles_dated_by_month_have_their_month(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
        {"id": "m", "date": "2023-04", "text": "市委书记胡勇春出席全市经济工作会议。"},
        {"id": "d", "date": "2023-05-06", "text": "市委书记胡勇春出席全市安全生产工作会议。"},
    ]), encoding="utf-8")
    out, _ = _built(tmp_path, feed)
    (row,) = [r for r in _query(out, "posts") if r["person"] == "胡勇春"]
    assert (row["first_seen"], row["last_seen"], int(row["articles"])) == ("2023-04", "2023-05-06", 2)  # OWL-Time's inXSDgYearMonth


def test_a_date_kg_cannot_read_is_dropped_never_the_article(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [
        {"id": "month", "date": "2024-01", "text": "1月11日上午，全市安全生产工作会议召开。市委书记胡勇春出席会议。昨天，市长郑云涛到企业调研。"},
        {"id": "year", "date": 2024, "text": "今年1月9日，市政协召开主席会议。市政协主席朱长林主持会议。"},
        {"id": "time", "date": "2024-01-12T08:30:00+08:00", "text": "副市长王刚出席开幕式。"},
        {"id": "bad", "date": "上周", "text": "副市长王刚出席开幕式。"},
    ]
    feed.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    result = kg("extract", feed, "--pub-date", "2024-01-15")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"kg: warning: {feed}: article bad: date '上周' is not a date, left out"
    got = {r["article"]: r for r in records(result.stdout)}
    assert [got[k]["date"] for k in ("month", "year", "time", "bad")] == ["2024-01", "2024", "2024-01-12", "2024-01-15"]
    dates = {k: {m["norm"] for m in r["mentions"] if m["type"] == "date" and "norm" in m} for k, r in got.items()}
    assert dates["month"] == {"2024-01-11"}  # 昨天 needs the day: not resolved
    assert "2024-01-09" in dates["year"] or "2024" in dates["year"]
    out, result = _built(tmp_path, feed)
    assert "warning" in result.stderr


# --- kg's own output among the sources -------------------------------------------------------------


def test_a_source_folder_holding_kgs_output_is_not_read_again(tmp_path):
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "safety.txt").write_text(plain(SAFETY), encoding="utf-8")
    first = kg("build", ".", "--no-resolve", cwd=paper)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 articles built") and (paper / "output" / "graph.html").exists()
    for fmt, name in (("turtle", "kg.ttl"), ("json-ld", "kg.json"), ("csv", "csv"), ("gexf", "kg.gexf")):
        assert kg("export", "-s", "output", "--format", fmt, "-o", name, cwd=paper).returncode == 0
    (paper / "copy.html").write_bytes((paper / "output" / "graph.html").read_bytes())
    extracted = kg("extract", "safety.txt", cwd=paper)
    (paper / "extracted.jsonl").write_text(extracted.stdout, encoding="utf-8")  # kg extract's JSON Lines, kept beside
    again = kg("build", ".", "--no-resolve", cwd=paper)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 articles built, 1 unchanged")
    steps = ("kg: extracting:", "kg: storing:", "kg: resolving across articles:", "kg: drawing the picture:")  # one progress line per step
    notes = sorted(line for line in again.stderr.splitlines() if not line.startswith(steps))
    assert notes == sorted([
        "kg: not reading ./output: the output folder of this run",
        "kg: not reading ./kg.ttl: an export of kg's graph",
        "kg: not reading ./kg.json: an export of kg's graph",
        "kg: not reading ./kg.gexf: an export of kg's graph",
        "kg: not reading ./csv/edges.csv: an export of kg's graph (CSV)",
        "kg: not reading ./csv/nodes.csv: an export of kg's graph (CSV)",
        "kg: not reading ./copy.html: kg's picture (graph.html)",
        "kg: not reading ./extracted.jsonl: kg extract's output",
    ])
    elsewhere = kg("build", paper, "-o", tmp_path / "other", "--no-resolve")
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert f"kg: not reading {paper / 'output'}: an output folder of kg (its store, graph.html, exports)" in elsewhere.stderr
    assert elsewhere.stdout.startswith("1 articles built")


def test_a_run_that_reads_nothing_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    for sources in ([tmp_path / "in"], [tmp_path / "nothing-here"]):
        result = kg("build", *sources, "-o", tmp_path / "out")
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == "kg: no article read, nothing written"
        assert "picture:" not in result.stdout
        assert not (tmp_path / "out").exists()
    (tmp_path / "in" / "empty.txt").unlink()
    result = kg("build", tmp_path / "in", "-o", tmp_path / "out")
    assert result.returncode == 2 and result.stderr.strip() == "kg: no article read, nothing written"
    assert not (tmp_path / "out").exists()


def test_every_format_is_listed_in_the_readme():
    from kg.ingest import FORMATS

    readme = (__import__("conftest").ROOT / "README.md").read_text(encoding="utf-8")
    for fmt in FORMATS[1:]:
        assert f"`{fmt}`" in readme, fmt
    assert ARTICLES


def test_pdf_word_and_web_pages_come_through_stdin(tmp_path):
    pdf = pdf_page(tmp_path / "p.pdf", LAYOUTS["two-columns"])
    doc = docx_file(tmp_path / "d.docx", CPPCC)
    page = tmp_path / "w.html"
    page.write_text(html_page(SAFETY, canonical=CANONICAL), encoding="utf-8")
    for path, titles in ((pdf, [SAFETY[0], EXHIBITION[0]]), (doc, [CPPCC[0]]), (page, [SAFETY[0]])):
        result = kg("extract", "-", stdin=path.read_bytes())
        assert result.returncode == 0, result.stderr
        assert [r["title"] for r in records(result.stdout)] == titles


def test_a_feed_that_changes_its_encoding_is_read_up_to_there(tmp_path):
    rows = [{"id": str(i), "text": f"meeting number {i} held"} for i in range(5000)]
    late = tmp_path / "late.csv"
    late.write_bytes(table_text(rows).encode() + "x,市长出席会议。\n".encode("gb18030"))
    result = kg("extract", late)
    assert result.returncode == 1
    assert f"kg: skipped {late}: not utf-8 text after byte" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"kg: {len(records(result.stdout))} articles from 1 files")
