"""Places and government bodies, named by the administrative area they belong to.

- gazetteer: 浙江, 浙江省 -> 浙江省; 杭州钱塘区 -> 钱塘区 (in 杭州市, in 浙江省). A county name
  that several areas share (朝阳区) is resolved by the article's other places or home place,
  and then keyed with the area above it (北京市朝阳区); otherwise it stays as printed.
- home-place: in a newspaper of 永康市, 我市 is 永康市 and 市博物馆 is 永康市博物馆.
- government-body: 永康市经信局, 永康经信局, and 市经信局 in a Yongkang paper are all
  永康市经济和信息化局 (the short forms are in data/government_abbreviations.tsv); 市政府 in
  唐山市委、市政府 is 唐山市政府, whatever the home place; 中共北京市委 is 北京市委.
"""

from __future__ import annotations

import re

from kg import lexicon
from kg.model import ORGANIZATION, PLACE, Extraction, Mention
from kg.shared.gazetteer import LEVEL_ENDINGS, Area, gazetteer, place_key
from kg.text import CONJUNCTIONS

RESOLVER = "resolve.v1"
GAZETTEER, HOME_PLACE, GOVERNMENT_BODY = "gazetteer", "home-place", "government-body"
_RELATIVE_PLACE = re.compile(rf"[我本](?P<level>[{''.join(LEVEL_ENDINGS)}])(?![长委场域])")  # 我市, not 本市长, 本市场, 本区域
_CONJUNCTIONS = ("、", *CONJUNCTIONS)


def home_area(doc: Extraction) -> Area | None:
    if not doc.article.home_place:
        return None
    area, used = gazetteer().parse(doc.article.home_place)
    return area if used == len(doc.article.home_place) else None


def relative_area(level: str, home: Area | None) -> Area | None:
    """The home area at the level of 市/县/区/省: 市 in a paper of 永康市 (a city under 金华市) is 永康市."""
    if home is None:
        return None
    return next((a for a in reversed(home.path) if a.name.endswith(LEVEL_ENDINGS[level])), None)


def _known_body(body: str) -> bool:
    return body in lexicon.table("government_abbreviations.tsv") or body in lexicon.words("government_heads.txt")


# the areas whose bodies are named as they name themselves, not by the mainland's forms: 花蓮縣政府
# (not 人民政府), 臺北市政府; by the first digits of the area's code (台湾省 71, 香港 81, 澳门 82)
_OWN_NAMING_AREAS = ("71", "81", "82")


def _expand_body(body: str, area: Area) -> str:
    own = area.code.startswith(_OWN_NAMING_AREAS)
    for short, forms in lexicon.table("government_abbreviations.tsv").items():
        if body.endswith(short):
            full = (forms[1] if len(forms) > 1 else short) if own else forms[0]
            return body[: -len(short)] + full
    return body


def _resolve(m: Mention, key: str, rule: str, area: Area | None) -> None:
    if area is not None:
        m.attrs["area"] = area
    if key != m.label:
        m.attrs["resolution"] = {"rule": rule, "by": RESOLVER, "printed": m.label}
        m.key = key


def resolve_areas(doc: Extraction, home: Area | None) -> None:
    g = gazetteer()
    places = [m for m in doc.mentions if m.type == PLACE and m.subtype != "venue"]
    context = tuple(a for a in [home] + [g.parse(m.label)[0] for m in places] if a is not None)
    for m in places:
        area, used = g.parse(m.label, context)
        if area is not None and used == len(m.label):
            _resolve(m, place_key(area), GAZETTEER, area)
    taken = [(m.start, m.end) for m in doc.mentions] + list(doc.credit_spans)
    for match in _RELATIVE_PLACE.finditer(doc.article.text):
        area = relative_area(match["level"], home)
        if area is not None and not any(s < match.end() and match.start() < e for s, e in taken):
            ref = Mention(match.group(), PLACE, match.start(), match.end(), "admin", source=RESOLVER)
            _resolve(ref, place_key(area), HOME_PLACE, area)
            doc.insert_in_text_order(ref)
    before = None  # the last government body with its area: 唐山市委 in 唐山市委、市政府
    for m in doc.mentions:
        relative = m.label[0] in LEVEL_ENDINGS and len(m.label) > 1
        if m.type == PLACE and m.subtype == "venue" and relative and (area := relative_area(m.label[0], home)):
            _resolve(m, area.name + m.label[1:], HOME_PLACE, area)  # 市博物馆
        elif m.type == ORGANIZATION and m.subtype == "government":
            if relative:
                joined = before is not None and doc.article.text[before.end : m.start] in _CONJUNCTIONS
                area, body = relative_area(m.label[0], before.attrs["area"] if joined else home), m.label[1:]
            else:
                name = m.label.removeprefix("中共")  # 中共北京市委 is 北京市委
                area, used = g.parse(name, context, full_names=True)
                if area is None:  # 永康经信局: a short place name, then a body kg knows (not 公安部: 公安县?)
                    area, used = g.parse(name, context)
                    area = area if _known_body(name[used:]) else None
                body = name[used:]
            if area is not None and body:
                _resolve(m, area.name + _expand_body(body, area), GOVERNMENT_BODY, area)
                before = m


def resolve_post_areas(doc: Extraction, home: Area | None) -> None:
    """The area a post belongs to: 市委书记 in a Yongkang paper, 永康市副市长, 浙江省省长."""
    for f in doc.facts:
        if f.kind != "holds_post":
            continue
        if f.value[0] in LEVEL_ENDINGS:
            area = relative_area(f.value[0], home)
        else:  # printed in full: 北京市长, 浙江省省长; not the 北京 of 北京大学校长, nor 公安部部长
            area, _ = gazetteer().parse(f.value, full_names=True)
        if area is not None:
            f.attrs["area"] = area

