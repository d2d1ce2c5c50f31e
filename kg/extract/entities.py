"""Persons (with the posts printed before their names), organisations, places, venues, dates."""

from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.dates import DATE_EXPRESSION, resolve
from kg.extract import component
from kg.model import DATE, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention
from kg.nlp.names import compound_surnames, read_run_of_names
from kg.nlp.ner import Token
from kg.shared.gazetteer import LEVEL_ENDINGS, gazetteer
from kg.text import CONJUNCTIONS, fold_width, stray_quotes

EXTRACTOR = "entities.v1"
_ADMIN_SUFFIX = re.compile(r"(?:省|市|县|区|州|镇|乡|街道|自治区|特别行政区)$")
# tokens that may stand inside a chain of posts before a name: 中共中央/ORG 总书记/n 、 国家主席/n
# (国务院/ORG 副/a 秘书长/n: 副 is tagged as an adjective)
_POST_CHAIN_TAGS = {"n", "nz", "ORG", "LOC", "j", "vn", "w", "a"}
# tags of the pieces of a name the tagger cut (李贵/PER 鲜/a) or took for a word (万国/n 权/n)
_NAME_PIECE_TAGS = {"PER", "n", "nr", "nz", "v", "a", "vn"}


@cache
def _post_pattern() -> re.Pattern:
    """A post the text ends with (市委书记胡勇春: before the name; 国务委员/PER: a title, whole)."""
    return re.compile(rf"(?:{lexicon.alternation(lexicon.words('posts.txt'))})$")


@cache
def venue_word() -> re.Pattern:
    """The word that opens a venue's name (venue_prepositions.txt): 在, 假座, and 假 right after a
    time word (日前假洲際酒店), never inside 请假, 打假, 度假."""
    words = lexicon.sections("venue_prepositions.txt")
    times = lexicon.words("time_words.txt") + ("日",)  # a date in figures ends with 日: 5日, 今(5)日
    after_a_time = "|".join(rf"(?<={re.escape(t)}){re.escape(w)}" for t in times for w in words["after_a_time"])
    return re.compile(rf"(?:{lexicon.alternation(words['before'])}|{after_a_time})")


@cache
def _venue_words() -> tuple[str, ...]:
    words = lexicon.sections("venue_prepositions.txt")
    return words["before"] + words["after_a_time"]


@cache
def _venue_pattern() -> re.Pattern:
    """在市博物馆举行: a venue; 在高大宽敞的展厅里, 在许多家具城的展厅: with 的, a description, no venue's name."""
    suffixes = lexicon.alternation(lexicon.words("venue_suffixes.txt"))
    return re.compile(rf"(?:{venue_word().pattern})(?P<venue>[^\s，。、；：！？,;:!?在和与的]{{0,12}}?(?:{suffixes}))")


def _org_named(name: str) -> bool:
    """广东省军区/LOC: a place name that ends like an organisation (军区, 委员会) is one."""
    return any(len(suffix) > 1 and name.endswith(suffix) for suffix in lexicon.table("org_suffixes.tsv"))


def org_subtype(name: str) -> str:
    for suffix, (subtype,) in lexicon.table("org_suffixes.tsv").items():
        if name.endswith(suffix):
            return subtype
    return "other"


def _posts_before(doc: Extraction, tokens, index: int) -> list[tuple[str, int, int]]:
    """The posts printed right before the person token at ``index``, as (post, start, end)."""
    j = index - 1
    while j >= 0 and (tokens[j].tag in _POST_CHAIN_TAGS and (tokens[j].tag != "w" or tokens[j].text == "、") or _head_of_place(tokens, j)):
        j -= 1
    start, end = (tokens[j + 1].start if j + 1 < index else tokens[index].start), tokens[index].start
    posts, pattern, pos = [], _post_pattern(), end
    for part in reversed(doc.article.text[start:end].split("、")):
        part_start = pos - len(part)
        if not part or not pattern.search(part):
            break
        posts.append((part, part_start, pos))
        pos = part_start - 1
    return posts[::-1]


def _head_of_place(tokens, j: int) -> bool:
    """南投縣/LOC 長/v 許淑華, 杭州市/LOC 长/v: the head of the place printed before it, its post
    (县长, 市长) cut by the tagger after the place's own 县 or 市."""
    return tokens[j].text == _HEAD and j > 0 and tokens[j - 1].tag == "LOC" and tokens[j - 1].end == tokens[j].start


_HEAD = "长"  # what makes the place's own 县, 市, 乡, 里 a post: 县长, 市长, 乡长, 里长


def _post_after(tokens, index: int) -> list[tuple[str, int, int]]:
    """韩正副总理, 江泽民主席: a bare title printed right after the name."""
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt is not None and nxt.start == tokens[index].end and _post_pattern().fullmatch(nxt.text):
        return [(nxt.text, nxt.start, nxt.end)]
    return []


