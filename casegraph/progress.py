"""Progress bars for long commands: done of total, rate and time left on a terminal,
nothing at all when stderr is piped or redirected."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(total: int, label: str, unit: str,
                 stream: IO[Any] | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``, which moves a bar of ``total`` by ``n`` on ``stream``
    (stderr) when it is a terminal, and does nothing otherwise.

    >>> import io
    >>> with progress_bar(10, "export", "items", stream=io.StringIO()) as advance:
    ...     advance(3)
    """
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield lambda n: None
        return
    import click

    start = time.monotonic()
    done = 0

    def rate(_: Any) -> str:
        elapsed = time.monotonic() - start
        return f"{done / elapsed:,.0f} {unit}/s" if elapsed > 0 and done else ""

    with click.progressbar(length=max(total, 1), label=label, file=stream, show_pos=True, show_eta=True,
                           item_show_func=rate, width=30) as bar:
        def advance(n: int) -> None:
            nonlocal done
            done += n
            bar.update(n, done)

        yield advance
