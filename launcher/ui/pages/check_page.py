"""Step 2: one row per connection check, turning green or red as each finishes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidgetItem, QPushButton

from launcher.ui.pages.base import ListBox, Page, name_widget, scroll_within

if TYPE_CHECKING:
    from launcher.core.connectivity import CheckItem, ProbeResult

PENDING, OK, FAILED = "…", "✓", "✗"


class CheckPage(Page):
    cancelRequested = Signal()

    def __init__(self, language: str) -> None:
        super().__init__(self.tr("Sprawdzanie połączenia z internetem"))
        self.language = language
        info = QLabel(self.tr("Sprawdzamy, czy komputer może połączyć się z serwerami. To potrwa kilka sekund."))
        info.setWordWrap(True)
        self.layout_.addWidget(info)
        self.list = name_widget(ListBox(), "checkList", self.tr("Lista sprawdzeń połączenia"))
        self.layout_.addWidget(scroll_within(self.list, 4), 1)
        self._items: dict[str, QListWidgetItem] = {}
        self._labels: dict[str, str] = {}
        # a server that holds a probe may take several times the check's timeout: the customer is never left
        # without a way out but closing the window (as on the download page, Enter does not press it)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = name_widget(QPushButton(self.tr("Anuluj")), "cancelCheckButton",
                                         self.tr("Anuluj sprawdzanie połączenia"))
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.cancel_button)
        self.pin_below(row)

    def reset(self, checks: list[CheckItem]) -> None:
        self.cancel_button.setEnabled(True)
        self.list.clear()
        self._items.clear()
        for check in checks:
            label = check.label_en if self.language == "en" else check.label_pl
            self._labels[check.key] = label
            item = QListWidgetItem(f"{PENDING}  {label}")
            item.setData(0x0100, "pending")  # Qt.UserRole: the row's state, for tests and screen readers
            self.list.addItem(item)
            self._items[check.key] = item

    @Slot(object)
    def show_result(self, result: ProbeResult) -> None:
        item = self._items.get(result.key)
        if item is None:
            return
        label = self._labels[result.key]
        if result.ok:
            item.setText(f"{OK}  {label}")
            item.setForeground(QBrush(QColor("#1e7e34")))
            item.setData(0x0100, "ok")
        else:
            item.setText(f"{FAILED}  {label}  ({result.code})")
            item.setForeground(QBrush(QColor("#b00020")))
            item.setData(0x0100, "failed")

    def row_states(self) -> dict[str, str]:
        return {key: item.data(0x0100) for key, item in self._items.items()}

    @Slot()
    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancelRequested.emit()