def _evidence(doc: Extraction, sentence) -> Evidence:
    return Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, EXTRACTOR)


def _in_credit(doc: Extraction, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in doc.credit_spans)


def _out_of_credits(doc: Extraction, tokens: list[Token]) -> list[Token]:
    """新华社北京1月14日电国务院新闻办公室: a token that runs out of a dateline starts after it."""
    out = []
    for tok in tokens:
        cut = max((e for s, e in doc.credit_spans if s <= tok.start < e < tok.end), default=tok.start)
        out.append(Token(tok.text[cut - tok.start :], cut, tok.end, tok.tag) if cut > tok.start else tok)
    return out


def _unglued_conjunctions(tokens: list[Token]) -> list[Token]:
    """Two names the tagger read as one across a conjunction: 中国科协和/ORG 爱德基金会/ORG, or
    中国科协和爱德基金会/ORG when the second ends like an organisation."""
    suffixes = tuple(lexicon.table("org_suffixes.tsv"))
    out = []
    for tok, nxt in zip(tokens, tokens[1:] + [None]):
        cut = next((i for i, c in enumerate(tok.text) if c in CONJUNCTIONS and 2 <= i <= len(tok.text) - 3), None) if tok.tag == "ORG" else None
        if tok.tag in ("ORG", "LOC") and tok.text[-1] in CONJUNCTIONS and len(tok.text) > 3 and nxt is not None and nxt.tag in ("ORG", "LOC"):
            cut = len(tok.text) - 1
        elif cut is None or not tok.text.endswith(suffixes) or not tok.text[:cut].endswith(suffixes):
            out.append(tok)
            continue
        rest = tok.text[cut + 1 :]
        out += [Token(tok.text[:cut], tok.start, tok.start + cut, tok.tag), Token(tok.text[cut], tok.start + cut, tok.start + cut + 1, "c")]
        if rest:
            out.append(Token(rest, tok.start + cut + 1, tok.end, tok.tag))
    return out


def _merged(tokens: list[Token]) -> list[Token]:
    """A transliterated name the tagger cut at its dot or hyphen: 司马义/PER ·艾买提 -> 司马义·艾买提/PER,
    汉斯/PER -/w 彼得·弗里德里希/PER -> 汉斯-彼得·弗里德里希/PER; an
    organisation cut at its conjunction: 经济和/nz 信息化局/ORG -> 经济和信息化局/ORG (not 市财政局和/ORG)."""
    out: list[Token] = []
    for tok in _unglued_conjunctions(tokens):
        prev = out[-1] if out and out[-1].end == tok.start else None
        hyphen = prev if prev and prev.text in ("-", "－") and len(out) > 1 and out[-2].tag == "PER" and out[-2].end == prev.start else None
        if prev and prev.tag == "PER" and tok.text.startswith("·"):
            out.pop()
            tok = Token(prev.text + tok.text, prev.start, tok.end, "PER")
        elif hyphen and tok.tag == "PER":  # 汉斯/PER -/w 彼得·弗里德里希/PER: one name
            out.pop()
            first = out.pop()
            tok = Token(first.text + hyphen.text + tok.text, first.start, tok.end, "PER")
        elif prev and tok.tag == "ORG" and _conjunction_piece(prev):
            out.pop()
            tok = Token(prev.text + tok.text, prev.start, tok.end, "ORG")
        out.append(tok)
    return out


@cache
def _government_heads() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.words("government_heads.txt")))


def _government_bodies(doc: Extraction, folded: str, sentence, tokens: list[Token]) -> list[Token]:
    """省政府, 市政府 after 市委、, 安徽省政府, 北京市人民政府: one government organisation, where the
    tagger read a common noun or cut at the area (data/government_heads.txt)."""
    for m in _government_heads().finditer(folded, sentence.start, sentence.end):
        start = _area_before(folded, sentence.start, m.start())
        inside = [i for i, t in enumerate(tokens) if start is not None and start <= t.start and t.end <= m.end()]
        if not inside or tokens[inside[0]].start != start or tokens[inside[-1]].end != m.end():
            continue  # no area before it, or the tokens cross the name's edges: left as they are
        first, last = inside[0], inside[-1]
        tokens = tokens[:first] + [Token(doc.article.text[start : m.end()], start, m.end(), "ORG")] + tokens[last + 1 :]
    return tokens


@cache
def _meeting_named_bodies() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    table = lexicon.sections("meeting_named_bodies.txt")
    posts = re.compile(lexicon.alternation(lexicon.words("posts.txt")))
    return (*(re.compile(lexicon.alternation(table[name])) for name in ("bodies", "meeting_before", "meeting_after")), posts)


