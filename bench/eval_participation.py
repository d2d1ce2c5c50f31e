"""Score kg's participation facts against the hand-annotated People's Daily 1998 dev set.

Figures (micro-averaged over the annotated articles only):

* triples    (participant, event, role): P/R/F1 overall and per role;
* pairs      (participant, event), role ignored: P/R/F1;
* events     detection P/R/F1, one-to-one alignment by name (`names_match`), gold events
             without participants included; plus the recall of gold events among *all*
             event mentions (a ceiling for what event selection could reach);
* credits    reporters and photographers P/R/F1 against the article-level credits; on the
             modern corpus, whose gold lists photographers among the reporters (ANNOTATION.md),
             kg's reporters and photographers together against the gold reporters.

System events are those the pipeline asserts took place: the article's main event and every
event that is the object of a participation fact or the subject of an event_date / event_venue /
event_form fact.  A system event aligned to a gold event takes that gold event's identity in the
triples; a system event left out of the one-to-one alignment but whose name still matches a gold
event of its article (the same event named twice: 茶话会 / 新年茶话会) is also mapped onto it for
the triples, so naming one event twice costs event precision only, not triple precision.

The corpus holds held-out articles (1998-01-16 and later): they are dropped by date as they are
read, before the pipeline sees anything, and only doc_ids of the dev set are scored.

    PYTHONPATH=. python bench/eval_participation.py [--dev TOML] [--corpora DIR] [--json OUT] [--errors N]
        [--modern train|dev|all|blind] [--by-rule] [--kinds] [--disable RULE ...] [--decide] [--no-cache]

``--modern SPLIT`` scores a split of the modern corpus (../shared/corpora/modern_news) against its
adjudicated annotation (bench/data/modern_news_gold.json; rows marked uncertain neither count
for nor against), per script as well. ``--by-rule`` prints TP/FP per named rule, ``--kinds``
where pairs are lost (`error_kinds`), ``--disable``
switches rules off for an ablation; tagging is cached by sentence in bench/.cache, so a
rules-only re-run takes seconds. The blind split is scored once, at the end of a piece of work.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg.nlp.ner import DEFAULT_TAGGER

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DEV = REPO_ROOT / "bench" / "data" / "pd1998_dev_participation.toml"
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
CORPUS = "peoples_daily_1998_articles/pd199801_meeting_articles.jsonl"
DEV_FIRST, DEV_LAST = "1998-01-01", "1998-01-15"  # later dates are held out: never read
MODERN_CORPUS = "modern_news/articles.jsonl"
MODERN_GOLD = REPO_ROOT / "bench" / "data" / "modern_news_gold.json"  # adjudicated annotation
SPLIT_FILE = REPO_ROOT / "bench" / "data" / "modern_news_split.json"
CACHE = REPO_ROOT / "bench" / ".cache"  # tagging, by sentence (not committed)
ROLES = ("attendee", "speaker", "chair", "host", "guest")

# ---------------------------------------------------------------- gold


@dataclass
class GoldEvent:
    name: str
    date: str = ""
    place: str = ""
    participants: set[tuple[str, str]] = field(default_factory=set)  # (name, role)
    uncertain: set[tuple[str, str]] = field(default_factory=set)  # neither required nor held against


@dataclass
class GoldArticle:
    doc_id: str
    date: str
    reporters: set[str] = field(default_factory=set)
    photographers: set[str] = field(default_factory=set)
    events: list[GoldEvent] = field(default_factory=list)


def load_gold(path: str | Path) -> dict[str, GoldArticle]:
    """The dev TOML -> {doc_id: GoldArticle}; rejects unknown roles and held-out dates."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    gold = {}
    for rec in data["article"]:
        if not DEV_FIRST <= rec["date"] <= DEV_LAST:
            raise ValueError(f"{rec['doc_id']}: date {rec['date']} is outside the dev range")
        events = []
        for ev in rec.get("event", []):
            parts = {(name, role) for name, role in ev.get("participants", [])}
            bad = {role for _, role in parts if role not in ROLES}
            if bad:
                raise ValueError(f"{rec['doc_id']} {ev['name']}: unknown role(s) {sorted(bad)}")
            events.append(GoldEvent(ev["name"], ev.get("date", ""), ev.get("place", ""), parts))
        gold[rec["doc_id"]] = GoldArticle(rec["doc_id"], rec["date"], set(rec.get("reporters", [])), set(rec.get("photographers", [])), events)
    return gold


