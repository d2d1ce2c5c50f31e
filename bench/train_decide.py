"""Train the participation decision model (kg/extract/decide.py) on the modern corpus.

The rules (and the nearby candidates) propose participations over the articles of the train
split; a candidate is positive when the adjudicated annotation has its participant at its event
(its event found by name as bench/eval_participation.py matches them, or aligned by shared
participants as its second figure aligns them; rows marked uncertain are left out). A logistic
regression over the candidates' binary features is fitted with numpy (L2, Newton steps); the
threshold is the one that gives the best (participant, event) F1 on the dev split with events
aligned by participants (the figure the annotators agree on at 0.96; by name they agree at 0.84).
The blind split is never read here.

    PYTHONPATH=. python bench/train_decide.py [--annotation JSON] [--out kg/models/decide.json] [--cv K | --learning-curve]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

import eval_participation as ep  # beside this script: python puts its folder first on the path

from kg.extract import DEFAULT_PIPELINE, Pipeline, decide
from kg.nlp.ner import DEFAULT_TAGGER, CachedTagger, get_tagger

REPO_ROOT = Path(__file__).resolve().parent.parent

RULES_ONLY = tuple(c for c in DEFAULT_PIPELINE if c != decide.EXTRACTOR)
OUT = REPO_ROOT / "kg" / "models" / decide.MODEL


def extract(split: str, annotation: Path, corpora: Path, cache: CachedTagger):
    """(gold, [(doc, candidates)]) of one split, the rules alone."""
    gold = ep.load_annotation(annotation, ep.split_ids(split))
    pipeline = Pipeline(cache, components=RULES_ONLY)
    docs = []
    for article in ep.modern_articles(corpora / ep.MODERN_CORPUS, set(gold)):
        doc = pipeline(article)
        docs.append((doc, decide.candidates(doc)))
    return gold, docs


def label(gold: ep.GoldArticle, fact, aligned: dict[str, int]) -> int | None:
    """1 when the gold has the participant at the event, 0 when not, None when only uncertain.
    The candidate's event is the gold events its name matches (as bench/eval_participation.py
    matches them) and the one the rules' event of that name is aligned with by participants
    (王剑华一行赴杨浦区调研 / 市政府参事赴杨浦区调研): a visitor of a visit named otherwise is no
    negative example."""
    who = ep.norm(ep._as_printed(fact.subject))
    matches = [e for e in gold.events if ep.names_match(fact.object.label, e.name)]
    if fact.object.label in aligned:
        matches.append(gold.events[aligned[fact.object.label]])
    if any(who in {ep.norm(p) for p, _ in e.participants} for e in matches):
        return 1
    if any(who in {ep.norm(p) for p, _ in e.uncertain} for e in matches):
        return None
    return 0


def aligned_events(gold: ep.GoldArticle, doc) -> dict[str, int]:
    """{event label: gold event index} of the rules' events, aligned by name, then by participants."""
    system = ep.system_article(doc)
    return {system.events[i]: j for i, j in ep.alignment(gold, system, by_participants=True).items()}


def fit(rows: list[list[str]], y: np.ndarray, l2: float = 1.0, steps: int = 25) -> dict[str, float]:
    vocab = sorted({n for r in rows for n in r})
    index = {n: i for i, n in enumerate(vocab)}
    X = np.zeros((len(rows), len(vocab)))
    for i, r in enumerate(rows):
        X[i, [index[n] for n in r]] = 1.0
    w = np.zeros(len(vocab))
    for _ in range(steps):  # Newton's method on the L2-regularised log loss
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + l2 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(vocab))
        w -= np.linalg.solve(hess, grad)
    return {n: round(float(w[i]), 5) for n, i in index.items() if abs(w[i]) > 1e-6}