def _bodies_named_as_meetings(doc: Extraction, folded: str, sentence, tokens: list[Token]) -> list[Token]:
    """行政會議今日通過…: the body (data/meeting_named_bodies.txt), one organisation, unless its
    clause makes it the meeting (出席行政會議, 行政會議上): that one events.v1 reads; nor in a post
    (行政會議成員: its holders, not the body, are those named)."""
    bodies, before, after, posts = _meeting_named_bodies()
    for m in bodies.finditer(folded, sentence.start, sentence.end):
        clause = max(folded.rfind(mark, sentence.start, m.start()) for mark in "，。；：,;:") + 1
        if before.search(folded, max(clause, sentence.start), m.start()) or after.match(folded, m.end()) or posts.match(folded, m.start()):
            continue
        inside = [i for i, t in enumerate(tokens) if m.start() <= t.start and t.end <= m.end()]
        if not inside or tokens[inside[0]].start != m.start() or tokens[inside[-1]].end != m.end():
            continue  # the tokens cross the name's edges: left as they are
        tokens = tokens[: inside[0]] + [Token(doc.article.text[m.start() : m.end()], m.start(), m.end(), "ORG")] + tokens[inside[-1] + 1 :]
    return tokens


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _area_before(folded: str, floor: int, pos: int) -> int | None:
    """Where the area named right before ``pos`` starts (安徽省, 北京市), or a bare 省/市/县/区
    (公安县委和县政府: 县政府 after 和, not the county 和县)."""
    for k in range(min(8, pos - floor), 1, -1):
        if gazetteer().candidates(folded[pos - k : pos]) and folded[pos - k] not in CONJUNCTIONS and _CJK_RUN.fullmatch(folded, pos - k, pos):
            return pos - k  # not across a mark: [盐城]农工党盐城市委
    return pos - 1 if pos > floor and folded[pos - 1] in LEVEL_ENDINGS else None


def _conjunction_piece(tok: Token) -> bool:
    """经济和: two or more characters of a word, then 和 — the first half of a name like 经济和信息化局."""
    return (
        tok.tag not in ("PER", "LOC", "ORG", "w", "c")
        and len(tok.text) >= 3
        and tok.text[-1] in "和与"
        and re.fullmatch(r"[\u4e00-\u9fff]+", tok.text) is not None
        and not tok.text[:-1].endswith(tuple(lexicon.table("org_suffixes.tsv")))
    )


def _two_governments(prev: Token, tok: Token) -> bool:
    """市委/ORG 市政府: two bodies of one area printed together (市委市政府, 县委县政府), the second
    opening with the area's level again, not one body inside the other (市委/ORG 宣传部)."""
    return prev.tag == "ORG" and tok.text[:1] in LEVEL_ENDINGS and org_subtype(prev.text) == org_subtype(tok.text) == "government"


def _joins(prev: Token, tok: Token) -> bool:
    """Whether ``tok`` goes on the name ``prev`` starts: a place or an organisation before an
    organisation (香港/LOC 中华总商会/ORG), a bare organisation suffix (嘉应/ORG 商会/n), a place
    inside the administrative area before it (辽宁省/LOC 沈阳市/LOC)."""
    if prev.end != tok.start or _two_governments(prev, tok):
        return False
    org = prev.tag in ("LOC", "ORG") and tok.tag == "ORG" or prev.tag == "ORG" and tok.text in lexicon.table("org_suffixes.tsv")
    return org or prev.tag == "LOC" and tok.tag == "LOC" and bool(_ADMIN_SUFFIX.search(prev.text))


def _whole_names(doc: Extraction, tokens: list[Token]) -> dict[int, str]:
    """The tagger prints, as MSRA does, 香港/LOC 中华总商会/ORG and 辽宁省/LOC 沈阳市/LOC as names of
    their own; each keeps its mention, and a part after the first is known by the whole name it
    ends (香港中华总商会, 辽宁省沈阳市; 嘉应/ORG 商会: the name before the suffix) — never across the
    edge of a dateline (访华/新华社北京…电)."""
    wholes, start = {}, None
    for i, (prev, tok) in enumerate(zip([None] + tokens, tokens)):
        if prev is None or not _joins(prev, tok) or _in_credit(doc, prev.start, prev.end) != _in_credit(doc, tok.start, tok.end):
            start = None
            continue
        start = prev.start if start is None else start
        wholes[i if tok.tag in ("LOC", "ORG") else i - 1] = doc.article.text[start : tok.end]
    return wholes


