"""Python-Markdown's inline pass, linear in the length of a paragraph, with the same output.

Python-Markdown replaces each inline match (a link, an entity, a smart quote, a dash) by a
placeholder and rebuilds the whole paragraph string before looking for the next one: the cost
is length x matches, so 16,000 links in one 112 KB paragraph took 3 s and 250,000 `--` in a
pasted megabyte 45 s. Here, for the patterns whose matching only looks forward, each pattern's
pass over a string collects the pieces and joins them once.

Equal output is the rule, and the only thing that differs between the two ways is what sits
just before the place where the next search starts: the placeholder of the match just made
(Python-Markdown) or the matched text itself (here). Patterns that look behind (`(?<!\\)`,
`\\b`, a multi-line `^`) are checked at that place: the look-behinds are evaluated on both
contexts, and where any answer differs the pass finishes the way Python-Markdown does. Patterns
whose handlers keep state between matches (emphasis, strikethrough) always do.
`tests/core/test_md_inline.py` compares the two on generated Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import deque
from dataclasses import dataclass

import markdown
from markdown import inlinepatterns, util
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.treeprocessors import InlineProcessor
from pymdownx.magiclink import MagiclinkMailPattern, MagiclinkPattern

try:  # Python 3.11+ names; the same objects as sre_parse / sre_compile
    from re import _compiler as sre_compile  # type: ignore[attr-defined]
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile
    import sre_constants
    import sre_parse

# Handlers that read only the match and what follows it, return the match's own start, and
# keep no state from one match to the next (checked by reading each one's handleMatch).
_FORWARD_ONLY: tuple[type, ...] = (
    inlinepatterns.BacktickInlineProcessor,
    inlinepatterns.EscapeInlineProcessor,
    inlinepatterns.HtmlInlineProcessor,  # raw HTML, entities, smarty's substitutions
    inlinepatterns.LinkInlineProcessor,  # links, images and the reference forms
    inlinepatterns.AutolinkInlineProcessor,
    inlinepatterns.AutomailInlineProcessor,
    inlinepatterns.SubstituteTagInlineProcessor,
    inlinepatterns.SimpleTagInlineProcessor,
    FootnoteInlineProcessor,
    SubstituteTextPattern,
    MagiclinkPattern,
    MagiclinkMailPattern,
)
# Subclasses of the above that do keep state, or look back.
_NOT_FORWARD_ONLY: tuple[type, ...] = (inlinepatterns.DelimiterProcessor,)

_CONTEXT_REACH_LIMIT = 32  # look-behinds wider than this take Python-Markdown's way
_FORWARD = 64  # characters after the search place given to the look-behind check


@dataclass(frozen=True)
class _Plan:
    """How a pattern depends on what precedes the place a search starts at."""

    reach: int  # how many characters back its look-behinds can see
    parts: tuple[re.Pattern[str], ...]  # each look-behind (or \b, multi-line ^) on its own
    relaxed: re.Pattern[str] | None  # the pattern without them: it matches wherever it could


_CONTEXT = (sre_constants.AT_BOUNDARY, sre_constants.AT_NON_BOUNDARY)
_REPEATS = tuple(
    op
    for op in (
        sre_constants.MAX_REPEAT,
        sre_constants.MIN_REPEAT,
        getattr(sre_constants, "POSSESSIVE_REPEAT", None),
    )
    if op is not None
)


def _context_nodes(sub: object, multiline: bool, strip: bool) -> list[tuple[int, object]]:
    """The look-behind nodes of a parsed pattern with their reach; `strip` removes them."""
    found: list[tuple[int, object]] = []
    kept = []
    for node in sub.data:  # type: ignore[attr-defined]
        op, av = node
        reach = 0
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            direction, inner = av
            if direction < 0:
                reach = inner.getwidth()[1]
            else:
                found += _context_nodes(inner, multiline, strip)
        elif op is sre_constants.AT:
            if av in _CONTEXT or (av is sre_constants.AT_BEGINNING and multiline):
                reach = 1
        elif op is sre_constants.BRANCH:
            for branch in av[1]:
                found += _context_nodes(branch, multiline, strip)
        elif op is sre_constants.SUBPATTERN:
            found += _context_nodes(av[-1], multiline, strip)
        elif op in _REPEATS:
            found += _context_nodes(av[2], multiline, strip)
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
            found += _context_nodes(av, multiline, strip)
        elif op is sre_constants.GROUPREF_EXISTS:
            found += _context_nodes(av[1], multiline, strip)
            if av[2] is not None:
                found += _context_nodes(av[2], multiline, strip)
        if reach:
            found.append((reach, node))
        if not (reach and strip):
            kept.append(node)
    if strip:
        sub.data = kept  # type: ignore[attr-defined]
        sub.width = None  # type: ignore[attr-defined]  # measured again without them
    return found


def _plan_for(pattern: object) -> _Plan | None:
    """A plan for the linear pass, or None when the pattern must take Python-Markdown's way."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    if not isinstance(pattern, _FORWARD_ONLY) or isinstance(pattern, _NOT_FORWARD_ONLY):
        return None
    regex = pattern.getCompiledRegExp()
    parsed = sre_parse.parse(regex.pattern, regex.flags)
    flags = parsed.state.flags
    multiline = bool(flags & re.MULTILINE)
    nodes = _context_nodes(parsed, multiline, strip=False)
    if not nodes:
        return _Plan(0, (), None)
    reach = max(width for width, _node in nodes)
    if reach > _CONTEXT_REACH_LIMIT:
        return None
    parts = tuple(
        sre_compile.compile(sre_parse.SubPattern(parsed.state, [node]), flags)
        for _width, node in nodes
    )
    relaxed = sre_parse.parse(regex.pattern, regex.flags)
    _context_nodes(relaxed, multiline, strip=True)
    return _Plan(reach, parts, sre_compile.compile(relaxed, flags))