def load_annotation(path: str | Path, ids=None) -> dict[str, GoldArticle]:
    """An annotation in the JSON of ../shared/ANNOTATION.md -> {doc_id: GoldArticle}, only ``ids``
    when given; uncertain rows are kept apart."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["articles"]
    gold = {}
    for doc_id, rec in data.items():
        if ids is not None and doc_id not in ids:
            continue
        events = {e["name"]: GoldEvent(e["name"], e.get("date") or "", e.get("place") or "") for e in rec["events"]}
        for who, event, roles, *flags in rec["participation"]:
            bad = set(roles) - set(ROLES)
            if bad or event not in events:
                raise ValueError(f"{path}: {doc_id} {who}/{event}: unknown role(s) {sorted(bad)} or event")
            rows = events[event].uncertain if flags and flags[0].get("uncertain") else events[event].participants
            rows |= {(who, role) for role in roles}
        for e in events.values():
            e.uncertain -= e.participants
        gold[doc_id] = GoldArticle(doc_id, rec.get("date") or "", set(rec.get("reporters", [])), set(), list(events.values()))
    return gold


# ---------------------------------------------------------------- matching

_DROP = re.compile(r"[\s“”‘’「」『』\"'《》]")
_DOTS = str.maketrans({"・": "·", "•": "·", "‧": "·", "･": "·"})


def norm(name: str) -> str:
    """Width-folded (１９９８ -> 1998), in simplified characters (the identity key of a name printed
    in traditional ones: 林鄭月娥 is 林郑月娥), without spaces, quotation marks and book-title marks,
    one middle dot (威廉・佩里 -> 威廉·佩里)."""
    from kg.nlp.script import to_simplified
    from kg.text import fold_width

    return _DROP.sub("", to_simplified(fold_width(name.translate(_DOTS))))


def names_match(a: str, b: str) -> int:
    """THE event-name matching rule.  2: equal after `norm`; 1: one normalised name contains the
    other (全国广播影视系统语言工作会议 / 语言工作会议); 0: no match (an empty name never matches).
    Participants are compared by `norm` equality only."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return 0
    if a == b:
        return 2
    return 1 if a in b or b in a else 0


def align_events(gold_names: list[str], sys_names: list[str], overlap=None) -> dict[int, int]:
    """One-to-one {system index: gold index}, greedy on (match strength, shared participants,
    length of the shorter name).  ``overlap(i, j)`` counts participants shared by system event i
    and gold event j (tie-breaker between two 会见)."""
    cands = []
    for i, s in enumerate(sys_names):
        for j, g in enumerate(gold_names):
            strength = names_match(s, g)
            if strength:
                shared = overlap(i, j) if overlap else 0
                cands.append((strength, shared, min(len(norm(s)), len(norm(g))), -i, -j))
    out, used = {}, set()
    for _, _, _, i, j in sorted(cands, reverse=True):
        if -i not in out and -j not in used:
            out[-i] = -j
            used.add(-j)
    return out


def align_by_participants(aligned: dict[int, int], sys_people: list[set], gold_people: list[set]) -> dict[int, int]:
    """``aligned`` extended, one to one, by the events left over that share participants: at least
    one, and at least half of the smaller event's (王文涛在大庆调研 / 王文涛到大庆市调研 are one
    visit; names built from the text differ even between two annotators).  Greedy on shared
    participants."""
    out = dict(aligned)
    cands = []
    for i, s in enumerate(sys_people):
        for j, g in enumerate(gold_people):
            shared = len(s & g)
            if i not in aligned and j not in aligned.values() and shared and 2 * shared >= min(len(s), len(g)):
                cands.append((shared, -i, -j))
    used = set(out.values())
    for _, i, j in sorted(cands, reverse=True):
        if -i not in out and -j not in used:
            out[-i] = -j
            used.add(-j)
    return out