def _items(tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, last+1) token indices of the pieces between punctuation marks."""
    out, start = [], 0
    for i, tok in enumerate(tokens + [Token("。", 0, 0, "w")]):
        if tok.tag == "w" and not tok.text.startswith("·"):
            if start < i:
                out.append((start, i))
            start = i + 1
    return out


def _person_lists(tokens: list[Token]) -> list[list[tuple[int, int]]]:
    """The 、-lists of a sentence (items joined by a single 、) whose items are mostly persons."""
    lists: list[list[tuple[int, int]]] = []
    for i, j in _items(tokens):
        if lists and lists[-1][-1][1] == i - 1 and tokens[i - 1].text == "、":
            lists[-1].append((i, j))
        else:
            lists.append([(i, j)])
    return [items for items in lists if 2 * sum(j - i == 1 and tokens[i].tag == "PER" for i, j in items) >= len(items) > 2]


def _repaired_names(tokens: list[Token]) -> list[Token]:
    """Names the tagger cut or missed in a list of persons (丁关根、李贵/PER 鲜/a、铁木尔·达瓦/PER
    买提/v、万国/n 权/n、胡绳/n、何鲁丽): there, a piece of two to five characters (more with a ·) is a person."""
    out, done = [], 0
    for i, j in (item for items in _person_lists(tokens) for item in items[1:-1]):  # 、赖斌/PER 说/v: the ends run on
        text = "".join(t.text for t in tokens[i:j])
        if j - i == 1 and tokens[i].tag == "PER":
            continue
        if 2 <= len(text) <= (10 if "·" in text else 5) and re.fullmatch(r"[\u4e00-\u9fff·]+", text) and all(t.tag in _NAME_PIECE_TAGS for t in tokens[i:j]):
            out += tokens[done:i] + [Token(text, tokens[i].start, tokens[j - 1].end, "PER")]
            done = j
    return out + tokens[done:]


def _bodies_read_as_names(tokens: list[Token]) -> list[Token]:
    """高市府/PER (高雄市政府), 竹县府: a person token that ends the way a government body's name does
    (data/org_suffixes.tsv, two characters or more) is that body."""
    endings = _government_endings()
    return [Token(t.text, t.start, t.end, "ORG") if t.tag == "PER" and len(t.text) > 2 and t.text.endswith(endings) else t for t in tokens]


_CLOSERS_OF = {"]": "[", "】": "【", "〕": "〔", ")": "(", "）": "（", "」": "「", "』": "『", "》": "《"}


def _unopened_close(text: str) -> int:
    """The end of the last closing bracket in ``text`` whose opening one it does not hold (盐城]…),
    else 0; 《虎踞钟山》剧组 and …(ＯＥＣＤ)发展中心 close what they open."""
    cut = 0
    for i, ch in enumerate(text):
        if ch in _CLOSERS_OF and _CLOSERS_OF[ch] not in text[:i]:
            cut = i + 1
    return cut


def _cut_at_marks(tokens: list[Token]) -> list[Token]:
    """盐城]农工党盐城市委/ORG: a name the tagger ran across the end of a bracket (a source label
    [盐城] before a headline) is the part after it; what stands before it is no name of that kind."""
    out = []
    for t in tokens:
        cut = _unopened_close(t.text) if t.tag in ("PER", "LOC", "ORG") else 0
        if not 0 < cut < len(t.text):
            out.append(t)
            continue
        out += [Token(t.text[:cut], t.start, t.start + cut, "w"), Token(t.text[cut:], t.start + cut, t.end, t.tag)]
    return out


_GIVEN_NAME_IN_BRACKETS = re.compile(r"[\u4e00-\u9fff]\([\u4e00-\u9fff]{1,2}")  # 陈(茂波/PER )/w: cut at its bracket
_DAY_OF_A_NAME = "昨今"  # 殷瑋昨表示, 蔣萬安今出發: the Taiwan press's day after a name
_MADE_BY_A_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}作")  # 余缨作/PER 的…汇报: the verb of the report made after a name
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.-]*(?:[ \t]+[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.-]*)*")


def _name_edges_repaired(text: str, tokens: list[Token]) -> list[Token]:
    """Where the tagger cut a name at a bracket (陳(茂波/PER )/w 司長: a Hong Kong speech names an
    official by surname, given name in brackets, title), or ran a name into the word beside it:
    殷瑋昨/PER 表示 (yesterday after the name), 余缨作/PER 的 (the report she made),
    杨惠处/PER 长 (the first character of the post printed after it: 处长); and Latin words the
    tagger read as names inside a run of Portuguese or English (Conselho Permanente do Ministro…,
    manente cut out of Permanente), which are no names of a Chinese article's people."""
    out: list[Token] = []
    skip = False
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if skip:
            skip = False
        elif t.tag == "PER" and _GIVEN_NAME_IN_BRACKETS.fullmatch(t.text) and nxt is not None and nxt.text == ")" and nxt.start == t.end:
            out.append(Token(t.text + ")", t.start, nxt.end, "PER"))  # 陳(茂波)司長: the Hong Kong speech's way
            skip = True
        elif t.tag in ("PER", "LOC", "ORG") and t.text.isascii() and _in_latin_run(text, t):
            out.append(Token(t.text, t.start, t.end, "x"))
        elif t.tag == "PER" and len(t.text) in (3, 4) and t.text[-1] in _DAY_OF_A_NAME and nxt is not None and nxt.tag == "v" and nxt.start == t.end:
            out += [Token(t.text[:-1], t.start, t.end - 1, "PER"), Token(t.text[-1], t.end - 1, t.end, "TIME")]
        elif t.tag == "PER" and _MADE_BY_A_NAME.fullmatch(t.text) and nxt is not None and nxt.start == t.end and nxt.text[:1] in "的了":
            out += [Token(t.text[:-1], t.start, t.end - 1, "PER"), Token(t.text[-1], t.end - 1, t.end, "v")]
        elif t.tag == "PER" and len(t.text) >= 3 and nxt is not None and nxt.start == t.end and _post_after_name().match(t.text[-1] + nxt.text):
            out += [Token(t.text[:-1], t.start, t.end - 1, "PER"), Token(t.text[-1], t.end - 1, t.end, "n")]
        else:
            out.append(t)
    return out


