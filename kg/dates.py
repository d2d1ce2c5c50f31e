"""Dates in Chinese news, normalised against the publication date.

``1月11日上午`` in a paper of 2024-01-12 is 2024-01-11; ``昨天`` is the day before publication;
without a publication date we keep what is known: ``--01-11`` (XML Schema gMonthDay). A
publication date may itself be known only to the month (``2024-01``) or the year (``2024``):
relative dates then resolve only as far as it allows (``今年`` is 2024, ``昨天`` nothing).
"""

from __future__ import annotations

import datetime as dt
import re

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_NUM = r"\d{1,4}|[〇○零一二三四五六七八九十]{1,4}"

DATE_EXPRESSION = re.compile(
    # a year of the Republic of China (民国113年, 113年1月5日 in a Taiwan paper) is 1911 years on
    rf"(?:(?:民国)?(?P<year>\d{{4}}|[〇○零一二三四五六七八九]{{4}}|(?<=民国)\d{{1,3}}|1\d\d)年)?(?P<month>{_NUM})月(?P<day>{_NUM})日"
    r"(?P<part>上午|下午|晚上|晚|早上|中午|凌晨)?"
    r"|(?P<relative>前天|昨天|昨日|今天|今日|明天|明日|(?P<short>[今昨明])[(（]\d{1,2}[)）]日)(?P<part2>上午|下午|晚上|晚|早上|中午|凌晨)?"
    r"|(?P<year_only>今年|去年|明年)"
)
_DAY_SHIFT = {"前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1}
_YEAR_SHIFT = {"去年": -1, "今年": 0, "明年": 1}


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十一, 二十, 三十一
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def parse_iso(text: str) -> str | None:
    """``2024-01-12``, ``20240112`` or ``2024/1/12`` as an ISO date; None if not a real date."""
    m = re.fullmatch(r"\s*(\d{4})[-/._]?(\d{1,2})[-/._]?(\d{1,2})\s*", text or "")
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups())).isoformat()
    except ValueError:
        return None


_CN_DATE = re.compile(r"\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?")
_ISO_START = re.compile(r"\s*(\d{4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?|(\d{2})(\d{2}))?(?=$|[\sT:+Z])")
# a Taiwan feed's year of the Republic (1911 years on): 中華民國113年3月5日, 民國113年3月, 113/03/05
_ROC_DATE = re.compile(r"\s*(?:(?:中華民國|中华民国|民國|民国)\s*(\d{1,3})|(1\d\d))\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?\s*|\s*(1\d\d)([/.])(\d{1,2})\6(\d{1,2})\s*")


def parse_date(text: str) -> str | None:
    """A date as feeds give it, at the precision given: ``2024-01-12`` (also ``20240112``,
    ``2024/1/12``, ``2024-01-12T08:30:00+08:00``, ``2024年1月12日``, ``Fri, 12 Jan 2024 08:30:00
    +0800``, 民國113年1月12日, ``113/01/12``), ``2024-01`` (``2024年1月``, 民國113年1月) or ``2024``;
    None if it is none of these or no real date."""
    text = str(text or "").strip()
    if not text:
        return None
    if m := _ISO_START.match(text):
        year, _, month, day, month8, day8 = m.groups()
        month, day = month or month8, day or day8
    elif m := _CN_DATE.fullmatch(text):
        year, month, day = m.groups()
    elif m := _ROC_DATE.fullmatch(text):
        roc, roc3, month, day, slashed, _, month_s, day_s = m.groups()
        year, month, day = str(int(roc or roc3 or slashed) + 1911), month or month_s, day or day_s
    else:
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(text).date().isoformat()  # RSS: RFC 2822
        except (TypeError, ValueError, IndexError):
            return None
    if not 1000 <= int(year) <= 2999:
        return None
    if month is None:
        return year
    if day is None:
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def date_in_name(name: str) -> str | None:
    """A publication date written into a file name: ``yongkang_2024-01-12.txt``, ``19980101-01-001``."""
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)", name):
        if found := parse_iso("-".join(m.groups())):
            return found
    return None


def names_an_unknown_day(text: str, pub_date: str | None) -> bool:
    """Whether ``text`` says its day relative to a publication day that is not known (昨日 in a
    paper known only by its month or year): it happened on some day, not on another date the
    article gives."""
    return any(m["relative"] and resolve(m, pub_date) is None for m in DATE_EXPRESSION.finditer(text))


def resolve(match: re.Match, pub_date: str | None) -> str | None:
    """The normalised value of a ``DATE_EXPRESSION`` match, or None if it names no real date."""
    known = parse_date(pub_date) if pub_date and not pub_date.startswith("--") else None  # not --11-01
    base_year = int(known[:4]) if known else None
    base_month = int(known[5:7]) if known and len(known) >= 7 else None
    if match["relative"]:  # 今（3）日 in a Taiwan paper is 今日
        if known is None or len(known) < 10:
            return None  # 昨天 in a paper known only by its month: no day
        shift = _DAY_SHIFT[f"{match['short']}日" if match["short"] else match["relative"]]
        return (dt.date.fromisoformat(known) + dt.timedelta(days=shift)).isoformat()
    if match["year_only"]:
        return str(base_year + _YEAR_SHIFT[match["year_only"]]) if base_year else None
    month, day = _number(match["month"]), _number(match["day"])
    if match["year"]:
        year = _number(match["year"])
        year += 1911 if year < 1000 else 0  # 民国113年
    elif base_month:
        # a December event reported in January happened last year
        year = base_year - 1 if month - base_month > 6 else base_year + 1 if base_month - month > 6 else base_year
    elif base_year:
        year = base_year  # a paper known only by its year: its year
    else:
        return f"--{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