def prf(tp: int, n_sys: int, n_gold: int) -> dict:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "sys": n_sys, "gold": n_gold}


def score_sets(system: set, gold: set) -> dict:
    return prf(len(system & gold), len(system), len(gold))


# ---------------------------------------------------------------- system output


@dataclass
class SystemArticle:
    """What the pipeline said about one article, reduced to names."""

    events: list[str]  # system event labels, in first-seen order
    mentioned: list[str]  # every event mention label
    participations: list[tuple]  # (participant, event label, role, evidence sentence[, rule])
    reporters: set[str]
    photographers: set[str]


def annotation_as_system(annotation: dict[str, GoldArticle]) -> dict[str, SystemArticle]:
    """An annotator's sure rows as if a system had said them: scored against the adjudication
    or the other annotator, the annotators' agreement under the same scorer as kg."""
    return {
        d: SystemArticle([e.name for e in a.events], [e.name for e in a.events], [(p, e.name, r, "") for e in a.events for p, r in e.participants], a.reporters, a.photographers)
        for d, a in annotation.items()
    }


def _as_printed(m) -> str:
    """The participant under the name the article printed: the annotators wrote 辽宁省沈阳市 and
    福建省人大常委会 where kg names the entity 沈阳市 (in 辽宁省) or expands a short form."""
    return m.attrs.get("resolution", {}).get("printed") or m.label


def system_article(doc) -> SystemArticle:
    """Reduce a kg Extraction: see the module docstring for which events count."""
    events = []

    def add(label):
        if label and label not in events:
            events.append(label)

    if doc.main_event is not None:
        add(doc.main_event.label)
    parts = []
    for f in doc.facts:
        if f.kind == "participation":
            add(f.object.label)
            parts.append((_as_printed(f.subject), f.object.label, f.role, f.evidence.sentence, f.attrs.get("rule", "?")))
        elif f.kind in ("event_date", "event_venue", "event_form") and f.subject is not None:
            add(f.subject.label)
    mentioned = list(dict.fromkeys(m.label for m in doc.mentions if m.type == "event"))
    reporters = {f.subject.label for f in doc.facts if f.kind == "reporter" and f.subject is not None}
    photographers = {f.subject.label for f in doc.facts if f.kind == "photographer" and f.subject is not None}
    return SystemArticle(events, mentioned, parts, reporters, photographers)


# ---------------------------------------------------------------- scoring


def alignment(g: GoldArticle, s: SystemArticle, by_participants: bool = False) -> dict[int, int]:
    """{system event index: gold event index} of one article: by name (`align_events`), then,
    with ``by_participants``, the events left over by shared participants."""
    gpeople = [{norm(p) for p, _ in e.participants} for e in g.events]
    speople = [{norm(p[0]) for p in s.participations if p[1] == label} for label in s.events]
    aligned = align_events([e.name for e in g.events], s.events, lambda i, j: len(speople[i] & gpeople[j]))
    return align_by_participants(aligned, speople, gpeople) if by_participants else aligned