def _in_latin_run(text: str, t: Token) -> bool:
    """Whether the token lies in a run of three Latin words or more, or inside one word."""
    touching = t.start > 0 and text[t.start - 1].isalpha() and text[t.start - 1].isascii() or t.end < len(text) and text[t.end].isalpha() and text[t.end].isascii()
    run = next((m for m in _LATIN_RUN.finditer(text, max(0, t.start - 200), min(len(text), t.end + 200)) if m.start() <= t.start and t.end <= m.end()), None)
    return touching or run is not None and len(run.group().split()) >= 3


@cache
def _post_after_name() -> re.Pattern:
    """A post of two characters or more, as printed after a name (杨惠处长)."""
    return re.compile(lexicon.alternation(w for w in lexicon.words("posts.txt") if len(w) >= 2))


def _group_words_cut_off(tokens: list[Token]) -> list[Token]:
    """镇海区相关/ORG 领导: a body the tagger ran together with the word that makes its people an
    unnamed group (non_participant_cues.txt [group]: 相关, 有关负责人, 领导班子) is the body, then
    that word, so the group is told as such."""
    words = sorted(lexicon.sections("non_participant_cues.txt")["group"], key=len, reverse=True)  # 领导班子 before 班子
    out = []
    for t in tokens:
        word = next((w for w in words if t.text.endswith(w) and len(t.text) > len(w) + 1), "") if t.tag in ("ORG", "LOC") else ""
        if word:
            cut = t.end - len(word)
            out += [Token(t.text[: -len(word)], t.start, cut, t.tag), Token(word, cut, t.end, "n")]
        else:
            out.append(t)
    return out


@cache
def _government_endings() -> tuple[str, ...]:
    return tuple(e for e, (kind, *_) in lexicon.table("org_suffixes.tsv").items() if kind == "government" and len(e) > 1)


def _double_surnames(tokens: list[Token]) -> list[Token]:
    """行政长官/n 官林/n 郑月娥/PER: a married woman's name of two surnames (林郑月娥, 叶刘淑仪), whose
    first surname the tagger glued to the post before it, or left alone where a clause opens
    (林/nz 郑月娥/PER 出席), is one name of four characters."""
    surnames = lexicon.ranked("surnames.txt")
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        opens_clause = len(out) < 2 or out[-2].tag == "w"
        if (tok.tag == "PER" and len(tok.text) == 3 and tok.text[0] in surnames and prev is not None and prev.end == tok.start
                and prev.text[-1] in surnames and (len(prev.text) > 1 and _post_pattern().search("".join(t.text for t in out[-3:])[:-1])
                                                   or len(prev.text) == 1 and opens_clause and prev.tag not in ("p", "c", "d", "v", "PER"))):
            out[-1] = Token(prev.text[:-1], prev.start, prev.end - 1, prev.tag)
            tok = Token(prev.text[-1] + tok.text, prev.end - 1, tok.end, "PER")
        out.append(tok)
    return out


@cache
def _said_or_done() -> tuple[str, ...]:
    """The verbs of taking part, holding, saying and leading a party (triggers.tsv, event_verbs.txt):
    what follows a name."""
    verbs = lexicon.sections("event_verbs.txt")
    return tuple(lexicon.table("triggers.tsv")) + verbs["speech"] + verbs["held"] + verbs["leads"]


