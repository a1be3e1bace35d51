"""Long renders and counts stop at their next step once called off (a window closing)."""

from __future__ import annotations

import pytest

from benchmarks.make_essay import make
from editor.core.incremental import IncrementalRenderer
from editor.core.render import RenderOptions, render_body
from editor.core.stopping import Stopped, StopSignal
from editor.core.word_count import WordCounter, chunked_count


class StopsAfter(StopSignal):
    """Called off by itself after `steps` checks, as if another thread had called it then."""

    __slots__ = ("checks", "steps")

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps
        self.checks = 0

    def check(self) -> None:
        self.checks += 1
        if self.checks > self.steps:
            self.stop()
        super().check()


def test_a_render_called_off_midway_renders_no_further_block() -> None:
    body = make(4000, 520)
    counting = StopsAfter(steps=10**9)
    everything = IncrementalRenderer(counting)
    everything.render(body, RenderOptions(markers=True))
    blocks = everything.rendered_blocks
    assert blocks > 20
    # Looked at once a block as the body is cut, then once a block rendered (the count of
    # rendered blocks takes in the footnotes list: `cutting` may be one short).
    cutting = counting.checks - blocks
    assert cutting > 20
    stop = StopsAfter(steps=cutting + 5)  # called off while the sixth block is rendered
    renderer = IncrementalRenderer(stop)
    with pytest.raises(Stopped):
        renderer.render(body, RenderOptions(markers=True))
    assert 0 < renderer.rendered_blocks <= 5
    stop.resume()
    stop.steps = 10**9
    assert renderer.render(body).html() == render_body(body)


def test_a_render_asked_after_it_was_called_off_renders_nothing() -> None:
    stop = StopSignal()
    stop.stop()
    renderer = IncrementalRenderer(stop)
    with pytest.raises(Stopped):
        renderer.render(make(500, 520))
    assert renderer.rendered_blocks == 0


def test_a_count_called_off_leaves_the_counter_as_it_was() -> None:
    body = make(3000, 520)
    stop = StopsAfter(steps=5)
    counter = WordCounter(stop)
    with pytest.raises(Stopped):
        counter.count(body)
    stop.resume()
    stop.steps = 10**9
    assert counter.count(body) == chunked_count(body)  # counted afresh, not "unchanged"
    edited = body.replace("\n\n", "\n\nA new paragraph here.\n\n", 1)
    stop.checks, stop.steps = 0, 0
    with pytest.raises(Stopped):
        counter.count(edited)
    stop.resume()
    stop.steps = 10**9
    assert counter.count(edited) == chunked_count(edited)