def score(gold: dict[str, GoldArticle], system: dict[str, SystemArticle], by_participants: bool = False) -> tuple[dict, dict]:
    """Figures and error lists for the articles of ``gold`` (a missing system article = empty).
    ``by_participants``: events left unaligned by name are aligned by shared participants
    (`align_by_participants`), a second figure beside THE one by name."""
    tri_s, tri_g, tri_u, ev_tp, ev_s, ev_g, ment_tp = set(), set(), set(), 0, 0, 0, 0
    rules: dict[tuple, set[str]] = {}  # triple -> the rules that made it
    errors = {"events_fp": [], "events_fn": []}
    evidence = {}
    cred = {k: (set(), set()) for k in ("reporters", "photographers")}
    for doc_id, g in gold.items():
        s = system.get(doc_id) or SystemArticle([], [], [], set(), set())
        gnames = [e.name for e in g.events]
        aligned = alignment(g, s, by_participants)
        ev_tp, ev_s, ev_g = ev_tp + len(aligned), ev_s + len(s.events), ev_g + len(gnames)
        ment_tp += len(align_events(gnames, s.mentioned))
        errors["events_fp"] += [(doc_id, name) for i, name in enumerate(s.events) if i not in aligned]
        errors["events_fn"] += [(doc_id, name) for j, name in enumerate(gnames) if j not in aligned.values()]

        def key(label):  # system event label -> gold event identity, else its own name
            i = s.events.index(label)
            if i in aligned:
                return ("gold", aligned[i])
            best = max(range(len(gnames)), key=lambda j: (names_match(label, gnames[j]), len(norm(gnames[j]))), default=None)
            return ("gold", best) if best is not None and names_match(label, gnames[best]) else ("sys", norm(label))

        for who, ev, role, sentence, *rule in s.participations:
            t = (doc_id, key(ev), norm(who), role)
            tri_s.add(t)
            evidence.setdefault(t, (who, ev, sentence))
            rules.setdefault(t, set()).update(rule)
        for j, e in enumerate(g.events):
            tri_g |= {(doc_id, ("gold", j), norm(p), role) for p, role in e.participants}
            tri_u |= {(doc_id, ("gold", j), norm(p), role) for p, role in e.uncertain}
        for k, (ss, gs) in cred.items():
            ss |= {(doc_id, norm(n)) for n in getattr(s, k)}
            gs |= {(doc_id, norm(n)) for n in getattr(g, k)}

    # a row the annotators marked uncertain is neither required nor held against the system
    pairs_g = {t[:3] for t in tri_g}
    pairs_u = {t[:3] for t in tri_u} - pairs_g
    tri_s = {t for t in tri_s if t not in tri_u and t[:3] not in pairs_u}
    results = {
        "articles": len(gold),
        "triples": score_sets(tri_s, tri_g),
        "roles": {r: score_sets({t for t in tri_s if t[3] == r}, {t for t in tri_g if t[3] == r}) for r in ROLES},
        "pairs": score_sets({t[:3] for t in tri_s}, {t[:3] for t in tri_g}),
        "events": prf(ev_tp, ev_s, ev_g),
        "event_mention_recall": round(ment_tp / ev_g, 4) if ev_g else 0.0,
        "reporters": score_sets(*cred["reporters"]),
        "photographers": score_sets(*cred["photographers"]),
        "by_rule": by_rule(tri_s, tri_g, rules),
    }

    def gold_name(t):
        return gold[t[0]].events[t[1][1]].name if t[1][0] == "gold" else t[1][1]

    errors["triples_fp"] = [{"doc": t[0], "who": evidence[t][0], "event": evidence[t][1], "gold_event": gold_name(t) if t[1][0] == "gold" else None, "role": t[3], "rule": ",".join(sorted(rules.get(t, ()))), "sentence": evidence[t][2]} for t in sorted(tri_s - tri_g, key=str)]
    errors["triples_fn"] = [{"doc": t[0], "who": t[2], "event": gold_name(t), "role": t[3]} for t in sorted(tri_g - tri_s, key=str)]
    for k, (ss, gs) in cred.items():
        errors[f"{k}_fp"], errors[f"{k}_fn"] = sorted(ss - gs), sorted(gs - ss)
    return results, errors


MISSED_KINDS = ("person nowhere", "person at another event", "event missed, person nowhere", "event missed, person elsewhere")
SPURIOUS_KINDS = ("person not in the gold", "person of another gold event", "event unmatched, person in the gold", "event unmatched, person not in the gold")


