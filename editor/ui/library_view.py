"""The library view of the drafts list: a virtual list of drafts, and the search box and filters
above it. Searching happens on the file thread (FileWorker.search); this only shows answers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from editor.core.drafts import DraftInfo
from editor.core.library_db import HIT_END, HIT_START, Hit, plain_snippet
from editor.core.library_query import (
    DEFAULT_SORT,
    SORT_WORDS,
    STATUS_WORDS,
    LibraryQuery,
    snippet_html,
)
from editor.ui.theme import note_colour

PATH_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3  # HTML, matched words bold
MARKED_SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # matches between HIT_START and HIT_END
ACCESSIBLE_ROLE = Qt.ItemDataRole.AccessibleTextRole
SEARCH_DEBOUNCE_MS = 150
PAD_X, PAD_Y = 10, 7

Row = DraftInfo | Hit
AnyIndex = QModelIndex | QPersistentModelIndex


def detail_of(row: Row) -> str:
    """The line under a draft's title: date, words and state (or what is wrong with it)."""
    detail = row.problem or f"{row.date} · {row.words:,} words"
    if row.state and not row.problem:
        detail += f" · {row.state}"
    return detail


class LibraryModel(QAbstractListModel):
    """The drafts shown, as rows; texts are made only for the rows the view asks for."""

    snippets_wanted = Signal()  # rows on screen have no snippet yet: see `wanted`

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.with_snippets = False  # a search is shown: rows have a third line
        self._by_name: dict[str, int] = {}
        # Only the first hits of a search come with their snippet (making one costs as much
        # as the search): the others are asked for when their row is shown.
        self.wanted: set[Path] = set()
        self._asked: set[Path] = set()

    def set_rows(self, rows: list[Row], *, with_snippets: bool) -> None:
        self.beginResetModel()
        self.rows = rows
        self.with_snippets = with_snippets
        # By file name: hashing 50,000 Paths costs more than the rest of showing them.
        self._by_name = {row.path.name: i for i, row in enumerate(rows)}
        self.wanted.clear()
        self._asked.clear()
        self.endResetModel()

    def add_snippets(self, snippets: dict[Path, str]) -> None:
        """Snippets the file thread made for rows that came without one."""
        for path, snippet in snippets.items():
            row = self.row_of(path)
            hit = self.rows[row] if row >= 0 else None
            if isinstance(hit, Hit) and not hit.snippet:
                self.rows[row] = replace(hit, snippet=snippet)
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)

    def _snippet(self, row: Row) -> str:
        snippet = getattr(row, "snippet", "")
        if self.with_snippets and not snippet and row.path not in self._asked:
            self._asked.add(row.path)
            self.wanted.add(row.path)
            self.snippets_wanted.emit()
        return snippet

    def row_of(self, path: Path | None) -> int:
        """The row of the draft at `path` (-1: not shown)."""
        row = -1 if path is None else self._by_name.get(path.name, -1)
        return row if row >= 0 and self.rows[row].path == path else -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        wants = role in (SNIPPET_ROLE, MARKED_SNIPPET_ROLE, ACCESSIBLE_ROLE)
        snippet = self._snippet(row) if wants else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title}\n{detail_of(row)}"
        if role == PATH_ROLE:
            return str(row.path)
        if role == TITLE_ROLE:
            return row.title
        if role == DETAIL_ROLE:
            return detail_of(row)
        if role == SNIPPET_ROLE:
            return snippet_html(snippet)
        if role == MARKED_SNIPPET_ROLE:
            return snippet
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.path}\n{row.state}" if row.state else str(row.path)
        if role == ACCESSIBLE_ROLE:
            return ". ".join(t for t in (row.title, detail_of(row), plain_snippet(snippet)) if t)
        return None


