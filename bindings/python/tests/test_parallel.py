"""Sharing work: Python threads, multiprocessing and a Dask bag all agree
with a serial scan."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import dask
import dask.bag as db

import xianshen
from conftest import EXAMPLES_DIR, read_folder


def _summary(r: xianshen.Report) -> tuple:
    return (r.verdict, r.approval, tuple((f.rule, f.start, f.end, f.text) for f in r.findings))


_worker_screener: xianshen.Screener | None = None


def _init(s: xianshen.Screener) -> None:
    global _worker_screener
    _worker_screener = s


def _scan_path(path: str) -> tuple:
    assert _worker_screener is not None
    text = Path(path).read_text(encoding="utf-8")
    return _summary(_worker_screener.screen(text, repost=True))


def _custom() -> xianshen.Screener:
    return xianshen.Screener.from_file(EXAMPLES_DIR / "policy" / "example.toml")


def test_threads_share_one_screener(doc_folder: Path) -> None:
    s = _custom()
    texts = [t for _, t in read_folder(doc_folder)] * 4
    serial = [_summary(s.screen(t)) for t in texts]
    results: list[list[tuple] | None] = [None] * 8
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        try:
            barrier.wait()
            # Each thread scans everything, half by screen and half by screen_many.
            if i % 2:
                results[i] = [_summary(s.screen(t)) for t in texts]
            else:
                results[i] = [_summary(r) for r in s.screen_many(texts, threads=2)]
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == serial for r in results)


def test_multiprocessing_pool(doc_folder: Path) -> None:
    s = _custom()
    paths = [str(doc_folder / name) for name, _ in read_folder(doc_folder)]
    serial = [_summary(s.screen(t, repost=True)) for _, t in read_folder(doc_folder)]
    ctx = multiprocessing.get_context("spawn")  # the screener must travel by pickle
    with ctx.Pool(2, initializer=_init, initargs=(s,)) as pool:
        assert pool.map(_scan_path, paths, chunksize=3) == serial
    # Reports travel back by pickle too.
    with ctx.Pool(2) as pool:
        reports = pool.map(s.screen, [t for _, t in read_folder(doc_folder)])
    assert [_summary(r) for r in reports] == [_summary(s.screen(t)) for _, t in read_folder(doc_folder)]


def test_dask_bag_processes(doc_folder: Path) -> None:
    s = _custom()
    docs = read_folder(doc_folder)
    serial = [(name, _summary(s.screen(text, repost=True))) for name, text in docs]
    bag = db.from_sequence(docs, npartitions=4).map(
        lambda doc, screener: (doc[0], _summary(screener.screen(doc[1], repost=True))),
        screener=s,
    )
    with dask.config.set(scheduler="processes", num_workers=2):
        result = bag.compute()
    assert result == serial
    # Whole partitions through screen_many.
    batched = db.from_sequence([t for _, t in docs], npartitions=3).map_partitions(
        lambda part, screener: [_summary(r) for r in screener.screen_many(list(part), repost=True)],
        screener=s,
    )
    assert batched.compute(scheduler="processes", num_workers=2) == [v for _, v in serial]