def error_kinds(gold: dict[str, GoldArticle], system: dict[str, SystemArticle]) -> dict[str, dict[str, int]]:
    """Where (participant, event) pairs are lost, events aligned by participants: a gold pair missed
    because kg put the person in no event (person nowhere), in another one, or found no event for it;
    a pair kg said wrongly because the person is in no gold event, in another one, or because its event
    matches none. Rows marked uncertain count for neither side."""
    missed, spurious = dict.fromkeys(MISSED_KINDS, 0), dict.fromkeys(SPURIOUS_KINDS, 0)
    for doc_id, g in gold.items():
        s = system.get(doc_id) or SystemArticle([], [], [], set(), set())
        aligned = alignment(g, s, by_participants=True)
        to_sys = {j: i for i, j in aligned.items()}
        anyone = {norm(p[0]) for p in s.participations}
        in_gold = {norm(p) for e in g.events for p, _ in e.participants | e.uncertain}
        for j, e in enumerate(g.events):
            found = {norm(p[0]) for p in s.participations if j in to_sys and p[1] == s.events[to_sys[j]]}
            for who in {norm(p) for p, _ in e.participants} - found:
                elsewhere = who in anyone
                kind = ("person at another event" if elsewhere else "person nowhere") if j in to_sys else ("event missed, person elsewhere" if elsewhere else "event missed, person nowhere")
                missed[kind] += 1
        for who, label in {(norm(p[0]), p[1]) for p in s.participations}:
            i = s.events.index(label)
            if i in aligned:
                event = g.events[aligned[i]]
                if who in {norm(p) for p, _ in event.participants | event.uncertain}:
                    continue
                spurious["person of another gold event" if who in in_gold else "person not in the gold"] += 1
            else:
                spurious["event unmatched, person in the gold" if who in in_gold else "event unmatched, person not in the gold"] += 1
    return {"missed": missed, "spurious": spurious}


def report_kinds(kinds: dict[str, dict[str, int]]) -> str:
    out = ["(participant, event) pairs lost, events aligned by participants:"]
    for side in ("missed", "spurious"):
        out += [f"  {side:<9} {kind:<40}{n:>6}" for kind, n in kinds[side].items()]
    return "\n".join(out)


def bootstrap_by_script(gold: dict[str, GoldArticle], system: dict[str, SystemArticle], scripts: dict[str, str], resamples: int, by_participants: bool = False, seed: int = 13) -> dict:
    """90 % intervals of (participant, event) F1 per script and of traditional minus simplified,
    resampling the articles of each script with replacement (the figures are micro-averages, so
    an article's counts add up).  Dev holds some twenty traditional articles: a difference of a
    few points between the scripts can be noise, and this says how much."""
    import random

    counts = {}
    for d in gold:
        pairs = score({d: gold[d]}, system, by_participants)[0]["pairs"]
        counts[d] = (pairs["tp"], pairs["sys"], pairs["gold"])
    rng = random.Random(seed)
    by_script = {k: [d for d in gold if scripts[d] == k] for k in sorted(set(scripts[d] for d in gold))}

    def f1(docs):
        tp, n_sys, n_gold = (sum(counts[d][i] for d in docs) for i in range(3))
        return prf(tp, n_sys, n_gold)["f1"]

    draws = {k: [] for k in by_script} | {"traditional - simplified": []}
    for _ in range(resamples):
        one = {k: f1(rng.choices(docs, k=len(docs))) for k, docs in by_script.items()}
        for k, v in one.items():
            draws[k].append(v)
        if {"traditional", "simplified"} <= set(one):
            draws["traditional - simplified"].append(one["traditional"] - one["simplified"])

    def interval(values):
        values = sorted(values)
        return [round(values[int(0.05 * len(values))], 4), round(values[int(0.95 * len(values)) - 1], 4)]

    return {k: interval(v) for k, v in draws.items() if v}


