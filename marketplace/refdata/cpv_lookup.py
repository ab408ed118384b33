"""CPV autocomplete and suggestions for the forms, behind one small adapter.

The matching engine's ``matching.cpv.CpvIndex`` (autocomplete) and ``CpvSuggester`` (codes from free text)
are used when importable; otherwise a compact rapidfuzz index over accent-folded labels takes over. Both are
built once per process from the CPV table (or the 45 built-in divisions) and rebuilt when the table changes.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from ..extensions import db
from ..validators import fold
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


class _FallbackIndex:
    """Code prefix match, then rapidfuzz WRatio over folded labels (used when matching.cpv is absent)."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows
        self.folded = [fold(label) for _, label in rows]

    def complete(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        from rapidfuzz import fuzz, process

        digits = query.replace("-", "").replace(" ", "")
        if digits.isascii() and digits.isdigit():
            return [(c, lbl) for c, lbl in self.rows if c.startswith(digits[:8])][:k]
        hits = process.extract(fold(query), self.folded, scorer=fuzz.WRatio, limit=k, score_cutoff=60)
        return [self.rows[i] for _, _, i in hits]


class _FallbackSuggester:
    def __init__(self, index: _FallbackIndex) -> None:
        self.index = index

    def suggest(self, text: str, k: int = 5):
        from rapidfuzz import fuzz, process

        hits = process.extract(fold(text), self.index.folded, scorer=fuzz.token_set_ratio, limit=k, score_cutoff=50)
        return [(self.index.rows[i][0], self.index.rows[i][1], score / 100) for _, score, i in hits]


class CpvLookup:
    """Autocomplete and suggestions over one state of the CPV table."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.full_code = {code[:8]: code for code, _, _ in rows}
        self.level = {code[:8]: level for code, _, level in rows}
        pairs = [(code[:8], label) for code, label, _ in rows]
        try:
            from matching.cpv import CpvIndex
        except ImportError:  # the engine is optional for this feature
            self.index = _FallbackIndex(pairs)
            self.engine = False
        else:
            self.index = CpvIndex.from_rows(pairs)
            self.engine = True
        self._pairs = pairs
        self._suggester = None
        self._suggester_lock = threading.Lock()

    def _result(self, digits: str, label: str, score: float | None = None) -> CpvResult:
        from .parsers import cpv_level

        return CpvResult(self.full_code.get(digits, digits), label, self.level.get(digits, cpv_level(digits)), score)

    def complete(self, query: str, limit: int = 10) -> list[CpvResult]:
        query = clean_text(query, MAX_QUERY_CHARS)
        if not query:
            return []
        return [self._result(code, label) for code, label in self.index.complete(query, k=limit)]

    def suggester(self):
        with self._suggester_lock:
            if self._suggester is None:
                try:
                    from matching.cpv import CpvSuggester
                except ImportError:
                    self._suggester = _FallbackSuggester(_FallbackIndex(self._pairs))
                else:
                    self._suggester = CpvSuggester().fit(self._pairs)
        return self._suggester

    def suggest(self, text: str, limit: int = 5) -> list[CpvResult]:
        text = clean_text(text, MAX_TEXT_CHARS)
        if not text:
            return []
        results = []
        for item in self.suggester().suggest(text, k=limit):
            code, label, score = (item.code, item.label, item.score) if hasattr(item, "code") else item
            results.append(self._result(code, label, max(0.0, min(1.0, float(score)))))
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
