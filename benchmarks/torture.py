"""Kill Broadsheet with SIGKILL while it is typed into, over and over, and check every draft.

    python -m benchmarks.torture --trials 100 [--seed N] [--modes typing,publishing,conflict]
                                 [--json]

Each trial starts the real application (a separate process, on Xvfb), types into the draft with
real key events (xdotool), and SIGKILLs the whole process group at a random moment. Then it
checks the draft on disk: complete and parseable (never torn, never empty), and how much of the
typing is missing, in seconds. The next trial's start is the crash recovery: it must reopen the
same draft (no duplicate drafts) without changing it. The first trial makes a new draft with
Ctrl+N, so the draft was never saved by hand.

Trials take turns between three kinds:
- typing: only typing;
- publishing: Publish is pressed first, against a loopback blog that takes a minute to answer
  (benchmarks/torture_blog.py), so the publish is in flight while the writer types and when
  the kill comes; at the end the blog must hold exactly one post;
- conflict: another program rewrites the draft (its front matter) in place just before the
  typing, so every save is refused while the choice is pending: the draft must still be
  theirs, byte for byte, and the typing must be in the draft's recovery copy. Between trials
  the harness then plays the writer choosing "Keep Mine".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from editor.core.atomic import atomic_write_bytes
from editor.core.post import parse_post
from editor.core.recovery import RecoveryStore
from editor.core.textfile import decode_document

START_TIMEOUT = 40.0
# One paragraph of ~850 characters. Typed as one endless line instead, the draft grows to a
# 28 KB paragraph whose every keystroke costs ~15 ms (spell-check tokenising of the line),
# slower than xdotool types (8 ms a character): keys then queue in the X server and count as
# lost though the application never received them.
PARAGRAPH_WORDS = 120
MODES = ("typing", "publishing", "conflict")
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    """What the trials found."""

    trials: int = 0
    torn: int = 0
    losses: list[float] = field(default_factory=list)
    losses_by_mode: dict[str, list[float]] = field(default_factory=dict)
    duplicates: int = 0
    duplicate_posts: int = 0  # posts on the blog beyond the one the draft publishes
    publish_misses: int = 0  # publishing trials whose publish never reached the blog
    recovery_failures: int = 0
    display_restarts: int = 0  # Xvfb died and was started again (counted, not hidden)
    problems: list[str] = field(default_factory=list)


def start_xvfb() -> tuple[str, subprocess.Popen[bytes]]:
    """Start Xvfb on a free display and wait until it accepts clients."""
    for number in range(90, 160):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        xvfb = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and xvfb.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return f":{number}", xvfb
            time.sleep(0.05)
        xvfb.kill()  # another server took this number meanwhile: try the next
        xvfb.wait()
    raise RuntimeError("could not start Xvfb on any display from :90 to :159")


def xdotool(display: str, *args: str, check: bool = True) -> str:
    """Run xdotool on our Xvfb."""
    out = subprocess.run(
        ["xdotool", *args],
        env=dict(os.environ, DISPLAY=display),
        capture_output=True,
        text=True,
        timeout=30,
    )
    if check and out.returncode != 0:
        raise RuntimeError(f"xdotool {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout.strip()


def start_app(
    display: str, home: Path, log: Path, extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start the real application, in its own process group; its stderr goes to `log`."""
    env = dict(os.environ, DISPLAY=display, BROADSHEET_HOME=str(home), QT_QPA_PLATFORM="xcb")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env.update(extra or {})
    # Without a session bus, D-Bus autolaunches one per process on the X display and it never
    # exits: one stray daemon per trial. The trials need none (the keyring is a file here).
    env.setdefault("DBUS_SESSION_BUS_ADDRESS", f"unix:path={home / 'no-session-bus'}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    with open(log, "ab") as err:  # noqa: PTH123 - a log of ours, not a user file
        return subprocess.Popen(
            [sys.executable, "-m", "editor"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )


def wait_for_window(display: str, title_part: str, proc: subprocess.Popen[bytes]) -> str:
    """Wait until the window shows `title_part` in its title; return its id."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the application exited with {proc.returncode}")
        ids = xdotool(display, "search", "--onlyvisible", "--name", title_part, check=False).split()
        if ids:
            return ids[-1]
        time.sleep(0.05)
    raise RuntimeError(f"no window titled {title_part!r} after {START_TIMEOUT:.0f} s")


def focus(display: str, title_part: str, proc: subprocess.Popen[bytes]) -> str:
    """Give the window the keyboard (no window manager on Xvfb does it); returns its id.

    Qt may replace a window right after showing it, so a vanished id is looked up again.
    """
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        window = wait_for_window(display, title_part, proc)
        try:
            xdotool(display, "mousemove", "--window", window, "400", "300")
            xdotool(display, "windowfocus", window)
            return window
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def display_lost(proc: subprocess.Popen[bytes], xvfb: subprocess.Popen[bytes], log: Path) -> bool:
    """Whether the application could not start because our X server went away."""
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return False  # still running: it reached the display
    text = log.read_text(errors="replace") if log.exists() else ""
    return xvfb.poll() is not None or "could not connect to display" in text


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the application and its WebEngine helpers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def user_drafts(home: Path) -> list[Path]:
    """The drafts other than the first-run sample."""
    folder = home / "data" / "drafts"
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("welcome-"))


def check_draft(path: Path, typed: str) -> tuple[str | None, int]:
    """(problem or None, how many typed characters are on disk)."""
    data = path.read_bytes()
    if not data:
        return "the draft file is empty", 0
    try:
        text, _fmt = decode_document(data)
    except ValueError as exc:
        return f"the draft is not text: {exc}", 0
    return check_text(text, path.name, typed)


def check_text(text: str, name: str, typed: str) -> tuple[str | None, int]:
    """(problem or None, how many typed characters the text holds)."""
    post = parse_post(text, name)
    if post.front_matter_error:
        return f"the front matter is damaged: {post.front_matter_error}", 0
    body = post.body.lstrip("\n")  # the blank line under the front matter is not typed
    if not typed.startswith(body):
        same = next((i for i, (a, b) in enumerate(zip(body, typed, strict=False)) if a != b), None)
        if same is None:
            same = min(len(body), len(typed))
        return (
            f"the body differs from what was typed at character {same}:"
            f" file {body[max(0, same - 20) : same + 20]!r}"
            f" typed {typed[max(0, same - 20) : same + 20]!r}",
            0,
        )
    return None, len(body)


def change_outside(path: Path, trial: int) -> bytes:
    """Another program edits the draft's front matter in place (as many editors save)."""
    text = path.read_text(encoding="utf-8")
    theirs = text.replace("labels: [", f"labels: [outside{trial:03d}, ", 1).encode("utf-8")
    with open(path, "r+b") as fh:  # noqa: PTH123 - imitating a foreign editor's in-place save
        fh.truncate(0)
        fh.write(theirs)
    return theirs


def keep_mine(path: Path, copies: RecoveryStore) -> None:
    """The writer chooses his version: the recovery copy becomes the draft."""
    copy = copies.get(path)
    if copy is not None:
        atomic_write_bytes(path, copy.text.encode("utf-8"))
        copies.drop(path)


def give_labels(path: Path) -> None:
    """Labels in the front matter, so publishing opens no checklist (no labels is a warning)."""
    text = path.read_text(encoding="utf-8")
    if "labels: []" in text:
        atomic_write_bytes(path, text.replace("labels: []", "labels: [torture]", 1).encode())


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    """Poll `condition` until it holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def run(trials: int, seed: int, keep: bool, modes: tuple[str, ...] = MODES) -> Result:
    """Run the trials; returns the findings."""
    rnd = random.Random(seed)
    display, xvfb = start_xvfb()
    home = Path(tempfile.mkdtemp(prefix="broadsheet-torture-"))
    copies = RecoveryStore(home / "data" / "recovery")
    result = Result()
    blog = None
    if "publishing" in modes:
        from benchmarks.torture_blog import SlowBlog

        blog = SlowBlog(home)
    extra = blog.env if blog else {}
    typed = ""  # everything typed so far, across trials
    sent_at: list[float] = []  # when each character of `typed` was sent
    word = 0
    try:
        for trial in range(trials):
            mode = modes[trial % len(modes)] if trial else "typing"
            if mode == "publishing" and not typed.strip():
                mode = "typing"  # an empty post opens the checklist instead of publishing
            if xvfb.poll() is not None:  # someone else ended our X server: start another
                display, xvfb = start_xvfb()
            log = home / f"trial-{trial:03d}.log"
            proc = start_app(display, home, log, extra)
            if display_lost(proc, xvfb, log):  # the X server died under us: not the app's doing
                result.display_restarts += 1
                kill_group(proc)
                display, xvfb = start_xvfb()
                proc = start_app(display, home, log, extra)
            theirs: bytes | None = None
            try:
                if trial == 0:
                    wait_for_window(display, "Welcome to Broadsheet", proc)
                    time.sleep(1.0)  # let the sample draft finish opening
                    focus(display, "Welcome to Broadsheet", proc)
                    xdotool(display, "key", "ctrl+n")
                wait_for_window(display, "Untitled", proc)
                drafts = user_drafts(home)
                if trial and len(drafts) != 1:
                    result.duplicates += 1
                    result.problems.append(f"trial {trial}: {len(drafts)} drafts after recovery")
                draft_before = drafts[0].read_bytes() if drafts else b""
                # A writer starts typing once the window is up; keys sent while Chromium is still
                # starting its processes queue up unprocessed and would count as "lost".
                time.sleep(1.0)
                focus(display, "Untitled", proc)
                xdotool(display, "key", "ctrl+End")
                if trial and drafts and drafts[0].read_bytes() != draft_before:
                    result.recovery_failures += 1
                    result.problems.append(f"trial {trial}: the restart changed the draft")
                if mode == "publishing" and blog is not None:
                    sent = blog.writes()
                    xdotool(display, "key", "ctrl+shift+p")
                    if not wait_for(lambda sent=sent: blog.writes() > sent, 15.0):
                        result.publish_misses += 1
                        result.problems.append(f"trial {trial}: the publish never reached the blog")
                elif mode == "conflict" and drafts:
                    theirs = change_outside(drafts[0], trial)
                typing_for = rnd.uniform(0.3, 4.0)
                stop_at = time.monotonic() + typing_for
                while time.monotonic() < stop_at:
                    word += 1
                    chunk = f" w{word:05d}"
                    if word % PARAGRAPH_WORDS == 0:  # paragraphs as an essay has them
                        xdotool(display, "key", "--delay", "8", "Return", "Return")
                        typed += "\n\n"
                        sent_at.extend([time.monotonic()] * 2)
                        chunk = chunk[1:]
                    xdotool(display, "type", "--delay", "8", chunk)
                    now = time.monotonic()
                    typed += chunk
                    sent_at.extend([now] * len(chunk))
                time.sleep(rnd.uniform(0.0, 0.2))
                killed_at = time.monotonic()
                kill_group(proc)
            except Exception as exc:
                kill_group(proc)
                tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
                raise RuntimeError(
                    f"trial {trial}: {exc}\n--- application stderr ---\n{tail}"
                ) from exc
            result.trials += 1
            drafts = user_drafts(home)
            if len(drafts) != 1:
                result.torn += 1
                result.problems.append(f"trial {trial}: {len(drafts)} drafts on disk")
                continue
            if theirs is not None:
                problem, kept = _check_conflict(drafts[0], theirs, copies, typed)
            else:
                problem, kept = check_draft(drafts[0], typed)
            if problem:
                result.torn += 1
                result.problems.append(f"trial {trial} ({mode}): {problem}")
                continue
            loss = 0.0
            if kept < len(typed):  # the first character missing from the file
                loss = max(0.0, killed_at - sent_at[kept])
            result.losses.append(loss)
            result.losses_by_mode.setdefault(mode, []).append(loss)
            # What is on disk is the truth from now on: type on from there.
            typed = typed[:kept]
            sent_at = sent_at[:kept]
            if theirs is not None:
                keep_mine(drafts[0], copies)
            if trial == 0 and blog is not None:
                give_labels(drafts[0])
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
        if blog is not None:
            result.duplicate_posts = max(0, blog.posts() - 1)
            blog.stop()
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
    return result


def _check_conflict(
    path: Path, theirs: bytes, copies: RecoveryStore, typed: str
) -> tuple[str | None, int]:
    """After a kill with another program's change pending: theirs intact, ours recovered."""
    if path.read_bytes() != theirs:
        return "the other program's version was overwritten while the choice was pending", 0
    copy = copies.get(path)
    if copy is None:  # nothing typed reached a save yet: the draft's own body is what is kept
        return check_draft(path, typed)
    return check_text(copy.text, path.name, typed)


def main(argv: list[str] | None = None) -> int:
    """Run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--modes", default=",".join(MODES), help="kinds of trial, taking turns (default: all)"
    )
    args = parser.parse_args(argv)
    modes = tuple(m for m in args.modes.split(",") if m)
    unknown = set(modes) - set(MODES)
    if unknown or not modes:
        parser.error(f"--modes takes {', '.join(MODES)}")
    result = run(args.trials, args.seed, args.keep, modes)
    losses = sorted(result.losses) or [0.0]
    figures = {
        "trials": result.trials,
        "torn_files": result.torn,
        "duplicate_drafts": result.duplicates,
        "duplicate_posts": result.duplicate_posts,
        "publish_misses": result.publish_misses,
        "recovery_failures": result.recovery_failures,
        "display_restarts": result.display_restarts,
        "worst_loss_s": round(losses[-1], 3),
        "median_loss_s": round(losses[len(losses) // 2], 3),
    }
    for mode, mode_losses in sorted(result.losses_by_mode.items()):
        figures[f"{mode}_trials"] = len(mode_losses)
        figures[f"{mode}_worst_loss_s"] = round(max(mode_losses), 3)
    if args.json:
        losses_by_trial = [round(loss, 3) for loss in result.losses]
        print(json.dumps(figures | {"problems": result.problems, "losses": losses_by_trial}))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
        for problem in result.problems:
            print(f"problem: {problem}")
    ok = (
        result.torn == 0
        and result.duplicates == 0
        and result.duplicate_posts == 0
        and result.publish_misses == 0
        and result.recovery_failures == 0
        and losses[-1] <= 2.0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