def by_rule(tri_s: set, tri_g: set, rules: dict) -> dict[str, dict]:
    """{rule: {tp, fp, pair_tp}} over the system triples each rule made (a triple two rules made
    counts for both); pair_tp: right participant and event, whatever the role."""
    pairs_g = {t[:3] for t in tri_g}
    out: dict[str, dict] = {}
    for t in tri_s:
        for rule in rules.get(t) or {"?"}:
            row = out.setdefault(rule, {"tp": 0, "fp": 0, "pair_tp": 0})
            row["tp" if t in tri_g else "fp"] += 1
            row["pair_tp"] += t[:3] in pairs_g
    return dict(sorted(out.items()))


def find_sentence(sentences: list[str], *needles: str) -> str:
    """The first sentence holding every needle (width-folded), else the first holding the first."""
    folded = [norm(s) for s in sentences]
    for want in (needles, needles[:1]):
        want = [norm(n) for n in want if n]
        for s, f in zip(sentences, folded):
            if want and all(n in f for n in want):
                return s
    return ""


# ---------------------------------------------------------------- running


def dev_articles(corpus: Path, doc_ids: set[str]):
    """The dev articles of the corpus; anything dated after DEV_LAST is dropped unread."""
    from kg.ingest import read_articles

    for a in read_articles([str(corpus)]):
        if a.date and DEV_FIRST <= a.date <= DEV_LAST and a.id in doc_ids:
            yield a


def modern_articles(path: Path, ids: set[str], simplified: bool = False):
    """The articles of the modern corpus with the given ids, read as kg reads a feed (dates of
    a month or a year are kept at that precision); ``simplified``: converted to simplified
    characters first (OpenCC), to tell what the script costs from what the kind of article does."""
    from dataclasses import replace

    from kg.ingest import read_articles
    from kg.nlp.script import to_simplified

    for a in read_articles([str(path)]):
        if a.id in ids:
            yield replace(a, text=to_simplified(a.text), title=to_simplified(a.title)) if simplified else a


def split_ids(name: str) -> set[str]:
    """The ids of one split of the modern corpus (bench/data/modern_news_split.json)."""
    splits = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))["splits"]
    return {i for i, s in splits.items() if name == "all" and s != "blind" or s == name}


def credits_as_reporters(system: dict[str, SystemArticle]) -> dict[str, SystemArticle]:
    """Photographers counted as reporters: the modern gold has one list of credits (ANNOTATION.md)."""
    from dataclasses import replace

    return {d: replace(s, reporters=s.reporters | s.photographers, photographers=set()) for d, s in system.items()}


def run(dev: Path, corpus: Path, tagger: str = DEFAULT_TAGGER, *, gold=None, articles=None, disable=(), cache: Path | None = None, decide=False, agreement=None, bootstrap=0, scripts=None, one_credit_list=False) -> tuple[dict, dict, dict]:
    """Extract every gold article and score it: (results, errors, {doc_id: sentence texts}).
    ``gold`` and ``articles`` default to the PD1998 dev set; ``cache`` keeps the tagging;
    ``agreement``: score this annotation ({doc_id: GoldArticle}) in the pipeline's place;
    ``bootstrap``: that many resamples for the intervals per script (`bootstrap_by_script`);
    ``scripts``: {doc_id: script} to report by, when the articles read are converted;
    ``one_credit_list``: score photographers as reporters (`credits_as_reporters`)."""
    from kg.extract import DEFAULT_PIPELINE, Pipeline
    from kg.nlp.ner import CachedTagger, get_tagger

    gold = load_gold(dev) if gold is None else gold
    tagged = CachedTagger(get_tagger(tagger), cache / f"{tagger}.pickle") if cache else tagger
    pipeline = Pipeline(tagged, DEFAULT_PIPELINE + (("decide.v1",) if decide else ()), disable=disable)
    system, sentences, read_scripts = {}, {}, {}
    for article in dev_articles(corpus, set(gold)) if articles is None else articles:
        doc = pipeline(article)  # also for ``agreement``: the sentences and the script
        system[article.id] = system_article(doc) if agreement is None else annotation_as_system({article.id: agreement[article.id]})[article.id]
        sentences[article.id] = [s.text for s in doc.sentences]
        read_scripts[article.id] = doc.article.script
    if cache:
        tagged.save()
    missing = sorted(set(gold) - set(system))
    if missing:
        raise SystemExit(f"eval_participation: {len(missing)} dev articles not in the corpus, e.g. {missing[0]}")
    if one_credit_list:
        system = credits_as_reporters(system)
    results, errors = score(gold, system)
    results["error_kinds"] = error_kinds(gold, system)
    scripts = scripts or read_scripts
    keys = ("articles", "pairs", "triples", "events")
    part, errors["by_participants"] = score(gold, system, by_participants=True)
    results["by_participants"] = {k: part[k] for k in keys}
    if len(set(scripts.values())) > 1:  # simplified and traditional apart
        results["by_script"] = {}
        for script in sorted(set(scripts.values())):
            of_script = {d: g for d, g in gold.items() if scripts[d] == script}
            part, _ = score(of_script, system)
            results["by_script"][script] = {k: part[k] for k in keys}
            part, _ = score(of_script, system, by_participants=True)
            results["by_script"][script]["by_participants"] = {k: part[k] for k in keys}
        if bootstrap:
            results["bootstrap"] = {"by name": bootstrap_by_script(gold, system, scripts, bootstrap),
                                    "by participants": bootstrap_by_script(gold, system, scripts, bootstrap, by_participants=True)}
    for e in errors["triples_fn"] + errors["by_participants"]["triples_fn"]:
        e["sentence"] = find_sentence(sentences[e["doc"]], e["who"], e["event"]) or find_sentence(sentences[e["doc"]], e["who"])
    return results, errors, sentences


