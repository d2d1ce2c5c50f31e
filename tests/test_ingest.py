"""Ingest: newspaper pages, plain text, JSON Lines, encodings, publication dates."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE, pd1998

from kg.dates import date_in_name
from kg.ingest import IngestReport, read_articles
from kg.ingest.page import split_page
from kg.text import display_width, fold_width


@pytest.fixture(scope="module")
def page_articles():
    return list(read_articles([str(EXAMPLE)]))


def test_page_is_split_into_its_articles_with_headlines_matched_by_content(page_articles):
    titles = [a.title for a in page_articles]
    assert titles == ["全省高质量项目建设和企业发展推进大会召开", "第二届“寻美永康”摄影展开幕", "发挥“六老”骨干力量 提升关工工作“三力”"]
    first, caption, orphan = page_articles
    assert first.subtitles == ["开局就要奔跑 起步就要跃进", "奋力实现开门红开门好开门旺"]
    assert orphan.subtitles == ["——市关工委2023年工作亮点回眸"]
    assert first.section == "C 成就宣传和形势政策教育"
    assert "本报讯（融媒首席记者 陈晓苏）" in first.text
    assert caption.text.endswith("融媒记者 杨成栋 吕晓婷 摄")


def test_hard_line_breaks_are_joined_and_paragraphs_kept(page_articles):
    text = page_articles[0].text
    assert "全省高质量项目建设和企业发展推进大会以视频会议形式召开。" in text
    assert "朱长林在永康分会场参加会议。\n会议通报了" in text
    assert "\n开。" not in text


def test_every_offset_points_into_the_original_page(page_articles):
    page = EXAMPLE.read_text(encoding="utf-8")
    for article in page_articles:
        for i, char in enumerate(article.text):
            start, end = article.source_span(i, i + 1)
            if char != "\n":
                assert page[start:end] == char
    first = page_articles[0]
    i = first.text.index("胡勇春")
    start, end = first.source_span(i, i + 3)
    assert page[start:end] == "胡勇春"
    j = first.text.index("分会场")  # broken over two lines in the page
    start, end = first.source_span(j - 2, j + 3)
    assert page[start:end].replace("\n", "") == "永康分会场"


def test_headline_printed_before_the_body_and_a_page_without_blank_lines():
    body = "本报讯（记者 张三）1月3日上午，全市安全生产工作会议在市行政中心召开。市长李四出席会议并讲话。会议要求，各地要压实责任，确保安全生产形势稳定。"
    lines = [body[i : i + 12] for i in range(0, len(body), 12)]
    page = "全市安全生产工作会议召开\n" + "\n".join(lines[:1]) + "\n" + "\n".join(lines[1:]) + "\n"
    (article,) = split_page(page, "p")
    assert article.title == "全市安全生产工作会议召开"
    assert "全市安全生产工作会议在市行政中心召开。市长李四出席会议并讲话。" in article.text


def test_jump_lines_belong_to_their_articles_not_to_articles_of_their_own():
    page = ("  市政协召开主席会议\n  本报讯（记者 周敏）1月9日，县政协召开十一届常委会议。县政协主席陈立新主持会议并讲话。\n  （下转第2版）\n"
            "  （上接第1版）\n  会议强调，要做好各项工作。副县长王刚出席会议。\n")
    first, continued = split_page(page, "p")
    assert first.title == "市政协召开主席会议" and first.text.endswith("（下转第2版）")
    assert continued.title == "" and continued.text.startswith("（上接第1版）\n会议强调")  # its part of an article from page 1


def test_full_width_forms_fold_without_moving_offsets():
    text = "新华社北京１月１３日电（记者尹洪东）"
    folded = fold_width(text)
    assert folded == "新华社北京1月13日电(记者尹洪东)" and len(folded) == len(text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes("市长郑云涛出席会议。".encode(encoding))
    (article,) = read_articles([str(path)])
    assert article.text == "市长郑云涛出席会议。"


def test_bad_inputs_are_named_and_skipped(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "latin.txt").write_bytes("café olé à la crème".encode("latin-1"))
    (tmp_path / "good.txt").write_text("市长出席会议。", encoding="utf-8")
    report = IngestReport()
    articles = list(read_articles([str(tmp_path), str(tmp_path / "missing.txt")], report=report))
    assert [a.id for a in articles] == [f"{tmp_path.name}/good.txt"]
    messages = sorted(str(e) for e in report.skipped)
    assert any("binary.txt" in m and "binary" in m for m in messages)
    assert any("empty.txt" in m and "empty" in m for m in messages)
    assert any("latin.txt" in m and "none of UTF-8, GB18030/GBK, Big5" in m for m in messages)
    assert any("missing.txt" in m and "no such file" in m for m in messages)


def test_jsonl_fields_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": "a1", "title": "T", "date": "2024-01-12", "source": "永康日报", "text": "会议召开。"},
        {"doc_id": "a2", "content": "另一篇。"},
        "not json",
        {"id": "a4", "title": "no text"},
        {"id": "a5", "date": "yesterday", "text": "坏日期。"},
        {"id": "a6", "body": "by option"},
    ]
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    report = IngestReport()
    articles = list(read_articles([str(path)], fields={"text": "body"}, report=report))
    assert [(a.id, a.date, a.source) for a in articles] == [("a1", "2024-01-12", "永康日报"), ("a2", None, ""), ("a5", None, ""), ("a6", None, "")]
    messages = [str(e) for e in report.skipped]
    assert f"{path}:3: not JSON" in messages[0]
    assert f"{path}:4: no text (a field named body, text, content, article…)" == messages[1]
    assert [str(w) for w in report.warnings] == [f"{path}: article a5: date 'yesterday' is not a date, left out"]


def test_publication_date_from_option_or_file_name(tmp_path):
    path = tmp_path / "yongkang_2024-01-12.txt"
    path.write_text("昨天，市长出席会议。", encoding="utf-8")
    assert next(read_articles([str(path)])).date == "2024-01-12"
    assert next(read_articles([str(path)], pub_date="2023-05-01")).date == "2023-05-01"
    assert date_in_name("19980101-01-001") == "1998-01-01"
    assert date_in_name("page_99999999.txt") is None


def test_people_daily_feed_is_read_as_it_is():
    path = pd1998()
    articles = list(read_articles([str(path)]))
    assert len(articles) == 384
    first = articles[0]
    record = json.loads(path.open(encoding="utf-8").readline())
    assert first.id == record["doc_id"] and first.text == record["text"] and first.date == record["date"]


def _wrapped(paragraphs: list[str], width: int) -> str:
    """Paragraphs broken every ``width`` characters, each opening indented: e-paper text."""
    lines = []
    for para in paragraphs:
        text = "　　" + para
        lines += [text[i : i + width] for i in range(0, len(text), width)]
    return "\n".join(lines)


def test_a_feeds_text_broken_at_a_columns_width_is_rejoined(tmp_path):
    from kg import extract

    body = _wrapped([
        "九月二十九日，全市旅游产业发展大会在我县召开，省委副书记、市长董保国出席会议并讲话。市人大常委会副主任李桂珍，副市长张向明出席会议。",
        "九月三十日，我县召开全县旅游产业发展大会，县委书记吕品红主持会议，副县长桂镜海参加了会议。会议研究了全县旅游产业发展工作。",
    ], 18)
    assert "李\n桂珍" in body  # a name broken over two lines
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a1", "text": body, "date": "2015-09-30"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_articles([str(feed)])
    assert article.text.count("\n") == 1  # two paragraphs, their lines joined
    assert all(body[article.source_offsets[i]] == ch for i, ch in enumerate(article.text) if ch != "\n")
    people = {f.subject.label for f in extract(article.text, pub_date="2015-09-30").facts if f.kind == "participation"}
    assert {"董保国", "李桂珍", "张向明", "吕品红", "桂镜海"} <= people
    short = tmp_path / "short.jsonl"  # a web page's own short lines are kept as they are
    short.write_text(json.dumps({"id": "a2", "text": "市委常委会召开扩大会议\n\n王忠林主持并讲话\n\n1月26日下午，市委常委会召开扩大会议。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (kept,) = read_articles([str(short)])
    assert kept.text.startswith("市委常委会召开扩大会议\n\n") and kept.source_offsets is None


def test_a_chronicle_printed_across_the_page_is_rejoined(tmp_path):
    """大事记 pages are printed at some 44 characters a line, wider than a newspaper column."""
    entries = [
        "3日市委副书记、市长王建国到河东区走访基层干部和群众，实地察看农村危房改造和城乡环境综合整治等民生事项落实情况。副市长刘志强，市政府秘书长陈明远陪同。",
        "5日全市安全生产工作会议召开。市委书记赵东升出席会议并讲话，市长王建国主持会议。会议部署了春节前后安全生产工作，各县区和市直有关部门负责人参加会议。",
        "8日市政协主席孙丽华带队到高新区调研科技创新工作，先后察看了三家企业的研发中心，并与企业负责人座谈。市政协副主席周海涛参加调研。",
        "10日市人大常委会召开第十二次会议，市人大常委会主任钱永福主持会议，副主任李文华、张秀英出席会议，会议审议了关于全市水污染防治工作情况的报告。",
    ]
    body = "\n".join(e[i : i + 44] for e in entries for i in range(0, len(e), 44))
    assert len(body.splitlines()) >= 8 and max(len(line) for line in body.splitlines()) == 44
    feed = tmp_path / "chronicle.jsonl"
    feed.write_text(json.dumps({"id": "c1", "text": body, "date": "2013-01-10"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_articles([str(feed)])
    assert article.text.count("\n") == 3 and article.source_offsets is not None
    assert all(body[article.source_offsets[i]] == ch for i, ch in enumerate(article.text) if ch != "\n")


def test_a_feeds_headline_is_its_first_line_and_the_body_follows_what_the_text_prints(tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "a", "text": "全市招商大会举行\n\n3月5日，全市招商大会在市会议中心举行。"},  # a scraped page: the headline opens the text
        {"id": "b", "title": "全市招商大会举行", "text": "3月5日，全市招商大会在市会议中心举行。"},  # the title a field of its own
        {"id": "c", "text": "3月5日，全市招商大会在市会议中心举行。市长王刚出席。"},  # no headline
    ]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    a, b, c = read_articles([str(feed)])
    assert (a.title, a.body_start) == ("全市招商大会举行", len("全市招商大会举行"))
    assert (b.title, b.body_start) == ("全市招商大会举行", 0)  # the text does not print it: all of it is body
    assert (c.title, c.body_start) == ("", 0)


def test_a_text_file_wider_than_a_newspaper_column_is_one_article(tmp_path):
    """Lines of 43 characters each ending a sentence (a diary) are no page to split: the wider
    width is a feed's chronicle's only."""
    entries = [f"{d}日，市里召开了第{d}次工作例会，市直各部门负责同志参加会议并逐一汇报了本周重点工作的进展情况。" for d in range(1, 11)]
    assert all(display_width(e) > 40 for e in entries)
    path = tmp_path / "diary.txt"
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    (article,) = read_articles([str(path)])
    assert article.text.count("\n") >= 9  # its lines kept, not joined as a column's


@pytest.mark.parametrize("first", ["新华社北京1月5日电", "（记者 张三）", "2024-01-05 10:20  来源：永康日报", "本报讯（融媒首席记者 陈晓苏）"])
def test_a_byline_date_or_source_line_is_no_headline(tmp_path, first):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": first + "\n3月5日，全市招商大会在市会议中心举行。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_articles([str(feed)])
    assert article.title == ""
