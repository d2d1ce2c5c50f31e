"""The learned decision over participation candidates: the shipped model, its use in the pipeline
and by kg extract --decide, and its training script run for real on the modern corpus."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract import DEFAULT_PIPELINE, Pipeline, decide
from kg.model import Article

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("KG_CORPORA", ROOT.parent / "shared" / "corpora"))

TEXT = "全市经济工作会议今天召开。市委书记胡勇春，市长郑云涛、副市长李浩锋出席会议。"


def test_the_shipped_model_has_weights_a_threshold_and_its_provenance():
    model = decide.load_model()
    assert 0.0 < model["threshold"] < 1.0 and model["weights"]
    assert "train split" in model["trained_on"]
    assert all(k.startswith(("rule", "role", "type", "event", "main", "sentence", "mentions", "length", "cue", "listed", "after", "before",
                             "post", "quoted", "script", "clause", "list", "seed", "bias")) for k in model["weights"])


def test_decide_keeps_probable_facts_and_records_their_probability():
    rules = Pipeline()(Article("t", TEXT, date="2024-01-12"))
    decided = Pipeline(components=DEFAULT_PIPELINE + ("decide.v1",))(Article("t", TEXT, date="2024-01-12"))
    facts = [f for f in decided.facts if f.kind == "participation"]
    assert facts and all(0.0 <= f.attrs["probability"] <= 1.0 for f in facts)
    assert all(f.attrs["probability"] >= decide.load_model()["threshold"] or f.attrs["rule"] != decide.NEARBY for f in facts)
    assert {f.subject.label for f in rules.facts if f.kind == "participation"} <= {f.subject.label for f in facts}


def test_kg_extract_decide_prints_rules_and_probabilities(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(path), "--pub-date", "2024-01-12", "--decide"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    facts = [f for f in json.loads(out)["facts"] if f["kind"] == "participation"]
    assert facts and all("rule" in f and "probability" in f for f in facts)


@pytest.mark.corpus
def test_training_writes_a_model_that_loads(tmp_path):
    if not (CORPORA / "modern_news" / "articles.jsonl").is_file():
        pytest.skip("modern corpus not present")
    out = tmp_path / "decide.json"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "train_decide.py"), "--corpora", str(CORPORA), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert "dev rules + model" in run.stdout
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["weights"] and "threshold" in model and "dev_pairs_f1" in model


def test_nearby_candidates_pass_the_rules_test_of_who_may_take_part():
    text = ("全市经济工作会议今天召开。市委书记胡勇春出席会议。"
            "副市长李浩锋在分组讨论中谈了体会。出席会议的代表观看了《梁山伯与祝英台》选段。")
    doc = Pipeline()(Article("t", text, date="2024-01-12"))
    found = {f.subject.label: f.attrs.get("seed", "rule") for f in decide.candidates(doc)}
    assert found.get("李浩锋") == "article"  # a person printed with a post, in a sentence with no cue
    assert "梁山伯" not in found and "祝英台" not in found  # inside a work's title: no one who took part


@pytest.mark.corpus
def test_cross_validation_scores_each_fold_with_a_model_that_never_saw_it(tmp_path):
    if not (CORPORA / "modern_news" / "articles.jsonl").is_file():
        pytest.skip("modern corpus not present")
    before = (ROOT / "kg" / "models" / "decide.json").read_bytes()
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "train_decide.py"), "--corpora", str(CORPORA), "--cv", "2"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    folds = [line for line in run.stdout.splitlines() if line.startswith("fold ")]
    assert len(folds) == 2 and all("rules + model" in line for line in folds)
    assert "model's gain by participants" in run.stdout
    assert (ROOT / "kg" / "models" / "decide.json").read_bytes() == before  # cross-validation writes no model


@pytest.mark.corpus
def test_learning_curve_fits_on_growing_parts_of_train_and_writes_nothing():
    if not (CORPORA / "modern_news" / "articles.jsonl").is_file():
        pytest.skip("modern corpus not present")
    before = (ROOT / "kg" / "models" / "decide.json").read_bytes()
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "train_decide.py"), "--corpora", str(CORPORA), "--learning-curve"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    sizes = [int(m.group(1)) for m in re.finditer(r"^(\d+) train articles: threshold [\d.]+k?; dev gain [+-]\d\.\d{3} / [+-]\d\.\d{3}", run.stdout, re.M)]
    assert len(sizes) == 4 and sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert (ROOT / "kg" / "models" / "decide.json").read_bytes() == before
