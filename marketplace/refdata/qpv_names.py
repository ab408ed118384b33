"""From a 2015 QPV to the current one, by name within the same commune.

The only QPV contours available offline are those of the 2015 geography (codes ``QP031007``); the official list
is the 2024 one (codes ``QN03107M``). A 2015 code is never stored as current: a contour hit leads to the
commune's current QPV whose name matches. Pure functions (no database, no application state): the 0007
migration uses them too.

Names are compared folded (case, accents, ligatures, punctuation), without the words every QPV name may carry
(articles, "quartier", "QPV", "ZUS") nor the commune's own name ("Narbonne Est" and "Narbonne Ouest" only share
"Narbonne"), with RapidFuzz's ``token_set_ratio``: 100 when one name's words are all in the other (the 2024
"Breguet Lecrivain - Saint Exupéry" grew from the 2015 "Saint Exupéry"). ``NAME_MATCH_THRESHOLD`` (90) keeps
the near-identical spellings and refuses neighbourhoods that merely share a word: over the 105 Occitanie 2015
contours and their communes' 2024 QPV, every pair at 90 or more is the same neighbourhood (81 identical names,
11 grown or merged ones) and the closest different pair scores 75 ("Narbonne Est" / "Narbonne Ouest" would
without the commune's name removed: 92).
Two candidates tied at the best score are no match: the entrepreneur (or an administrator) chooses.
A match is ``certain`` only when the folded names are identical: the 0007 migration moves those codes and sends
the others back to verification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.text import normalize

# 2015 codes: "QP" + department on three characters (031, 971, 02A) + a three-digit number.
QPV_2015_CODE_RE = re.compile(r"^QP[0-9]{2}[0-9AB][0-9]{3}$")
NAME_MATCH_THRESHOLD = 90
GENERIC_WORDS = frozenset("le la les l de du des d et en a au aux quartier quartiers qpv zus prioritaire".split())


@dataclass(frozen=True)
class NameMatch:
    code: str
    name: str
    score: float
    certain: bool


def is_2015_code(code: str | None) -> bool:
    """Whether ``code`` is a QPV code of the 2015 geography (``QP031007``), not a current one."""
    return bool(QPV_2015_CODE_RE.match((code or "").strip().upper()))


def name_key(name: str, commune_name: str = "") -> str:
    """The words of a QPV name that tell it apart from the commune's other QPV."""
    ignored = GENERIC_WORDS | set(normalize(commune_name).split())
    return " ".join(word for word in normalize(name).split() if word not in ignored)


def match_current_qpv(
    old_name: str, candidates: Iterable[tuple[str, str]], *, commune_name: str = ""
) -> NameMatch | None:
    """The current QPV (code, name) among ``candidates`` whose name matches ``old_name``, or None."""
    key = name_key(old_name, commune_name)
    if not key:
        return None
    scored = []
    for code, name in dict(candidates).items():
        other = name_key(name, commune_name)
        identical = normalize(name) == normalize(old_name)
        score = 100.0 if identical else (fuzz.token_set_ratio(key, other) if other else 0.0)
        scored.append((score, identical, code, name))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    if not scored or scored[0][0] < NAME_MATCH_THRESHOLD:
        return None
    best = scored[0]
    if len(scored) > 1 and scored[1][:2] == best[:2]:
        return None  # two equally good names: not ours to choose
    return NameMatch(code=best[2], name=best[3], score=best[0], certain=best[1])