class LinearInlineProcessor(InlineProcessor):
    """Python-Markdown's InlineProcessor, with each pattern's pass joined once."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._plans: dict[int, _Plan | None] = {}

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Python-Markdown's walk over the tree, with a queue and positions instead of
        `list.pop(0)` and `list(element).index(child)`, which cost a paragraph's length for
        each of its links once the smart quotes pass walks them."""
        self.stashed_nodes: dict[str, etree.Element | str] = {}
        self.parent_map = {child: parent for parent in tree.iter() for child in parent}
        queue: deque[tuple[etree.Element, list[str]]] = deque([(tree, list(ancestors or []))])
        self._InlineProcessor__build_ancestors(tree, queue[0][1])  # type: ignore[attr-defined]
        while queue:
            element, parents = queue.popleft()
            self.ancestors = parents
            if element is not tree:
                self.ancestors.append(element.tag.lower())
            later: list[tuple[etree.Element, list[tuple[etree.Element, list[str]]]]] = []
            index = 0
            while index < len(element):  # children put in after this one are visited too
                child = element[index]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    made = self._InlineProcessor__processPlaceholders(
                        self._InlineProcessor__handleInline(text), child
                    )
                    for item in made:
                        self.parent_map[item[0]] = child
                    queue.extend(made)
                    later.append((child, made))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._InlineProcessor__handleInline(child.tail)
                    holder = etree.Element("d")
                    child.tail = None
                    made = self._InlineProcessor__processPlaceholders(tail, holder, False)
                    if holder.tail:
                        child.tail = holder.tail
                    for item in reversed(made):
                        self.parent_map[item[0]] = element
                        element.insert(index + 1, item[0])
                if len(child):
                    self.parent_map[child] = element
                    queue.append((child, self.ancestors[:]))
                index += 1
            for parent, made in later:
                for position, item in enumerate(made):
                    parent.insert(position, item[0])
        return tree

    def _InlineProcessor__processPlaceholders(  # noqa: N802 (Python-Markdown's name)
        self,
        data: str | None,
        parent: etree.Element,
        isText: bool = True,  # noqa: N803
    ) -> list[tuple[etree.Element, list[str]]]:
        """Python-Markdown's placeholders-to-elements step, with the text between elements
        gathered and joined once instead of added to `.text`/`.tail` piece by piece."""
        result: list[tuple[etree.Element, list[str]]] = []
        pending: list[str] = []

        def flush() -> None:
            pieces = [piece for piece in pending if piece]
            pending.clear()
            if not pieces:
                return
            # One piece into an empty place keeps its type (an AtomicString stays one), as
            # Python-Markdown's assignment does; joined or added text is a plain string.
            if result:
                owner, attribute = result[-1][0], "tail"
            else:
                owner, attribute = parent, "text" if isText else "tail"
            existing = getattr(owner, attribute)
            if not existing and len(pieces) == 1:
                setattr(owner, attribute, pieces[0])
            else:
                setattr(owner, attribute, "".join([existing or "", *pieces]))

        prefix = util.INLINE_PLACEHOLDER_PREFIX
        start = 0
        while data:
            index = data.find(prefix, start)
            if index == -1:
                text = data[start:]
                if isinstance(data, util.AtomicString):  # the rest stays unprocessed
                    text = util.AtomicString(text)
                pending.append(text)
                break
            found = util.INLINE_PLACEHOLDER_RE.search(data, index)
            key, after = (found.group(1), found.end()) if found else (None, index + 1)
            if key not in self.stashed_nodes:  # not one of ours: plain text
                end = index + len(prefix)
                pending.append(data[start:end])
                start = end
                continue
            node = self.stashed_nodes[key]
            if index > 0:
                pending.append(data[start:index])
            start = after
            if isinstance(node, str):
                pending.append(node)
                continue
            for child in [node, *list(node)]:
                if child.tail and child.tail.strip():
                    self._InlineProcessor__processElementText(node, child, False)  # type: ignore[attr-defined]
                if child.text and child.text.strip():
                    self._InlineProcessor__processElementText(child, child)  # type: ignore[attr-defined]
            flush()
            result.append((node, self.ancestors[:]))
        flush()
        return result

    def _plan(self, pattern: object) -> _Plan | None:
        key = id(pattern)
        if key not in self._plans:
            self._plans[key] = _plan_for(pattern)
        return self._plans[key]

    # The private name Python-Markdown calls, from run() and for the text inside a match.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if isinstance(data, util.AtomicString):
            return data
        count = len(self.inlinePatterns)
        while patternIndex < count:
            pattern = self.inlinePatterns[patternIndex]
            plan = self._plan(pattern)
            if plan is None:
                data = self._markdown_way(pattern, data, patternIndex, 0)
            else:
                # The stubs type inlinePatterns as the tree processor's own class.
                data = self._linear(pattern, plan, data, patternIndex)  # type: ignore[arg-type]
            patternIndex += 1
        return data

    def _markdown_way(self, pattern: object, data: str, index: int, start: int) -> str:
        """One pattern over the string from `start`, exactly as Python-Markdown does it."""
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        matched = True
        while matched:
            data, matched, start = apply(pattern, data, index, start)
        return data

    def _linear(
        self, pattern: inlinepatterns.InlineProcessor, plan: _Plan, data: str, index: int
    ) -> str:
        for exclude in pattern.ANCESTOR_EXCLUDES:
            if exclude.lower() in self.ancestors:
                return data
        regex = pattern.getCompiledRegExp()
        pieces: list[str] = []
        made = 0  # length of the pieces so far
        tail = ""  # their last characters, for the look-behind check
        last = 0  # data[:last] is in the pieces
        pos = 0
        while True:
            if (
                plan.reach
                and pieces
                and pos - last < plan.reach
                and not self._alike_after(plan, data, pos, tail + data[last:pos])
            ):
                rebuilt = "".join(pieces) + data[last:]
                return self._markdown_way(pattern, rebuilt, index, made + pos - last)
            node = start = end = None
            for match in regex.finditer(data, pos):
                node, start, end = pattern.handleMatch(match, data)
                if start is not None and end is not None:
                    break
            else:
                break
            assert start is not None and end is not None
            if node is None:
                pos = end
                continue
            self._inside(node, index)
            placeholder = self._InlineProcessor__stashNode(node, pattern.type())  # type: ignore[attr-defined]
            if not start <= end <= len(data):
                # A handler's odd answer (the link pattern ends an unclosed `[a](` at -1):
                # Python-Markdown slices its string with it as it is; so do we, then go on
                # its way. (Taken as a position here, -1 meant searching from 0 forever.)
                current = "".join(pieces) + data[last:]
                at = made + start - last
                after = end if end < 0 else made + end - last
                rebuilt = current[:at] + placeholder + current[after:]
                return self._markdown_way(pattern, rebuilt, index, at + len(placeholder))
            piece = data[last:start]
            pieces.append(piece)
            pieces.append(placeholder)
            made += len(piece) + len(placeholder)
            tail = (tail + piece + placeholder)[-_CONTEXT_REACH_LIMIT:]
            last = pos = end
        if not pieces:
            return data
        pieces.append(data[last:])
        return "".join(pieces)

    def _inside(self, node: object, index: int) -> None:
        """The inline patterns inside a match's element, as Python-Markdown applies them."""
        if isinstance(node, str) or isinstance(node.text, util.AtomicString):  # type: ignore[attr-defined]
            return
        for child in [node, *list(node)]:  # type: ignore[call-overload]
            if child.text:
                self.ancestors.append(child.tag.lower())
                child.text = self._InlineProcessor__handleInline(child.text, index + 1)
                self.ancestors.pop()
            if child.tail:
                child.tail = self._InlineProcessor__handleInline(child.tail, index)

    @staticmethod
    def _alike_after(plan: _Plan, data: str, pos: int, before: str) -> bool:
        """Whether a search from `pos` finds the same after Python-Markdown's string (which
        has `before` in front of `pos`) as after ours: where a look-behind answers otherwise,
        the pattern must be unable to match there at all."""
        reach = plan.reach
        ahead = data[pos : pos + reach + _FORWARD]
        ours_before = data[max(0, pos - reach) : pos]
        theirs_before = before[-reach:]
        ours = ours_before + ahead
        theirs = theirs_before + ahead
        for offset in range(reach):
            for part in plan.parts:
                mine = part.match(ours, len(ours_before) + offset) is not None
                if mine != (part.match(theirs, len(theirs_before) + offset) is not None):
                    assert plan.relaxed is not None
                    if plan.relaxed.match(data, pos + offset) is not None:
                        return False
                    break
        return True


def use_linear_inline(md: markdown.Markdown) -> None:
    """Put the linear inline pass in place of each of the converter's inline passes."""
    # _priority is private to the registry (and so not in the stubs).
    for item in list(md.treeprocessors._priority):  # type: ignore[attr-defined]  # noqa: SLF001
        processor = md.treeprocessors[item.name]
        if type(processor) is InlineProcessor:
            linear = LinearInlineProcessor(md)
            linear.inlinePatterns = processor.inlinePatterns
            md.treeprocessors.register(linear, item.name, item.priority)