def _named_after_posts(tokens: list[Token]) -> list[Token]:
    """A name the tagger missed after a post, closed by a separator (县委副书记成宾, ; 市长路军、):
    two or three characters opening with a surname (data/surnames.txt) are a person. A surname
    alone that the tagger cut from its given name (市長蔡/PER 戰勝/nz 主持) is one too, closed by a
    verb as well."""
    surnames = lexicon.ranked("surnames.txt")
    out, done, i = [], 0, 0
    while i < len(tokens):
        if not i or tokens[i].text[:1] not in surnames:  # the cheap test first: this runs on every token
            i += 1
            continue
        cut = tokens[i].tag == "PER" and len(tokens[i].text) == 1
        j, text = i, ""
        while j < len(tokens) and len(text) < 3 and tokens[j].tag in _NAME_PIECE_TAGS and (tokens[j].tag != "PER" or cut and j == i) and re.fullmatch(r"[\u4e00-\u9fff]+", tokens[j].text):
            if j > i and tokens[j].text.startswith(_said_or_done()):
                break  # 市长王/PER 主持/v, 书记文献/n 主持会议/v: a verb of taking part or saying is no given name
            text += tokens[j].text
            j += 1
        # 区委书记文献主持会议: that verb closes a name too, when the tagger read no verb in it
        # (副县长应邀/v 出席: no name)
        told = j < len(tokens) and tokens[j].text.startswith(_said_or_done()) and all(t.tag not in ("v", "vn") for t in tokens[i:j])
        closed = j == len(tokens) or tokens[j].text in ("、", "，", ",", "。", "；") or cut and tokens[j].tag == "v" or told
        if 2 <= len(text) <= 3 and closed and _post_pattern().search("".join(t.text for t in tokens[max(0, i - 3) : i])):
            out += tokens[done:i] + [Token(text, tokens[i].start, tokens[j - 1].end, "PER")]
            done = i = j
            continue
        i += 1
    return out + tokens[done:]


def _full_names(doc: Extraction) -> None:
    """佩里 after 威廉·佩里, 唐 in 唐外长 after 唐家璇: a name printed again without its given name
    (or a surname alone) is the same person, labelled with the full name when the article prints
    only one that fits."""
    persons = [m for m in doc.mentions if m.type == PERSON and not m.attrs.get("credit")]
    full = {m.text.rsplit("·", 1)[-1]: m.text for m in persons if "·" in m.text}
    for surname in {m.text for m in persons if len(m.text) == 1}:
        names = {m.text for m in persons if len(m.text) > 1 and m.text.startswith(surname) and "·" not in m.text}
        if len(names) == 1:
            full[surname] = names.pop()
    for m in persons:
        if m.text in full:
            m.key = full[m.text]


def _glued(sentence: str, tokens: list[Token], i: int) -> bool:
    """Whether the person token ``i`` stands in a run of names without separators where the
    tagger's cut is doubtful (a headline's 朱镕基李瑞/PER 环尉/v 健行). A name there is trusted when it
    and the names it touches each read as one Chinese name and no word it touches could lend it a
    character (李瑞 + 环): 王兆国/PER 王忠禹/PER 王家福/PER （女）, a list whose spaces were lost."""
    def person(j: int) -> bool:
        return 0 <= j < len(tokens) and tokens[j].tag == "PER" and len(tokens[j].text) > 1

    if re.search("[、，,。]", sentence) or not (person(i - 1) or person(i + 1)):
        return False
    name = tokens[i].text
    if not _one_name(name):
        return True
    for j, widened in ((i - 1, lambda piece: piece[-1] + name), (i + 1, lambda piece: name + piece[0])):
        if person(j) and not _one_name(tokens[j].text):
            return True
        if 0 <= j < len(tokens) and not person(j) and _name_piece(tokens[j]) and _one_name(widened(tokens[j].text)):
            return True
    return False


@cache
def _one_name(text: str) -> bool:
    return read_run_of_names(text) == [(0, len(text))]


def _name_piece(tok: Token) -> bool:
    return tok.tag in _NAME_PIECE_TAGS and re.fullmatch(r"[\u4e00-\u9fff]+", tok.text) is not None


def _called_by_title(tokens: list[Token], i: int) -> bool:
    """江/PER 总书记, 欧阳/LOC 副主席: a surname and a title, which kg/resolve reads as one reference
    (美/LOC 总统 is a country's president: only a person token may be a surname of one character)."""
    name = tokens[i].text.strip()
    return (name in compound_surnames() or len(name) == 1 and tokens[i].tag == "PER") and bool(_post_after(tokens, i))


