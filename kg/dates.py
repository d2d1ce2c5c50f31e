"""Dates in Chinese news, normalised against the publication date.

``1月11日上午`` in a paper of 2024-01-12 is 2024-01-11; ``昨天`` is the day before publication;
without a publication date we keep what is known: ``--01-11`` (XML Schema gMonthDay).
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


def date_in_name(name: str) -> str | None:
    """A publication date written into a file name: ``yongkang_2024-01-12.txt``, ``19980101-01-001``."""
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)", name):
        if found := parse_iso("-".join(m.groups())):
            return found
    return None


def resolve(match: re.Match, pub_date: str | None) -> str | None:
    """The normalised value of a ``DATE_EXPRESSION`` match, or None if it names no real date."""
    base = dt.date.fromisoformat(pub_date) if pub_date and parse_iso(pub_date) else None  # not --11-01
    if match["relative"]:  # 今（3）日 in a Taiwan paper is 今日
        shift = _DAY_SHIFT[f"{match['short']}日" if match["short"] else match["relative"]]
        return (base + dt.timedelta(days=shift)).isoformat() if base else None
    if match["year_only"]:
        return str(base.year + _YEAR_SHIFT[match["year_only"]]) if base else None
    month, day = _number(match["month"]), _number(match["day"])
    if match["year"]:
        year = _number(match["year"])
        year += 1911 if year < 1000 else 0  # 民国113年
    elif base:
        # a December event reported in January happened last year
        year = base.year - 1 if month - base.month > 6 else base.year + 1 if base.month - month > 6 else base.year
    else:
        return f"--{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
