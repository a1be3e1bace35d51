"""Issue 13, defect 5 under load: saving back to back while another program writes the file,
no version of theirs is overwritten without notice (benchmarks/save_race.py prints figures)."""

from __future__ import annotations

from benchmarks.save_race import run


def test_no_outside_write_is_overwritten_without_notice() -> None:
    figures = run(1.5, naive=False)
    assert figures["their_writes"] > 50 and figures["our_saves"] > 50, figures
    assert figures["overwritten_without_notice"] == 0, figures
