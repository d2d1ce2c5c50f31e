import pytest

from kg.dates import DATE_EXPRESSION, parse_date, parse_iso, resolve


def _resolve(text, pub):
    return resolve(DATE_EXPRESSION.search(text), pub)


def test_relative_dates_resolve_against_the_publication_date():
    assert _resolve("1月11日上午", "2024-01-12") == "2024-01-11"
    assert _resolve("昨天", "2024-01-12") == "2024-01-11"
    assert _resolve("今年", "2024-01-12") == "2024"
    assert _resolve("12月31日", "1998-01-01") == "1997-12-31"  # last year's December
    assert _resolve("一九九七年十二月三十一日", None) == "1997-12-31"


def test_without_a_publication_date_month_and_day_are_kept():
    assert _resolve("1月11日", None) == "--01-11"
    assert _resolve("昨天", None) is None


def test_impossible_dates_are_not_dates():
    assert _resolve("2月30日", "2024-01-12") is None
    assert parse_iso("2024-13-01") is None
    assert parse_iso("20240112") == "2024-01-12"


def test_a_base_without_a_year_is_no_base():
    assert _resolve("今天", "--11-01") is None
    assert _resolve("11月2日", "--11-01") == "--11-02"


def test_an_undated_article_with_a_dateline_and_today(pipeline):
    from kg.model import Article

    doc = pipeline(Article(id="d", text="新华社北京１１月１日电（记者王刚）市长李明今天出席全市经济工作会议。"))
    assert {m.key for m in doc.mentions if m.type == "date"} == {"--11-01"}


def test_dates_as_feeds_give_them_keep_their_precision():
    for given, read in [
        ("2024-01-12", "2024-01-12"), ("20240112", "2024-01-12"), ("2024/1/12", "2024-01-12"),
        ("2024-01-12T08:30:00+08:00", "2024-01-12"), ("2024-01-12 08:30", "2024-01-12"), ("2024年1月12日", "2024-01-12"),
        ("Fri, 12 Jan 2024 08:30:00 +0800", "2024-01-12"), ("2024-01", "2024-01"), ("2024年1月", "2024-01"), ("2024", "2024"),
        ("民國113年1月12日", "2024-01-12"), ("民国113年1月", "2024-01"), ("113年1月12日", "2024-01-12"), ("113/01/12", "2024-01-12"),  # Taiwan feeds
    ]:
        assert parse_date(given) == read, given
    for not_a_date in ("2024-13", "2024-02-30", "32/13/1998", "上周", "", "202401", "0999"):
        assert parse_date(not_a_date) is None, not_a_date


def test_relative_dates_resolve_only_as_far_as_a_month_or_a_year_allows():
    assert _resolve("1月11日上午", "2024-01") == "2024-01-11"
    assert _resolve("12月30日", "2024-01") == "2023-12-30"  # last year's December, as with a day
    assert _resolve("昨天", "2024-01") is None
    assert _resolve("今年", "2024-01") == "2024"
    assert _resolve("3月5日", "2024") == "2024-03-05"
    assert _resolve("去年", "2024") == "2023"
    assert _resolve("今天", "2024") is None


@pytest.mark.parametrize("pub_date, held_on", [("2024", None), ("2024-03", None), ("2024-03-09", "2024-03-08")])
def test_an_event_held_on_a_day_the_paper_s_date_cannot_tell_takes_no_other_date(pipeline, pub_date, held_on):
    from kg.model import Article

    text = "3月5日，市委召开常委会会议。昨日，全市安全生产工作会议在市行政中心召开，李四出席会议。"
    doc = pipeline(Article(id="d", text=text, date=pub_date))
    dates = {f.subject.key: f.value for f in doc.facts if f.kind == "event_date"}
    assert dates.get("全市安全生产工作会议") == held_on  # not 3月5日, the date of another sentence


def test_rdf_dates_are_typed_by_their_precision():
    from rdflib import XSD

    from kg.graph.rdf import _date

    assert [_date(v).datatype.value for v in ("2024-01-12", "2024-01", "2024", "--01-11")] == [str(t) for t in (XSD.date, XSD.gYearMonth, XSD.gYear, XSD.gMonthDay)]