def scored(gold, docs, weights=None, threshold=0.0, keep_rules=False, by_participants=False) -> dict:
    """Scores of the docs with the candidates the model keeps (all the rules' facts when no model;
    with ``keep_rules``, the model decides only the nearby candidates)."""
    system = {}
    for doc, cands in docs:
        if weights is None:
            kept = [f for f in cands if f.attrs["rule"] != decide.NEARBY]
        else:
            kept = [f for f in cands if decide.holds(f, decide.probability(weights, f.attrs["features"]), threshold, keep_rules)]
        facts = doc.facts
        doc.facts = [f for f in facts if f.kind != "participation"] + kept
        system[doc.article.id] = ep.system_article(doc)
        doc.facts = facts
    return ep.score(gold, system, by_participants)[0]


def training_rows(gold, docs) -> tuple[list[list[str]], np.ndarray]:
    """The features and labels of every candidate of ``docs`` whose label is sure."""
    rows, y = [], []
    for doc, cands in docs:
        aligned = aligned_events(gold[doc.article.id], doc)
        for f in cands:
            target = label(gold[doc.article.id], f, aligned)
            if target is not None:
                rows.append(f.attrs["features"])
                y.append(target)
    return rows, np.array(y, dtype=float)


THRESHOLDS = [round(float(t), 2) for t in np.arange(0.05, 0.91, 0.05)]


def by_threshold(gold, docs, weights) -> dict[tuple[float, bool], tuple[float, float]]:
    """Pairs F1 (by name, by participants) of ``docs`` for every (threshold, keep_rules)."""
    return {(t, keep): tuple(scored(gold, docs, weights, t, keep, by)["pairs"]["f1"] for by in (False, True)) for t in THRESHOLDS for keep in (False, True)}


def best(table: dict) -> tuple[float, bool]:
    """The (threshold, keep_rules) of the best F1 by participants, the one nearer 0.5 on a tie."""
    return max(table, key=lambda tk: (table[tk][1], -abs(tk[0] - 0.5)))