def _area_named(tokens: list[Token], i: int) -> bool:
    """Whether the person token runs on into an area's ending printed twice, the area's and its
    post's (黄大仙/PER 区区议员): a district. 王刚区长, 王刚区议员 stay persons."""
    rest = "".join(t.text for t in tokens[i + 1 : i + 3])
    return i + 1 < len(tokens) and tokens[i + 1].start == tokens[i].end and rest[:1] in LEVEL_ENDINGS and rest[1:2] == rest[:1]


def _not_a_person(sentence: str, tokens: list[Token], i: int, printed_apart: set[str]) -> bool:
    """A person token that is no one's name: a title, or names run together in a headline."""
    name = tokens[i].text.strip()
    if len(name) > 5 and "·" not in name and not re.search("[、，,]", sentence) and len(read_run_of_names(name)) > 1:
        return True  # 李鹏乔石朱镕基: names glued together in a headline (斯考克罗夫特, 卡迪尔加马尔 are one)
    if _post_pattern().fullmatch(name):
        return True  # 国务委员/PER: a title taken for a name
    if name in _said_or_done():
        return True  # 会议召开 王沪宁出席, 主持/PER 会议: a verb taken for a name
    if name in lexicon.sections("non_participant_cues.txt")["unnamed"]:
        return True  # 会见参加…联谊会嘉宾/PER: people of a kind, no one's name
    if _area_named(tokens, i):
        return True  # 黄大仙/PER 区区议员: the name of a district, not a person
    if _called_by_title(tokens, i):
        return True  # 江总书记在讲话中指出: an official called by title, most often recalled rather than present
    return _glued(sentence, tokens, i) and name not in printed_apart  # 朱镕基李瑞/PER 环尉/v 健行: a headline name the body never prints


def _heads_a_post(doc: Extraction, tokens: list[Token], i: int) -> bool:
    """黃大仙/PER 民政事務專員胡鉅華: a person token printed with no post of its own, that the post of
    the next name starts right after, is where that post is held, not a person (not 副縣長陳金虎
    秘書長陳明仁, two officials; not 曾梓展及…副議長顏莉敏)."""
    j = next((j for j in range(i + 1, min(len(tokens), i + 6)) if tokens[j].tag == "PER"), None)
    if j is None or doc.article.text[tokens[i].end : tokens[i].end + 1] in CONJUNCTIONS + "、，,":
        return False
    return not _posts_before(doc, tokens, i) and any(start == tokens[i].end for _, start, _ in _posts_before(doc, tokens, j))


def _person(doc: Extraction, tokens: list[Token], i: int, evidence: Evidence) -> None:
    """The person mention of token ``i``, with the posts printed around it."""
    tok, text = tokens[i], doc.article.text
    person = Mention(tok.text, PERSON, tok.start, tok.end, key=re.sub(r"[()]", "", tok.text) if "(" in tok.text else "", source=EXTRACTOR)
    for post, start, end in _posts_before(doc, tokens, i) + _post_after(tokens, i):
        mention = Mention(text[start:end], POST, start, end, source=EXTRACTOR)
        doc.mentions.append(mention)
        person.attrs.setdefault("posts", []).append(post)
        doc.facts.append(Fact("holds_post", person, mention, evidence, value=post))
    doc.mentions.append(person)


def _in_venue(tok: Token, venues: list[Mention]) -> bool:
    """在北京饭店出席: an organisation inside a venue is where, not who (it would take part);
    a place inside it (北京 in 北京人民大会堂) is a place of its own; 日前假洲際酒店/ORG, the venue
    with the words before it run together, is the venue too."""
    before = _venue_words()
    return any(
        v.start <= tok.start and tok.end <= v.end and (tok.tag != "LOC" or v.text == tok.text)
        or tok.start < v.start and v.end == tok.end and tok.text[: v.start - tok.start].endswith(before)
        for v in venues
    )


def _named(tok: Token, whole: str, attrs: dict | None = None) -> Mention:
    """A place or organisation mention, of the tagger's type: only a place named like an
    organisation (广东省军区/LOC) is one, as it holds meetings."""
    lead, trail = stray_quotes(tok.text)  # 「雙城論壇: 雙城論壇
    if lead or trail:
        tok = Token(tok.text[lead : len(tok.text) - trail], tok.start + lead, tok.end - trail, tok.tag)
    name = tok.text.strip()
    if tok.tag == "LOC" and not _org_named(name):
        return Mention(tok.text, PLACE, tok.start, tok.end, "admin" if _ADMIN_SUFFIX.search(name) else "", whole, EXTRACTOR, attrs or {})
    return Mention(tok.text, ORGANIZATION, tok.start, tok.end, org_subtype(whole or name), whole, EXTRACTOR, attrs or {})


