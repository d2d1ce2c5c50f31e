"""A learned decision over participation candidates (decide.v1).

The rules of participation.v1 propose facts; this component adds one more kind of candidate
(``nearby.v1``: a person or organisation listed in a sentence that says the article's event took
place or was attended, whom no rule took) and lets a small logistic model decide which candidates
hold, from what it can see of each: the rule and its cue, the role, where the name stands (in a
list, how far from the cue word, in which sentence), what the clause is (a quote, a memory, a
plan, background) and what the event is. The model is trained on the train split of the modern
development corpus by ``bench/train_decide.py``; its weights and threshold ship in
``kg/models/decide.json`` and it runs on numpy alone.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources

from kg import lexicon
from kg.extract import component
from kg.extract.participation import may_take_part
from kg.model import ORGANIZATION, PERSON, POST, Evidence, Extraction, Fact
from kg.text import fold_width

EXTRACTOR = "decide.v1"
NEARBY = "nearby.v1"
MODEL = "decide.json"
_CLAUSE_END = re.compile(r"[，。；：,;:!?！？]")


@cache
def _cues() -> dict[str, re.Pattern]:
    """Named word lists the features look for, each from a data file."""
    verbs = lexicon.sections("event_verbs.txt")
    cues = lexicon.sections("non_participant_cues.txt")
    words = lexicon.sections("decide_cues.txt")
    out = {name: re.compile(lexicon.alternation(ws)) for name, ws in words.items()}
    out["speech"] = re.compile(lexicon.alternation(verbs["speech"]))
    out["held"] = re.compile(lexicon.alternation(verbs["held"]))
    out["before"] = re.compile(lexicon.alternation(cues["before"]))
    out["message"] = re.compile(lexicon.alternation(cues["message"]))
    out["trigger"] = re.compile(lexicon.alternation(lexicon.table("triggers.tsv")))
    return out


def _bucket(name: str, value: float, edges: tuple[float, ...]) -> str:
    return f"{name}<={next((e for e in edges if value <= e), 'inf')}"


def features(doc: Extraction, fact: Fact, folded: str, counts: dict[str, int], by_rules: list[Fact]) -> list[str]:
    """The names of the binary features a candidate has (``feature`` or ``feature=value``);
    ``by_rules``: the participations the rules made, for what stands next to the candidate."""
    who, event, ev = fact.subject, fact.object, fact.evidence
    cues = _cues()
    clause_start = max([ev.start] + [ev.start + m.end() for m in _CLAUSE_END.finditer(folded[ev.start : who.start])])
    ends = (ev.start + m.start() for m in _CLAUSE_END.finditer(folded[ev.start : ev.end]))
    clause_end = next((e for e in ends if e >= who.end), ev.end)
    clause, sentence = folded[clause_start:clause_end], folded[ev.start : ev.end]
    before = folded[max(ev.start, who.start - 2) : who.start]
    after = folded[who.end : who.end + 2]
    cue = fact.attrs.get("cue", "")
    cue_at = folded.find(cue, ev.start, ev.end) if cue else -1
    index = next((i for i, s in enumerate(doc.sentences) if s.start == ev.start), 0)
    out = [
        "bias",
        f"rule={fact.attrs.get('rule', '?')}",
        f"seed={fact.attrs.get('seed', 'rule')}",
        f"role={fact.role}",
        f"rule_role={fact.attrs.get('rule', '?')}:{fact.role}",
        f"type={who.type}",
        f"event={event.subtype or '?'}",
        f"main={event is doc.main_event}",
        _bucket("sentence", index, (0, 1, 2, 4, 8)),
        _bucket("mentions", counts.get(who.label, 1), (1, 2, 4)),
        _bucket("length", len(who.text), (1, 2, 3, 4, 6)),
        _bucket("cue_distance", abs(cue_at - who.end) if cue_at >= 0 else 99, (2, 6, 15, 40)),
        f"cue_after={cue_at >= who.end}",
        f"listed={'、' in before[-1:] or '、' in after[:1]}",
        f"after={after[:1] if after[:1] in '、，,和与及等出主在说表参陪同' else 'other'}",
        f"before={before[-1:] if before[-1:] in '、，,和与及长记任席员' else 'other'}",
        f"post_before={any(p.end == who.start or p.end == who.start - 1 for p in doc.mentions if p.type == POST)}",
        f"quoted={folded.count('“', ev.start, who.start) > folded.count('”', ev.start, who.start)}",
        f"script={doc.article.script or '?'}",
        f"event_in_sentence={event.start >= ev.start and event.start < ev.end}",
        f"list_mate={_list_mate(folded, who, fact, by_rules)}",
        f"clause_has_participant={any(clause_start <= f.subject.start < clause_end and f.subject is not who for f in by_rules)}",
    ]
    for name in ("speech", "held", "before", "message", "trigger", *lexicon.sections("decide_cues.txt")):
        if cues[name].search(clause):
            out.append(f"clause_has={name}")
        if cues[name].search(sentence):
            out.append(f"sentence_has={name}")
    return out


def _list_mate(folded: str, who, fact: Fact, by_rules: list[Fact]) -> bool:
    """Whether a participant the rules found at the same event stands next to the candidate in a
    list (甲、乙、丙出席: the rules took 甲 and 丙)."""
    for f in by_rules:
        if f is fact or f.object is not fact.object or f.subject is who:
            continue
        a, b = sorted((f.subject, who), key=lambda m: m.start)
        if 0 <= b.start - a.end <= 12 and re.fullmatch(r"[、和及与,，]?[^，。；;,、]{0,10}?[、和及与]?", folded[a.end : b.start]) and "、" in folded[a.end - 1 : b.start + 1]:
            return True
    return False


def _nearby(doc: Extraction, folded: str) -> list[Fact]:
    """Candidates for the model, whom no rule took and who pass the rules' own test of who may
    take part: the persons and organisations named in a sentence that has a participation
    already (for its event: seed kind ``participation``) or a trigger or held word (for the
    article's event: ``trigger``), and the persons printed with a post in any other sentence (for
    the article's event: ``article``)."""
    taken = {(f.subject.label, f.object.label) for f in doc.facts if f.kind == "participation"}
    credits = doc.credit_spans
    out = []
    by_sentence = {}
    for f in doc.facts:
        if f.kind == "participation":
            by_sentence.setdefault(f.evidence.start, f)
    cues = _cues()
    for s in doc.sentences:
        seed, seed_kind = by_sentence.get(s.start), "participation"
        sentence = folded[s.start : s.end]
        if seed is None and doc.main_event is not None:
            seed_kind = "trigger" if cues["trigger"].search(sentence) or cues["held"].search(sentence) else "article"
            seed = Fact("participation", None, doc.main_event, Evidence(doc.article.id, s.text, s.start, s.end, EXTRACTOR))
        if seed is None:
            continue
        for m in doc.mentions:
            if m.type not in (PERSON, ORGANIZATION) or not s.start <= m.start < s.end or m.attrs.get("credit"):
                continue
            if seed_kind == "article" and not (m.type == PERSON and m.attrs.get("posts")):
                continue
            if any(a <= m.start < b for a, b in credits) or (m.label, seed.object.label) in taken:
                continue
            if not may_take_part(doc, m, folded, s):
                continue  # 市委 in 市委书记, 《梁山伯与祝英台》, 吴邦国致信…
            taken.add((m.label, seed.object.label))
            out.append(Fact("participation", m, seed.object, seed.evidence, role="attendee", attrs={"rule": NEARBY, "cue": seed.attrs.get("cue", ""), "seed": seed_kind}))
    return out


@cache
def load_model() -> dict:
    return json.loads(resources.files("kg.models").joinpath(MODEL).read_text(encoding="utf-8"))


def probability(weights: dict[str, float], names: list[str]) -> float:
    z = sum(weights.get(n, 0.0) for n in names)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def holds(fact: Fact, p: float, threshold: float, keep_rules: bool) -> bool:
    """Whether a candidate of probability ``p`` is kept: above the threshold, or (``keep_rules``)
    made by a rule, the model deciding only the nearby candidates."""
    return p >= threshold or keep_rules and fact.attrs["rule"] != NEARBY


def candidates(doc: Extraction) -> list[Fact]:
    """The rules' participations and the nearby ones, each with its features in ``attrs``."""
    folded = fold_width(doc.article.text)
    counts: dict[str, int] = {}
    for m in doc.mentions:
        counts[m.label] = counts.get(m.label, 0) + 1
    by_rules = [f for f in doc.facts if f.kind == "participation"]
    found = by_rules + ([] if NEARBY in doc.disabled_rules else _nearby(doc, folded))
    for f in found:
        f.attrs["features"] = features(doc, f, folded, counts, by_rules)
    return found


@component(EXTRACTOR)
def decide(doc: Extraction) -> None:
    """Keep the candidates the model holds likely (each fact keeps its probability)."""
    model = load_model()
    kept = []
    for f in candidates(doc):
        p = probability(model["weights"], f.attrs.pop("features"))
        f.attrs["probability"] = round(p, 4)
        if holds(f, p, model["threshold"], model.get("keep_rules", False)):
            kept.append(f)
    doc.facts[:] = [f for f in doc.facts if f.kind != "participation"] + kept