def _drawn(doc_id: str) -> int:
    """A number drawn from an article's id: its fold, its place in a partial train split, the
    same in every run."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16)


def cross_validated(gold, docs, folds: int, l2: float) -> None:
    """Rules alone against rules with a model fitted on the other folds (its threshold chosen on
    them too), fold by fold over ``docs``: how much of the model's gain holds on articles it
    never saw, and how much it varies, from more articles than one dev split holds."""
    fold_of = {doc.article.id: _drawn(doc.article.id) % folds for doc, _ in docs}
    gains = []
    for k in range(folds):
        held = [(d, c) for d, c in docs if fold_of[d.article.id] == k]
        rest = [(d, c) for d, c in docs if fold_of[d.article.id] != k]
        held_gold, rest_gold = ({d.article.id: gold[d.article.id] for d, _ in part} for part in (held, rest))
        weights = fit(*training_rows(rest_gold, rest), l2)
        threshold, keep = best(by_threshold(rest_gold, rest, weights))
        figures = [scored(held_gold, held, w, threshold, keep, by)["pairs"]["f1"] for w in (None, weights) for by in (False, True)]
        gains.append((figures[2] - figures[0], figures[3] - figures[1]))
        print(f"fold {k}: {len(held)} articles, threshold {threshold}{'k' if keep else ''}; rules {figures[0]:.3f} / {figures[1]:.3f}, rules + model {figures[2]:.3f} / {figures[3]:.3f} (by name / by participants)")
    for i, name in enumerate(("by name", "by participants")):
        values = np.array([g[i] for g in gains])
        print(f"model's gain {name}: mean {values.mean():+.3f}, fold by fold {', '.join(f'{v:+.3f}' for v in values)}")


def learning_curve(train_gold, train, dev_gold, dev, l2: float, fractions=(0.25, 0.5, 0.75, 1.0)) -> None:
    """The model's gain on dev when fitted on part of the train split (its threshold chosen on that
    part, so dev is only measured): whether more annotated articles would pay, from the same run."""
    ordered = sorted(train, key=lambda dc: _drawn(dc[0].article.id))
    rules = [scored(dev_gold, dev, by_participants=by)["pairs"]["f1"] for by in (False, True)]
    for fraction in fractions:
        part = ordered[: max(1, round(fraction * len(ordered)))]
        part_gold = {d.article.id: train_gold[d.article.id] for d, _ in part}
        weights = fit(*training_rows(part_gold, part), l2)
        threshold, keep = best(by_threshold(part_gold, part, weights))
        model = [scored(dev_gold, dev, weights, threshold, keep, by)["pairs"]["f1"] for by in (False, True)]
        print(f"{len(part)} train articles: threshold {threshold}{'k' if keep else ''}; dev gain {model[0] - rules[0]:+.3f} / {model[1] - rules[1]:+.3f} (by name / by participants)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--annotation", type=Path, default=ep.MODERN_GOLD)
    ap.add_argument("--corpora", type=Path, default=ep.DEFAULT_CORPORA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--l2", type=float, default=10.0, help="L2 weight (10: the best of 0.3–100 cross-validated over train and dev, --cv 5)")
    ap.add_argument("--cv", type=int, default=0, metavar="K", help="instead of training, cross-validate over train and dev in K folds (writes nothing)")
    ap.add_argument("--learning-curve", action="store_true", help="instead of training, the gain on dev of models fitted on a quarter, half, three quarters and all of train (writes nothing)")
    args = ap.parse_args(argv)
    if not (args.corpora / ep.MODERN_CORPUS).is_file():
        print("train_decide: modern corpus not found; skipping", file=sys.stderr)
        return 0
    cache = CachedTagger(get_tagger(DEFAULT_TAGGER), ep.CACHE / f"{DEFAULT_TAGGER}.pickle")
    train_gold, train = extract("train", args.annotation, args.corpora, cache)
    dev_gold, dev = extract("dev", args.annotation, args.corpora, cache)
    cache.save()
    if args.cv:
        cross_validated(train_gold | dev_gold, train + dev, args.cv, args.l2)
        return 0
    if args.learning_curve:
        learning_curve(train_gold, train, dev_gold, dev, args.l2)
        return 0
    rows, y = training_rows(train_gold, train)
    weights = fit(rows, y, args.l2)
    table = by_threshold(dev_gold, dev, weights)
    threshold, keep_rules = best(table)
    rules_dev, model_dev = scored(dev_gold, dev), scored(dev_gold, dev, weights, threshold, keep_rules)
    rules_part, model_part = scored(dev_gold, dev, by_participants=True), scored(dev_gold, dev, weights, threshold, keep_rules, by_participants=True)
    model = {
        "about": "kg/extract/decide.py: logistic weights over candidate features; trained by bench/train_decide.py",
        "trained_on": f"modern_news train split, {len(train_gold)} articles, {len(y)} candidates ({int(sum(y))} positive)",
        "threshold": threshold,
        "keep_rules": keep_rules,  # true: the model decides only the nearby candidates
        "dev_pairs_f1": {"rules": rules_dev["pairs"]["f1"], "model": model_dev["pairs"]["f1"]},
        "dev_pairs_f1_by_participants": {"rules": rules_part["pairs"]["f1"], "model": model_part["pairs"]["f1"]},
        "weights": dict(sorted(weights.items())),
    }
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"train: {len(train_gold)} articles, {len(y)} candidates, {int(sum(y))} positive; threshold {threshold}, keep_rules {keep_rules}")
    print("dev pairs F1 by name/by participants for (threshold, keep_rules): " + ", ".join(f"{t}{'k' if k else ''} {a:.3f}/{b:.3f}" for (t, k), (a, b) in table.items()))
    for name, res, part in (("rules alone", rules_dev, rules_part), ("rules + model", model_dev, model_part)):
        print(ep._line(f"dev {name}", res["pairs"]))
        print(ep._line("  by participants", part["pairs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
