"""CPV autocomplete and suggestions for the forms, behind one small adapter.

Autocomplete is the matching engine's ``matching.cpv.CpvIndex`` and suggestions (codes from free text) its
``CpvSuggester``, both built once per process from the CPV table (or the 45 built-in divisions) and rebuilt
when the table changes.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from matching.cpv import CpvIndex, CpvSuggester

from ..extensions import db
from .lookups import cpv_rows, refdata_version

MAX_QUERY_CHARS = 200
MAX_TEXT_CHARS = 5000
MAX_LIMIT = 50


@dataclass(frozen=True)
class CpvResult:
    code: str
    label: str
    level: str
    score: float | None = None

    def as_dict(self) -> dict:
        data = {"code": self.code, "label": self.label, "level": self.level}
        if self.score is not None:
            data["score"] = round(self.score, 3)
        return data


class CpvLookup:
    """Autocomplete and suggestions over one state of the CPV table."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.full_code = {code[:8]: code for code, _, _ in rows}
        self.level = {code[:8]: level for code, _, level in rows}
        pairs = [(code[:8], label) for code, label, _ in rows]
        self.index = CpvIndex.from_rows(pairs)
        self._pairs = pairs
        self._suggester: CpvSuggester | None = None
        self._suggester_lock = threading.Lock()

    def _result(self, digits: str, label: str, score: float | None = None) -> CpvResult:
        from .parsers import cpv_level

        return CpvResult(self.full_code.get(digits, digits), label, self.level.get(digits, cpv_level(digits)), score)

    def complete(self, query: str, limit: int = 10) -> list[CpvResult]:
        query = clean_text(query, MAX_QUERY_CHARS)
        if not query:
            return []
        return [self._result(code, label) for code, label in self.index.complete(query, k=limit)]

    def suggester(self) -> CpvSuggester:
        """Fitted on first use (suggestions are rarer than autocomplete)."""
        with self._suggester_lock:
            if self._suggester is None:
                self._suggester = CpvSuggester().fit(self._pairs)
        return self._suggester

    def suggest(self, text: str, limit: int = 5) -> list[CpvResult]:
        text = clean_text(text, MAX_TEXT_CHARS)
        if not text:
            return []
        results = []
        for item in self.suggester().suggest(text, k=limit):
            results.append(self._result(item.code, item.label, max(0.0, min(1.0, float(item.score)))))
        return results


def clean_text(text: str | None, max_chars: int) -> str:
    """Printable text only, whitespace collapsed, truncated: odd input (emoji, NUL, 10 kB) is harmless."""
    text = (text or "")[: max_chars * 4]
    kept = "".join(ch if ch.isprintable() else " " for ch in text if unicodedata.category(ch) != "So")
    return " ".join(kept.split())[:max_chars]


_cache: dict[str, CpvLookup] = {}
_lock = threading.Lock()


def cpv_lookup() -> CpvLookup:
    """The per-process lookup for the current CPV table (rebuilt when the table is reloaded)."""
    from sqlalchemy import func, select

    from ..models import CpvCode

    count = db.session.scalar(select(func.count()).select_from(CpvCode)) or 0
    key = f"{db.engine.url.render_as_string(hide_password=True)}#{refdata_version('cpv')}#{count}"
    lookup = _cache.get(key)
    if lookup is None:
        with _lock:
            lookup = _cache.get(key)
            if lookup is None:
                lookup = CpvLookup(cpv_rows())
                _cache.clear()
                _cache[key] = lookup
    return lookup


def complete(query: str | None, limit: int = 10) -> list[CpvResult]:
    return cpv_lookup().complete(query or "", max(1, min(limit, MAX_LIMIT)))


def suggest(text: str | None, limit: int = 5) -> list[CpvResult]:
    return cpv_lookup().suggest(text or "", max(1, min(limit, MAX_LIMIT)))
