"""What a crawl shows on a terminal: a live table, one row per source (new / updated /
unchanged / errors / status). Off a terminal the crawler's plain log lines say the same."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.live import Live
from rich.table import Table

from aqparat.crawl.run import LogProgress, SourceReport

COLUMNS = ("source", "pages", "new", "updated", "unchanged", "errors", "status")


class RichProgress:
    def __init__(self, console: Console) -> None:
        self.rows: dict[str, list[str]] = {}
        self.pages: Counter[str] = Counter()
        self.live = Live(self._table(), console=console, refresh_per_second=4, transient=False)
        self.log = LogProgress()  # errors still go to the log; the table shows counts

    def __enter__(self) -> RichProgress:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def page(self, key: str, lang: str, page: int, counts: Counter[str]) -> None:
        self.pages[key] += 1
        row = self.rows.setdefault(key, [key, "0", "0", "0", "0", "0", "…"])
        row[1] = str(self.pages[key])
        for n, name in enumerate(("new", "updated", "unchanged", "errors"), 2):
            row[n] = str(int(row[n]) + counts[name])
        self.live.update(self._table())

    def source_done(self, report: SourceReport) -> None:
        row = self.rows.setdefault(report.key, [report.key, "0", "0", "0", "0", "0", ""])
        style = {"ok": "green", "error": "red", "suspended": "yellow"}.get(report.status, "")
        row[6] = f"[{style}]{report.status}[/{style}]" if style else report.status
        self.live.update(self._table())

    def _table(self) -> Table:
        table = Table(title="crawl")
        for col in COLUMNS:
            table.add_column(col, justify="left" if col in {"source", "status"} else "right")
        for row in self.rows.values():
            table.add_row(*row)
        return table