class RowDelegate(QStyledItemDelegate):
    """Paints a row: the title, the detail line in a muted colour, the snippet with bold hits."""

    def _lines(self, index: AnyIndex) -> int:
        model = index.model()
        return 3 if isinstance(model, LibraryModel) and model.with_snippets else 2

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        height = option.fontMetrics.lineSpacing() * self._lines(index) + 2 * PAD_Y
        return QSize(option.rect.width() or 200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the selection and focus background of the style in use
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text = opt.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text if selected else QColor(note_colour("muted", widget))
        line = opt.fontMetrics.lineSpacing()
        box = opt.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        painter.save()
        painter.setClipRect(opt.rect)
        metrics = opt.fontMetrics
        painter.setPen(opt.palette.color(QPalette.ColorRole.Midlight))  # rows apart, both themes
        painter.drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight())
        bold = QFont(opt.font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(text)
        title = QFontMetrics(bold).elidedText(
            index.data(TITLE_ROLE) or "", Qt.TextElideMode.ElideRight, box.width()
        )
        painter.drawText(QRect(box.x(), box.y(), box.width(), line), 0, title)
        painter.setFont(opt.font)
        painter.setPen(muted)
        detail = metrics.elidedText(
            index.data(DETAIL_ROLE) or "", Qt.TextElideMode.ElideRight, box.width()
        )
        painter.drawText(QRect(box.x(), box.y() + line, box.width(), line), 0, detail)
        snippet = index.data(MARKED_SNIPPET_ROLE) or ""
        if self._lines(index) == 3 and snippet:
            snippet = snippet_html(fit_snippet(snippet, QFontMetrics(bold), box.width()))
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(opt.font)
            doc.setDefaultStyleSheet(f"body {{ color: {text.name()}; }}")
            doc.setHtml(f"<body style='white-space: nowrap'>{snippet}</body>")
            painter.translate(box.x(), box.y() + 2 * line)
            doc.drawContents(painter, QRect(0, 0, box.width(), line).toRectF())
        painter.restore()


def fit_snippet(snippet: str, metrics: QFontMetrics, width: int) -> str:
    """The marked snippet cut to `width` with "…" (measured all bold, so it surely fits); when
    the first match would be cut off, the text before it is dropped instead."""
    plain = plain_snippet(snippet)
    fitted = metrics.elidedText(plain, Qt.TextElideMode.ElideRight, width)
    if fitted == plain:
        return snippet
    keep = max(0, len(fitted) - 1)  # the characters before the "…"
    first_end = len(plain_snippet(snippet.split(HIT_END, 1)[0]))
    if HIT_END in snippet and first_end > keep:
        drop = first_end - keep + 2  # and room for a leading "…"
        return fit_snippet("…" + _cut(snippet, drop, from_start=True), metrics, width)
    return _cut(snippet, keep) + "…"


def _cut(snippet: str, count: int, *, from_start: bool = False) -> str:
    """Keep the first `count` characters of the text (or drop them); markers stay paired."""
    out, shown, open_mark = [], 0, False
    for char in snippet:
        if char in (HIT_START, HIT_END):
            open_mark = char == HIT_START
            out.append(char)
            continue
        shown += 1
        if from_start:
            if shown > count:
                out.append(char)
        elif shown <= count:
            out.append(char)
        else:
            break
    text = "".join(out)
    return text + (HIT_END if open_mark and not from_start else "")


class _RowItem:
    """One row, for code written against QListWidget (`list.item(i).text()`)."""

    def __init__(self, index: QModelIndex) -> None:
        self.index = index

    def text(self) -> str:
        return str(self.index.data() or "")

    def data(self, role: int) -> Any:
        return self.index.data(role)


class DraftsListView(QListView):
    """The drafts list: only the rows on screen are ever laid out or painted."""

    def __init__(self, model: LibraryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(RowDelegate(self))
        self.setUniformItemSizes(True)  # the height of one row is the height of all: no layout
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)

    def count(self) -> int:
        return self.model().rowCount()

    def item(self, row: int) -> _RowItem:
        return _RowItem(self.model().index(row, 0))

    def visualItemRect(self, item: _RowItem) -> QRect:  # noqa: N802
        return self.visualRect(item.index)


class SearchBox(QLineEdit):
    """The search box: Esc clears it (and then the filters); Down goes to the list."""

    escaped = Signal()
    down = Signal()

    def event(self, event: QEvent) -> bool:
        # Esc is a window shortcut too (e.g. leaving focus mode): in the box it clears the box.
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo


class LibraryFilters(QWidget):
    """The search box, the label/status/year/blog filters, the sort and the count of drafts."""

    changed = Signal()  # the query changed (typing is debounced)
    escaped_empty = Signal()  # Esc in an empty search with no filters: back to the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = SearchBox()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search all drafts")
        self.search.setAccessibleName("Search all drafts")
        shortcut = QKeySequence("Ctrl+Shift+F").toString(QKeySequence.SequenceFormat.NativeText)
        self.search.setToolTip(f"Titles, labels and text of every draft ({shortcut}; Esc clears)")
        self.search.setClearButtonEnabled(True)
        self.label = _combo("Label filter", "Only drafts with this label")
        self.status = _combo("Status filter", "Only drafts in this state")
        self.year = _combo("Year filter", "Only drafts dated in this year")
        self.blog = _combo("Blog filter", "Only drafts published to this blog")
        self.sort = _combo("Sort drafts by", "Order of the list")
        self.status.addItem("Any status", None)
        for key, words in STATUS_WORDS.items():
            self.status.addItem(words, key)
        for key, words in SORT_WORDS.items():
            self.sort.addItem(f"Sort: {words}", key)
        self.set_choices([], [], [])
        self.count = QLabel()
        self.count.setObjectName("libraryCount")
        self.count.setAccessibleName("Drafts shown")
        self._mute_count()
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 2, 8, 4)
        grid.setSpacing(4)
        grid.addWidget(self.search, 0, 0, 1, 2)
        grid.addWidget(self.label, 1, 0)
        grid.addWidget(self.status, 1, 1)
        grid.addWidget(self.year, 2, 0)
        grid.addWidget(self.sort, 2, 1)
        grid.addWidget(self.blog, 3, 0, 1, 2)
        grid.addWidget(self.count, 4, 0, 1, 2)
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._typing.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _text: self._typing.start())
        self.search.escaped.connect(self._escape)
        for combo in (self.label, self.status, self.year, self.blog, self.sort):
            combo.activated.connect(lambda _i: self.changed.emit())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._mute_count()  # the theme changed: the muted colour of the other theme
        super().changeEvent(event)

    def _mute_count(self) -> None:
        palette = self.count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(note_colour("muted", self)))
        self.count.setPalette(palette)

    def query(self, serial: int) -> LibraryQuery:
        """The query the controls show now."""
        return LibraryQuery(
            serial,
            self.search.text(),
            label=self.label.currentData(),
            status=self.status.currentData(),
            blog=self.blog.currentData() if self.blog.isVisibleTo(self) else None,
            year=self.year.currentData(),
            sort=self.sort.currentData() or DEFAULT_SORT,
        )

    def set_choices(self, labels: list[str], years: list[int], blogs: list[str]) -> None:
        """Offer these labels, years and blogs; what is chosen stays chosen."""
        _refill(self.label, "All labels", [(f"Label: {label}", label) for label in labels])
        _refill(self.year, "Any year", [(str(year), year) for year in years])
        _refill(self.blog, "All blogs", [(blog, blog) for blog in blogs])
        self.blog.setVisible(len(blogs) > 1 or self.blog.currentData() is not None)

    def show_count(self, shown: int) -> None:
        self.count.setText(f"{shown:,} draft" + ("" if shown == 1 else "s"))

    def reset(self) -> None:
        """Back to every draft, in the list's own order."""
        self._typing.stop()
        self.search.clear()
        self._typing.stop()
        for combo in (self.label, self.status, self.year, self.blog, self.sort):
            combo.setCurrentIndex(0)
        self.changed.emit()

    def _escape(self) -> None:
        if self.search.text():
            self.search.clear()
            self._typing.stop()
            self.changed.emit()
        elif not self.query(0).is_everything():
            self.reset()
        else:
            self.escaped_empty.emit()


def _refill(combo: QComboBox, everything: str, choices: list[tuple[str, object]]) -> None:
    """Put `choices` in `combo` after its "everything" entry, keeping the current choice."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, value in choices:
        combo.addItem(text, value)
    if current is not None and combo.findData(current) < 0:
        combo.addItem(str(current), current)  # gone from the library, still the filter
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.blockSignals(False)