@component("entities.v1")
def entities(doc: Extraction) -> None:
    text = doc.article.text
    folded = fold_width(text)
    venues = []
    for sentence in doc.sentences:
        for m in _venue_pattern().finditer(folded, sentence.start, sentence.end):
            sub = m["venue"].endswith(("分会场", "主会场"))
            venue = Mention(text[m.start("venue") : m.end("venue")], PLACE, m.start("venue"), m.end("venue"), "venue", source=EXTRACTOR, attrs={"sub_venue": sub})
            venues.append(venue)
    doc.mentions.extend(venues)

    sentences = [
        (sentence, _named_after_posts(_double_surnames(_bodies_read_as_names(_group_words_cut_off(_repaired_names(_bodies_named_as_meetings(doc, folded, sentence, _government_bodies(doc, folded, sentence, _merged(_name_edges_repaired(doc.article.text, _cut_at_marks(_out_of_credits(doc, tokens))))))))))))
        for sentence, tokens in zip(doc.sentences, doc.tokens)
    ]
    printed_apart = {tok.text for sentence, tokens in sentences for i, tok in enumerate(tokens) if tok.tag == "PER" and not _glued(sentence.text, tokens, i)}
    found = {(m.start, m.end) for m in doc.mentions}  # the credits' names and places, the venues
    expressions = list(DATE_EXPRESSION.finditer(folded))
    date_spans = [m.span() for m in expressions]  # resolved or not (no publication date)
    for sentence, tokens in sentences:
        evidence = _evidence(doc, sentence)
        wholes = _whole_names(doc, tokens)
        for i, tok in enumerate(tokens):
            if tok.tag not in ("PER", "LOC", "ORG") or not tok.text.strip() or (tok.start, tok.end) in found:
                continue
            if any(a <= tok.start and tok.end <= b for a, b in date_spans):
                continue  # 日/LOC (Japan) in 今(5)日: a date, not a name
            if _in_credit(doc, tok.start, tok.end):
                if tok.tag != "PER":  # persons there are the credits' own; 新华社, 德国 in 本报德国慕尼黑…电
                    doc.mentions.append(_named(tok, wholes.get(i, ""), {"credit": "outlet" if tok.tag == "ORG" else "place"}))
            elif tok.tag == "PER":
                if not _not_a_person(sentence.text, tokens, i, printed_apart) and not _heads_a_post(doc, tokens, i):
                    _person(doc, tokens, i, evidence)
            elif not _post_pattern().fullmatch(tok.text.strip()) and not _in_venue(tok, venues) and not _called_by_title(tokens, i):  # 国务委员/ORG: a title
                doc.mentions.append(_named(tok, wholes.get(i, "")))

    _printed_again(doc, folded)
    _full_names(doc)
    doc.mentions.extend(_dates(doc, expressions))


def _printed_again(doc: Extraction, folded: str) -> None:
    """政府旗长常胜带队 in the body, then 常胜强调 and the headline's 常胜带队赴江苏…: a person the article
    introduces with a post (a name opening with a surname) is that person where the name is printed
    again before a verb of taking part, saying or leading, a post, 一行 or 等, and the tagger read no
    name there."""
    posts = {(m.end, m.text) for m in doc.mentions if m.type == POST}
    surnames = lexicon.ranked("surnames.txt")
    introduced = {m.text for m in doc.mentions if m.type == PERSON and len(m.text) >= 2 and m.text[0] in surnames and not m.attrs.get("credit") and any(end == m.start for end, _ in posts)}
    taken = [(m.start, m.end) for m in doc.mentions] + list(doc.credit_spans)
    after = _said_or_done() + lexicon.words("posts.txt") + ("一行", "等")
    for name in introduced:
        for found in re.finditer(re.escape(fold_width(name)), folded):
            start, end = found.span()
            if folded.startswith(after, end) and not any(a < end and start < b for a, b in taken):
                doc.insert_in_text_order(Mention(doc.article.text[start:end], PERSON, start, end, source=EXTRACTOR))
                taken.append((start, end))


def _dates(doc: Extraction, expressions: list[re.Match]) -> list[Mention]:
    """The article's date ``expressions``, resolved; 今天 in 新华社北京１月１３日电 is the 13th:
    relative dates count from the dateline."""
    base = doc.article.date
    for fact in doc.facts:
        if fact.kind == "dateline" and fact.value:
            dateline = DATE_EXPRESSION.search(fold_width(fact.value))
            base = dateline and resolve(dateline, doc.article.date) or base
            break
    out = []
    for m in expressions:
        value = resolve(m, base if m["relative"] else doc.article.date)
        if value:
            out.append(Mention(doc.article.text[m.start() : m.end()], DATE, m.start(), m.end(), key=value, source=EXTRACTOR))
    return out
