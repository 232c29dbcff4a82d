"""One way through the data: paths in, each file read and extracted (in worker
processes with ``jobs`` > 1), each record loaded by the one writer (one savepoint
each, committed in batches). Failures are reported per file; the batch goes on."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from casegraph.errors import CasegraphError
from casegraph.schema.record import ReviewRecord

__all__ = ["LoadReport", "count_inputs", "extract_path", "extract_paths", "load_paths"]


@dataclass
class LoadReport:
    """What a load did: counts per outcome and one line per failed file."""

    loaded: int = 0
    replaced: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def extract_path(path: str | Path) -> ReviewRecord:
    """Read and extract one file; an unreadable file gives a record with ``errors``."""
    from casegraph.loaders.extract import extract
    from casegraph.loaders.readers import read_document

    try:
        return extract(read_document(path))
    except CasegraphError as e:
        return ReviewRecord.failed(str(path), str(e))
    except (OSError, ValueError, RecursionError, MemoryError) as e:
        return ReviewRecord.failed(str(path), f"{path}: {type(e).__name__}: {e}")
    except Exception as e:  # a fault of ours on an odd document: that file fails, the batch goes on
        return ReviewRecord.failed(str(path), f"{path}: could not be extracted ({type(e).__name__}: {e})")


def _expand(paths: Iterable[str]) -> list[Path | str]:
    """Files under each path, in input order; a path that fails stays as its error."""
    from casegraph.loaders.readers import iter_paths

    out: list[Path | str] = []
    for p in paths:
        try:
            out.extend(iter_paths([p]))
        except CasegraphError as e:
            out.append(str(e))
    return out


def count_inputs(paths: Iterable[str]) -> int:
    """How many files (and failing paths) a load of ``paths`` goes through."""
    return len(_expand(paths))


def _extract_item(item: Path | str) -> ReviewRecord:
    if isinstance(item, str):
        return ReviewRecord.failed(item.split(": ")[0], item)
    return extract_path(item)


# Files per task sent to a worker, and tasks in flight per worker: enough to keep
# every worker busy while the writer catches up, few enough that memory stays flat
# whatever the number of files.
CHUNK = 4
IN_FLIGHT_PER_JOB = 3


def _extract_chunk(items: list[Path | str]) -> list[ReviewRecord]:
    return [_extract_item(item) for item in items]


def extract_paths(paths: Iterable[str], jobs: int = 1) -> Iterator[ReviewRecord]:
    """Records for every file under ``paths``, in input order, extracted by ``jobs``
    processes. A path that does not exist yields a failed record in its place.

    With ``jobs`` > 1 at most ``jobs * IN_FLIGHT_PER_JOB`` chunks of ``CHUNK`` files
    are submitted or finished-but-unread at any time, so memory does not grow with
    the number of files when the consumer (the store writer) is the slower side."""
    items = _expand(paths)
    if jobs <= 1 or len(items) < 2:
        for item in items:
            yield _extract_item(item)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    chunks = (items[i:i + CHUNK] for i in range(0, len(items), CHUNK))
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[Future[list[ReviewRecord]]] = deque()
    forked = multiprocessing.get_start_method() == "fork"
    if forked:
        # Workers forked from here inherit the compiled vocabulary (see prepare),
        # frozen so that their collections of garbage do not walk it.
        from casegraph.loaders.extract import prepare

        prepare()
        gc.freeze()
    try:
        for chunk in chunks:
            # The first submission forks every worker.
            pending.append(pool.submit(_extract_chunk, chunk))
            if forked:
                gc.unfreeze()
                forked = False
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                break
        while pending:
            records = pending.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(pool.submit(_extract_chunk, chunk))
            yield from records
    finally:
        # A consumer that stops early (or an error) leaves nothing running behind it.
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run the cycle collector 30 times less often: a load allocates millions of
    short-lived objects (records, and their unpickling from the workers, which
    inherit the setting) that reference counting frees anyway, and each collection
    also walks everything the process holds: about 5% of the writer's time and 3%
    of the workers'."""
    before = gc.get_threshold()
    gc.set_threshold(20_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def load_paths(store, paths: Iterable[str], jobs: int = 1,
               progress: Callable[[ReviewRecord, str], None] | None = None) -> LoadReport:
    """Load every file under ``paths`` into ``store``; returns what happened."""
    report = LoadReport()
    with _few_collections(), store.bulk():
        for record in extract_paths(paths, jobs):
            if record.errors:
                report.errors.extend(record.errors)
                outcome = "error"
            else:
                try:
                    outcome = store.load(record)
                except CasegraphError as e:
                    # On the record too, so a progress callback can show why it failed.
                    record.errors.append(f"{record.document['path']}: {e}")
                    report.errors.append(record.errors[-1])
                    outcome = "error"
                else:
                    setattr(report, outcome, getattr(report, outcome) + 1)
            if progress:
                progress(record, outcome)
    return report
