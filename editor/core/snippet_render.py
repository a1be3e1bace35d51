"""Include lines replaced by their snippets, before the body is rendered (preview and publish).

A snippet is rendered on its own, with the post's options, and its HTML takes the place of its
include line as one line of raw HTML: the body keeps its line count, so the preview's line
markers (scroll sync) and the line numbers of problems stay right. The preview and publishing
expand the same way, so what the preview shows is what is published.

A missing snippet, an include cycle or nesting deeper than `MAX_DEPTH` is shown in its place as
one sentence, and publishing refuses (`SnippetError`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from editor.core.post import Post
from editor.core.render import (
    RenderOptions,
    render_body,
    render_checked,
    render_for_publishing,
    slugify,
)
from editor.core.snippets import MAX_DEPTH, SnippetFolder, include_lines, missing_message


class SnippetError(ValueError):
    """A body whose includes cannot all be filled: one sentence for the writer."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Expansion:
    """A body with its include lines replaced, and what could not be included (sentences)."""

    text: str
    problems: tuple[str, ...] = ()
    used: tuple[str, ...] = ()  # the snippets included, nested ones too


def _note(sentence: str) -> str:
    return f'<p class="bs-snippet-problem" role="note">{html.escape(sentence)}</p>'


def expand_snippets(
    body: str, folder: SnippetFolder | None, options: RenderOptions = RenderOptions()
) -> Expansion:
    """`body` with each include line replaced by its snippet's HTML (one line each)."""
    if folder is None or "{%" not in body:
        return Expansion(body)
    problems: list[str] = []
    used: list[str] = []
    text = _expand(body, folder, options, (), problems, used)
    return Expansion(text, tuple(dict.fromkeys(problems)), tuple(dict.fromkeys(used)))


def _expand(
    body: str,
    folder: SnippetFolder,
    options: RenderOptions,
    chain: tuple[str, ...],
    problems: list[str],
    used: list[str],
) -> str:
    includes = include_lines(body)
    if not includes:
        return body
    lines = body.split("\n")
    for include in includes:
        lines[include.line] = _included(include.name, folder, options, chain, problems, used)
    return "\n".join(lines)


def _included(
    name: str,
    folder: SnippetFolder,
    options: RenderOptions,
    chain: tuple[str, ...],
    problems: list[str],
    used: list[str],
) -> str:
    """The one line of HTML standing for `{% include name %}`."""
    if name in chain:
        problem = f"The snippet “{name}” includes itself ({' → '.join((*chain, name))})."
    elif len(chain) >= MAX_DEPTH:
        problem = f"The snippet “{name}” is included more than {MAX_DEPTH} snippets deep."
    else:
        source = folder.read(name)
        if source is None:
            problem = missing_message(name)
        else:
            used.append(name)
            inner = _expand(source, folder, options, (*chain, name), problems, used)
            # Its own id prefix: footnotes and headings of the snippet never collide with the
            # post's. Never markers: its lines are not the draft's lines.
            own = replace(options, slug=f"{options.slug}-{name}", markers=False, line_offset=0)
            rendering = render_checked(inner, own)
            if rendering.problems:
                problems.append(
                    f"The snippet “{name}” cannot be rendered: line"
                    f" {rendering.problems[0].line + 1} {rendering.problems[0].reason}."
                )
            return (
                f'<div class="bs-snippet" data-snippet="{html.escape(name)}">{rendering.html}</div>'
            )
    problems.append(problem)
    return _note(problem)


def expand_for_publishing(
    body: str, folder: SnippetFolder | None, options: RenderOptions = RenderOptions()
) -> str:
    """The expanded body to publish; SnippetError says what stops it (the first problem)."""
    expansion = expand_snippets(body, folder, options)
    if expansion.problems:
        raise SnippetError(expansion.problems[0])
    return expansion.text


def publishable_html(post: Post, folder: SnippetFolder | None, *, caption_style: str) -> str:
    """The HTML to publish for `post`, its snippets included.

    Raises SnippetError (a snippet missing, a cycle) or RenderError (a line cannot be rendered).
    """
    options = RenderOptions(slug=slugify(post.title), caption_style=caption_style)
    body = expand_for_publishing(post.body, folder, options)
    return render_for_publishing(replace(post, body=body), caption_style=caption_style)


def render_with_snippets(post: Post, folder: SnippetFolder | None, *, caption_style: str) -> str:
    """`render_post` with the snippets included; a problem is shown in place, never raised
    (for exports: the page shows what the preview shows)."""
    options = RenderOptions(slug=slugify(post.title), caption_style=caption_style)
    return render_body(expand_snippets(post.body, folder, options).text, options)