def _line(name: str, s: dict) -> str:
    return f"{name:<14} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}   (tp {s['tp']}, sys {s['sys']}, gold {s['gold']})"


def report(results: dict, title: str = "the PD1998 dev set") -> str:
    out = [f"kg participation on {title} ({results['articles']} articles)", _line("triples", results["triples"])]
    out += [_line(f"  {r}", results["roles"][r]) for r in ROLES]
    out += [_line("pairs", results["pairs"]), _line("events", results["events"])]
    out.append(f"{'':<14} gold events among all event mentions: {results['event_mention_recall']:.3f}")
    out += [_line("reporters", results["reporters"]), _line("photographers", results["photographers"])]
    for script, part in results.get("by_script", {}).items():
        out += [f"{script} ({part['articles']} articles)"] + [_line(f"  {k}", part[k]) for k in ("pairs", "triples", "events")]
    for identity, intervals in results.get("bootstrap", {}).items():
        out.append(f"90 % intervals of pairs F1, events aligned {identity}: " + "; ".join(f"{k} {a:.3f}–{b:.3f}" for k, (a, b) in intervals.items()))
    if "by_participants" in results:
        out.append("events aligned by name, then by shared participants:")
        for title, part in [("all", results["by_participants"])] + [(k, v["by_participants"]) for k, v in results.get("by_script", {}).items()]:
            out += [_line(f"  {title[:4]} {k}", part[k]) for k in ("pairs", "triples")]
    return "\n".join(out)


def report_by_rule(results: dict) -> str:
    """TP and FP of the triples each named rule made; pair_tp: right person and event."""
    out = [f"{'rule':<24}{'tp':>6}{'fp':>6}{'pair_tp':>9}  precision"]
    for rule, row in results["by_rule"].items():
        n = row["tp"] + row["fp"]
        out.append(f"{rule:<24}{row['tp']:>6}{row['fp']:>6}{row['pair_tp']:>9}  {row['tp'] / n if n else 0:.3f}")
    return "\n".join(out)


