"""The post panel: the draft's front matter as a form above the text (title, labels, blog,
status, scheduled time, search description, published addresses).

The form only reads and writes the YAML (editor/core/post_fields.py does both, Qt-free): a
field edited here replaces the changed characters of the front matter in the editor as one
undoable edit, and typing in the YAML updates the form (debounced, reading only the lines
down to the closing fence). Malformed front matter disables the form and is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.blog_labels import label_key
from editor.core.editor_text import changed_span
from editor.core.post import FrontMatterError, front_matter_warning
from editor.core.post_fields import (
    BLOG,
    DESCRIPTION,
    LABELS,
    SCHEDULED,
    TITLE,
    PostFields,
    front_matter_end,
    read_fields,
    with_field,
)
from editor.core.utf16 import to_utf16
from editor.ui.label_chips import LabelChips
from editor.ui.theme import is_dark_palette
from editor.ui.zone_words import tomorrow_morning, zone_name

if TYPE_CHECKING:
    from editor.ui.window_facets import PostPanelHost

FOLLOW_MS = 200  # the form follows the YAML this long after the writer stops typing
COMMIT_MS = 700  # a field typed in is written to the YAML after this pause (or on leaving it)
MAX_FRONT_MATTER_LINES = 2000  # a fence further down than this is not a front matter
DESCRIPTION_ADVICE = 150  # about what search engines show of a description
OPEN_SETTING = "post_panel_open"
LINK_STYLE = (
    "QPushButton { color: palette(link); border: 1px solid transparent; text-align: left;"
    " text-decoration: underline; padding: 1px 2px; }"
    " QPushButton:focus { border: 1px dotted palette(link); }"
)


class PostPanel(QFrame):
    """The front matter as a form; builds itself into the window above the editor."""

    def __init__(self, window: PostPanelHost, parent: QWidget) -> None:
        """`window`: what the panel uses of the main window; `parent`: the main window's
        widget (the panel's action)."""
        super().__init__()
        self.main = window
        self.parent_widget = parent
        self.editor = window.editor
        self.fields = PostFields()
        self.blogs: tuple[tuple[str, str, str], ...] = ()  # (key, name, url) of each blog
        self.default_key: str | None = None
        self._dark: bool | None = None
        self._seen: object = None  # the front matter last shown, and of which draft
        self._typed: set[str] = set()  # fields typed in and not yet written to the YAML
        self._typed_in: object = None  # the open document they were typed for
        self.waiting: dict[str, str] = {}  # drafts in the publish queue: path → their status
        self.setObjectName("postPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # as tall as its fields need; the text below takes the rest of the column
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._build()
        self.follow_timer = QTimer(self, singleShot=True, interval=FOLLOW_MS)
        self.follow_timer.timeout.connect(self.follow_text)
        self.commit_timer = QTimer(self, singleShot=True, interval=COMMIT_MS)
        self.commit_timer.timeout.connect(self.commit_typed)
        # the document's own signal: it also fires while the window loads a draft quietly
        self.editor.document().contentsChanged.connect(self.follow_timer.start)
        labels = window.desk.labels  # the front matter's label completer knows the labels
        labels.loaded.connect(self._offer_labels, Qt.ConnectionType.QueuedConnection)
        window.looks.worker.blogs_loaded.connect(self._on_blogs)
        self._on_blogs()
        column = self.editor.parentWidget().layout()
        column.insertWidget(column.indexOf(self.editor), self)
        window.desk.focus.panes.append(self)  # focus mode shows only the text
        self._build_action()
        self.follow_text()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 6)
        outer.setSpacing(4)
        header = QHBoxLayout()
        self.toggle_button = QToolButton()
        self.toggle_button.setObjectName("postPanelToggle")
        self.toggle_button.setText("Post details")
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setAccessibleName("Show or hide the post details")
        self.toggle_button.clicked.connect(lambda: self.set_open(not self.is_open))
        self.summary = QLabel()
        self.summary.setObjectName("postPanelSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.yaml_button = QPushButton("Edit as &YAML")
        self.yaml_button.setFlat(True)
        self.yaml_button.setToolTip("Put the cursor in the front matter lines of the text")
        self.yaml_button.setAccessibleName("Edit the front matter as YAML")
        self.yaml_button.clicked.connect(self.edit_as_yaml)
        header.addWidget(self.toggle_button)
        header.addWidget(self.summary, 1)
        header.addWidget(self.yaml_button)
        outer.addLayout(header)

        self.warning = QLabel()
        self.warning.setObjectName("postPanelWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        outer.addWidget(self.warning)

        self.form = QWidget()
        self.form.setObjectName("postPanelForm")
        form = QFormLayout(self.form)
        form.setContentsMargins(4, 0, 0, 0)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("postTitle")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("The title readers see")
        self.title_edit.textEdited.connect(lambda: self._typing(TITLE))
        self.title_edit.editingFinished.connect(self.commit_typed)
        self._row(form, "&Title", self.title_edit)

        self.label_chips = LabelChips()
        self.label_chips.add_requested.connect(self.add_labels)
        self.label_chips.remove_requested.connect(self.remove_label)
        self.label_edit = self.label_chips.edit
        self.label_completer = self.label_chips.completer
        self.label_model = self.label_chips.model
        self.label_edit.textEdited.connect(self._offer_labels)
        self.label_edit.installEventFilter(self)
        self._row(form, "La&bels", self.label_chips, self.label_edit)

        self.blog_combo = QComboBox()
        self.blog_combo.setObjectName("postBlog")
        self.blog_combo.setAccessibleName("Blog")
        self.blog_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.blog_combo.activated.connect(self._blog_chosen)
        blog_row = QHBoxLayout()
        blog_row.addWidget(self.blog_combo)
        blog_row.addStretch(1)
        self._row(form, "Blo&g", blog_row, self.blog_combo)

        self.status_label = QLabel()
        self.status_label.setObjectName("postStatus")
        self.status_label.setAccessibleName("Status")
        self._row(form, "Status", self.status_label)

        self.schedule_box = QCheckBox("At a set time:")
        self.schedule_box.setObjectName("postScheduled")
        self.schedule_box.setAccessibleName("Scheduled")
        self.schedule_box.clicked.connect(self._schedule_clicked)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setObjectName("postScheduledTime")
        self.when_edit.setAccessibleName("Scheduled date and time")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when_edit.dateTimeChanged.connect(lambda: self._typing(SCHEDULED))
        self.when_edit.editingFinished.connect(self.commit_typed)
        self.zone_label = QLabel()
        self.zone_label.setObjectName("postTimeZone")
        when_row = QHBoxLayout()
        when_row.setSpacing(10)
        when_row.addWidget(self.schedule_box)
        when_row.addWidget(self.when_edit)
        when_row.addWidget(self.zone_label, 1)
        self._row(form, "Sched&uled", when_row, self.schedule_box)

        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("postDescription")
        self.description_edit.setAccessibleName("Search description")
        self.description_edit.setPlaceholderText("What search results show under the title")
        self.description_edit.textEdited.connect(lambda: self._typing(DESCRIPTION))
        self.description_edit.textChanged.connect(self._count_description)
        self.description_edit.editingFinished.connect(self.commit_typed)
        self.description_count = QLabel()
        self.description_count.setObjectName("descriptionCount")
        description_row = QHBoxLayout()
        description_row.setSpacing(10)
        description_row.addWidget(self.description_edit, 1)
        description_row.addWidget(self.description_count)
        self._row(form, "Search &description", description_row, self.description_edit)

        self.links_box = QWidget()
        self.links = QVBoxLayout(self.links_box)
        self.links.setContentsMargins(0, 0, 0, 0)
        self.links.setSpacing(2)
        self.link_buttons: list[QPushButton] = []
        self.no_links = QLabel("Not published yet")
        self.links.addWidget(self.no_links)
        self._row(form, "Published", self.links_box)
        outer.addWidget(self.form)

    def _row(
        self, form: QFormLayout, text: str, field: object, buddy: QWidget | None = None
    ) -> None:
        label = QLabel(text)
        if isinstance(field, QWidget):
            label.setBuddy(buddy or field)
        elif buddy is not None:
            label.setBuddy(buddy)
        form.addRow(label, field)  # type: ignore[call-overload]

    def _build_action(self) -> None:
        window = self.main
        self.action = QAction("Show Post P&anel", self.parent_widget)
        self.action.setShortcut(QKeySequence("Ctrl+4"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setCheckable(True)
        self.action.setToolTip("Show the title, labels, blog and schedule as a form above the text")
        self.action.toggled.connect(self.set_open)
        view = window.menus["view"]
        separators = [a for a in view.actions() if a.isSeparator()]
        view.insertAction(separators[0] if separators else None, self.action)
        self.set_open(bool(window.settings.get(OPEN_SETTING, True)), remember=False)

    # ------------------------------------------------------------------ open / closed
    @property
    def is_open(self) -> bool:
        """Whether the form shows (else only the header line)."""
        return not self.form.isHidden()

    def set_open(self, on: bool, remember: bool = True) -> None:
        """Show or fold the form (View ▸ Show Post Panel, Ctrl+4, or the header button)."""
        self.action.blockSignals(True)
        self.action.setChecked(on)
        self.action.blockSignals(False)
        self.toggle_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.form.setVisible(on)
        if remember:
            self.main.settings.set(OPEN_SETTING, on)  # written with the window's settings
            if on and self.form.isEnabled():
                self.title_edit.setFocus()

    # ------------------------------------------------------------------ the YAML → the form
    def front_matter_text(self) -> str:
        """The front matter lines of the editor's text (fences included), read from the top
        only; "" when the draft has none."""
        block = self.editor.document().firstBlock()
        if not block.text().startswith("---") or block.text().rstrip(" \t") != "---":
            return ""
        lines = [block.text()]
        block = block.next()
        while block.isValid() and len(lines) < MAX_FRONT_MATTER_LINES:
            text = block.text()
            lines.append(text)
            if text.rstrip(" \t") in ("---", "..."):
                head = "\n".join(lines) + ("\n" if block.next().isValid() else "")
                if any("\ue000" <= ch <= "\uf8ff" for ch in head):
                    # stand-ins for characters Qt cannot hold: the editor maps them back
                    whole = self.editor.toPlainText()
                    return whole[: front_matter_end(whole)]
                return head
            block = block.next()
        return ""

    def follow_text(self) -> None:
        """Show the front matter now in the text."""
        doc = self.main.doc
        if doc is None:
            self._seen = None
            self.fields = PostFields()
            self._show(self.fields)
            self.form.setEnabled(False)
            self.summary.setText("No draft open")
            return
        head = self.front_matter_text()
        seen = (head, doc.path, self.editor.isReadOnly())
        if seen == self._seen:
            return  # typing in the body: the front matter is as it was
        self._seen = seen
        self.fields = read_fields(head)
        self._show(self.fields)

    def _show(self, fields: PostFields) -> None:
        error = fields.error
        self.warning.setVisible(bool(error))
        self.warning.setText(front_matter_warning(error) if error else "")
        editable = not error and self.main.doc is not None and not self.editor.isReadOnly()
        self.form.setEnabled(editable)
        if not self.title_edit.hasFocus() or TITLE not in self._typed:
            self._set_line(self.title_edit, fields.title)
        if not self.description_edit.hasFocus() or DESCRIPTION not in self._typed:
            self._set_line(self.description_edit, fields.description)
        self._count_description()
        self._show_labels(fields.labels)
        self._on_blogs()
        status = self._status_text(fields)
        self.status_label.setText(status)
        if SCHEDULED not in self._typed:
            self._show_scheduled(fields)
        self._show_links(fields.published)
        bits = [fields.title or "Untitled"] if self.main.doc is not None else []
        if fields.labels:
            bits.append(f"{len(fields.labels)} label{'s' if len(fields.labels) != 1 else ''}")
        if self.main.doc is not None:
            bits.append(status.split(" (")[0])
        self.summary.setText(" · ".join(bits) if not error else "The front matter needs fixing")
        self._order_tabs()

    def show_waiting(self, drafts: dict[str, str]) -> None:
        """The publish queue's drafts and their status in words (read on the publish thread)."""
        self.waiting = drafts
        self._show(self.fields)

    def _status_text(self, fields: PostFields) -> str:
        doc = self.main.doc
        queued = self.waiting.get(str(doc.path.absolute())) if doc is not None else None
        return queued if queued and fields.status in ("local", "draft") else fields.status_text

    @staticmethod
    def _set_line(edit: QLineEdit, text: str) -> None:
        if edit.hasFocus() and " ".join(edit.text().split()) == " ".join(text.split()):
            return  # what the writer is typing says the same (a space typed at the end …)
        if edit.text() != text:
            edit.blockSignals(True)
            edit.setText(text)
            edit.setCursorPosition(0)
            edit.blockSignals(False)

    @property
    def chip_buttons(self) -> list[QToolButton]:
        """The label chips, in order."""
        return self.label_chips.buttons

    def _show_labels(self, labels: tuple[str, ...]) -> None:
        self.label_chips.dark = self._is_dark()
        self.label_chips.show_labels(labels)
        self._offer_labels()

    def _fill_blogs(self) -> None:
        wanted: list[tuple[str, str | None]] = []
        default_name = next((n for k, n, _u in self.blogs if k == self.default_key), "")
        wanted.append((f"Default blog ({default_name})" if default_name else "Default blog", None))
        wanted += [(name or key, key) for key, name, _url in self.blogs]
        current = self.fields.blog
        if current and current not in [key for _n, key in wanted]:
            wanted.append((f"{current} (not connected)", current))
        have = [
            (self.blog_combo.itemText(i), self.blog_combo.itemData(i))
            for i in range(self.blog_combo.count())
        ]
        self.blog_combo.blockSignals(True)
        if have != wanted:
            self.blog_combo.clear()
            for text, key in wanted:
                self.blog_combo.addItem(text, key)
        self.blog_combo.setCurrentIndex(max(0, self.blog_combo.findData(current)) if current else 0)
        self.blog_combo.blockSignals(False)

    def _show_scheduled(self, fields: PostFields) -> None:
        when = fields.scheduled
        self.schedule_box.setChecked(when is not None)
        self.when_edit.setEnabled(when is not None)
        self.when_edit.blockSignals(True)
        local = (when or tomorrow_morning()).astimezone()
        self.when_edit.setDateTime(QDateTime(local.date(), local.time().replace(microsecond=0)))
        self.when_edit.blockSignals(False)
        zone = zone_name(local)
        if fields.scheduled_text:
            self.zone_label.setText(f"“{fields.scheduled_text}” is not a date and time")
        else:
            self.zone_label.setText(zone)
        self.when_edit.setToolTip(f"Written as {when.isoformat()}" if when else "")

    def _show_links(self, published: tuple[tuple[str, str], ...]) -> None:
        if [b.property("url") for b in self.link_buttons] == [url for _k, url in published]:
            return
        for button in self.link_buttons:
            self.links.removeWidget(button)
            button.deleteLater()
        self.link_buttons = []
        for key, url in published:
            name = next((n for k, n, _u in self.blogs if k == key), key)
            button = QPushButton(url, self.links_box)
            button.setObjectName("publishedLink")
            button.setProperty("url", url)
            button.setStyleSheet(LINK_STYLE)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # a long address is cut at the column's edge instead of widening the column
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"Open the post on {name} in the browser: {url}")
            button.setToolTip(f"{name}: open {url} in the browser")
            button.clicked.connect(lambda _=False, link=url: open_address(link))
            self.links.addWidget(button)
            self.link_buttons.append(button)
        self.no_links.setVisible(not published)

    def _order_tabs(self) -> None:
        chain: list[QWidget] = [
            self.toggle_button,
            self.yaml_button,
            self.title_edit,
            *self.chip_buttons,
            self.label_edit,
            self.blog_combo,
            self.schedule_box,
            self.when_edit,
            self.description_edit,
            *self.link_buttons,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ the form → the YAML
    def write(self, key: str, value: object) -> bool:
        """Set one front matter key in the editor's text (one undo step); False when the
        front matter cannot be changed (no draft, read-only, malformed)."""
        if self.main.doc is None or self.editor.isReadOnly():
            return False
        head = self.front_matter_text()
        try:
            new_head = with_field(head, key, value)
        except FrontMatterError:
            self._seen = None
            self.follow_text()  # shows the warning; nothing is rewritten
            return False
        if new_head == head:
            return True
        start, end_old, end_new = changed_span(head, new_head)
        top = self.editor.firstVisibleBlock().blockNumber()
        fence_block = head.count("\n")  # the first block below the front matter
        blocks_before = self.editor.document().blockCount()
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(to_utf16(head, start))
        cursor.setPosition(to_utf16(head, end_old), QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        self.editor.insert_text(cursor, new_head[start:end_new])
        cursor.endEditBlock()
        if top >= fence_block:  # the writer is looking at the body: it stays where it was
            self._scroll_to_block(top + self.editor.document().blockCount() - blocks_before)
        self.follow_timer.stop()
        self.follow_text()
        return True

    def _scroll_to_block(self, number: int) -> None:
        bar = self.editor.verticalScrollBar()
        for _ in range(MAX_FRONT_MATTER_LINES):
            top = self.editor.firstVisibleBlock().blockNumber()
            if top == number:
                return
            step = 1 if top < number else -1
            before = bar.value()
            bar.setValue(before + step)
            if bar.value() == before:
                return

    def _typing(self, key: str) -> None:
        self._typed.add(key)
        self._typed_in = self.main.doc  # the same object when its file is renamed
        self.commit_timer.start()

    def commit_typed(self) -> None:
        """Write the fields typed in since the last write (an empty title waits for the
        writer to leave the field, so retyping a title does not move its line)."""
        self.commit_timer.stop()
        if self.main.doc is None or self.main.doc is not self._typed_in:
            self._typed.clear()  # typed for a draft no longer open: never into another one
            return
        leaving = not (self.title_edit.hasFocus() or self.description_edit.hasFocus())
        for key in sorted(self._typed):
            if key == TITLE:
                value: object = self.title_edit.text().strip()
            elif key == DESCRIPTION:
                value = " ".join(self.description_edit.text().split())
            elif key == SCHEDULED:
                value = self._scheduled_value()
            else:
                continue
            if value == "" and not leaving and key in (TITLE, DESCRIPTION):
                continue
            self._typed.discard(key)
            self.write(key, value)

    def _scheduled_value(self) -> dt.datetime | None:
        if not self.schedule_box.isChecked():
            return None
        naive = self.when_edit.dateTime().toPython()
        return naive.astimezone() if isinstance(naive, dt.datetime) else None

    def _schedule_clicked(self, on: bool) -> None:
        self.when_edit.setEnabled(on)
        self._typed.discard(SCHEDULED)
        self.write(SCHEDULED, self._scheduled_value())
        if on:
            self.when_edit.setFocus()

    def _blog_chosen(self, index: int) -> None:
        self.write(BLOG, self.blog_combo.itemData(index))

    def add_labels(self, new: list[str]) -> None:
        """Add labels to the post (one the post has already, in any spelling, is skipped)."""
        labels = list(self.fields.labels)
        keys = {label_key(label) for label in labels}
        for label in new:
            if label_key(label) not in keys:
                keys.add(label_key(label))
                labels.append(label)
        if labels != list(self.fields.labels):
            self.write(LABELS, labels)

    def remove_label(self, label: str) -> None:
        """Take one label off the post."""
        index = (
            max(0, self.label_chips.labels().index(label))
            if label in self.label_chips.labels()
            else 0
        )
        self.write(LABELS, [other for other in self.fields.labels if other != label])
        self.label_chips.focus_after_removing(index)

    # ------------------------------------------------------------------ known labels, blogs
    def _offer_labels(self, *_args: object) -> None:
        """Offer the known labels (read off the GUI thread by the label completer)."""
        self.label_chips.offer(self.main.desk.labels.known, self.fields.labels)

    def _on_blogs(self, *_known: object) -> None:
        # what the Preview Look reads from accounts.json (it may have read it before the
        # panel was built: the draft's next change or load asks again)
        known = self.main.looks.known
        self.blogs = tuple(known.blogs)
        self.default_key = known.default_key
        self._fill_blogs()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API name)
        """The label field asks for fresh known labels when the writer enters it."""
        if watched is self.label_edit and event.type() == QEvent.Type.FocusIn:
            self.main.desk.labels.refresh()  # read on the completer's thread
        return False

    # ------------------------------------------------------------------ YAML, theme
    def edit_as_yaml(self) -> None:
        """Put the cursor on the first line inside the front matter (the raw YAML)."""
        block = self.editor.document().firstBlock()
        if self.front_matter_text() and block.next().isValid():
            block = block.next()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self.editor.setFocus()

    def _count_description(self) -> None:
        count = len(self.description_edit.text())
        self.description_count.setText(f"{count} / {DESCRIPTION_ADVICE}")
        self.description_count.setToolTip(
            f"{count} characters; search results show about {DESCRIPTION_ADVICE}"
        )

    def _is_dark(self) -> bool:
        return is_dark_palette(self.palette())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API name)
        """The chips follow a change of theme."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._is_dark() != self._dark:
            self._dark = self._is_dark()
            self.label_chips.set_dark(self._dark)


def open_address(url: str) -> None:
    """Open a published post in the writer's browser."""
    QDesktopServices.openUrl(QUrl(url))
