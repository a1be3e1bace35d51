"""Calling off long work on a worker thread whose result nobody will read.

The first render of a long draft takes seconds (about ten for the preview's first megabyte of
a 10 MB draft on a busy machine); a window closing meanwhile would wait for it before it could
go. The work looks at a `StopSignal` between bounded steps (a block of Markdown, a paragraph
counted) and raises `Stopped` once another thread has called it off, so waiting for the
thread costs one step, not the rest of the render.
"""

from __future__ import annotations

import threading


class Stopped(Exception):  # noqa: N818 (not an error: the work was called off)
    """The work was called off before it ended; what it had done is not to be used."""


class StopSignal:
    """Set from any thread; the worker's loops `check` it between bounded steps."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def stop(self) -> None:
        """Call the work off (from any thread): its next `check` raises `Stopped`."""
        self._event.set()

    def resume(self) -> None:
        """Let work run to its end again (the window stayed open after all)."""
        self._event.clear()

    @property
    def stopped(self) -> bool:
        """True once called off (and not resumed)."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Stopped` if the work was called off."""
        if self._event.is_set():
            raise Stopped