def print_errors(errors: dict, n: int) -> None:
    print(f"\n== {n} of {len(errors['triples_fp'])} false positives (triples)")
    for e in errors["triples_fp"][:n]:
        print(f"{e['doc']}  {e['who']} / {e['event']} / {e['role']}   [gold event: {e['gold_event'] or '-'}]\n    {e['sentence']}")
    print(f"\n== {n} of {len(errors['triples_fn'])} false negatives (triples)")
    for e in errors["triples_fn"][:n]:
        print(f"{e['doc']}  {e['who']} / {e['event']} / {e['role']}\n    {e['sentence']}")
    for k in ("events_fp", "events_fn", "reporters_fp", "reporters_fn", "photographers_fp", "photographers_fn"):
        print(f"\n== {min(n, len(errors[k]))} of {len(errors[k])} {k}: " + "; ".join(f"{d} {x}" for d, x in errors[k][:n]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="annotated dev set (TOML)")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help=f"folder holding {CORPUS}")
    ap.add_argument("--json", type=Path, help="also write figures and all errors as JSON here")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N false positives and N false negatives")
    ap.add_argument("--tagger", default=DEFAULT_TAGGER, help=f"kg named-entity tagger (default {DEFAULT_TAGGER})")
    ap.add_argument("--modern", metavar="SPLIT", choices=("train", "dev", "blind", "all"),
                    help="score the modern corpus's SPLIT (all: train and dev; blind: once, at the end) against --annotation instead")
    ap.add_argument("--annotation", type=Path, default=MODERN_GOLD, help="annotation of the modern corpus (ANNOTATION.md JSON)")
    ap.add_argument("--by-rule", action="store_true", help="print TP/FP of the triples each named rule made")
    ap.add_argument("--kinds", action="store_true", help="print where pairs are lost: person nowhere, at another event, event missed…")
    ap.add_argument("--disable", nargs="+", default=[], metavar="RULE", help="switch these rules off (an ablation)")
    ap.add_argument("--decide", action="store_true", help="with the participation model (decide.v1), as kg build --decide")
    ap.add_argument("--agreement", type=Path, metavar="ANNOTATION", help="score this other annotation of the modern corpus in kg's place (the annotators' agreement)")
    ap.add_argument("--simplified", action="store_true", help="read the modern articles converted to simplified characters first (what the script costs)")
    ap.add_argument("--bootstrap", type=int, default=0, metavar="N", help="print 90%% intervals per script from N resamples of the articles")
    ap.add_argument("--no-cache", action="store_true", help=f"tag again instead of reading the tagging cache ({CACHE})")
    args = ap.parse_args(argv)
    from kg.extract.participation import RULES

    unknown = sorted(set(args.disable) - set(RULES))
    if unknown:
        ap.error(f"unknown rule(s) {', '.join(unknown)}; rules: {', '.join(RULES)}")
    corpus = args.corpora / (MODERN_CORPUS if args.modern else CORPUS)
    if not corpus.is_file():
        print(f"eval_participation: corpus not found ({corpus}); skipping", file=sys.stderr)
        return 0
    started = time.time()
    gold = articles = None
    if args.modern:
        gold = load_annotation(args.annotation, split_ids(args.modern))
        articles = modern_articles(corpus, set(gold), simplified=args.simplified)
    cache = None if args.no_cache else CACHE
    if args.agreement and not args.modern:
        ap.error("--agreement needs --modern SPLIT")
    agreement = load_annotation(args.agreement, set(gold)) if args.agreement else None
    printed = None
    if args.simplified:  # report by the script the articles are printed in
        from kg.nlp.script import analysed_view

        printed = {a.id: analysed_view(a.text).script for a in modern_articles(corpus, set(gold))}
    results, errors, _ = run(args.dev, corpus, args.tagger, gold=gold, articles=articles, disable=args.disable, cache=cache, decide=args.decide, agreement=agreement, bootstrap=args.bootstrap, scripts=printed, one_credit_list=bool(args.modern))
    results["seconds"] = round(time.time() - started, 1)
    print(report(results, f"the modern corpus, {args.modern} split" if args.modern else "the PD1998 dev set"))
    if args.by_rule:
        print(report_by_rule(results))
    if args.kinds:
        print(report_kinds(results["error_kinds"]))
    if args.errors:
        print_errors(errors, args.errors)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "errors": errors}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
