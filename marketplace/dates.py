"""Dates as French readers expect them, one wording everywhere (screens, files, printed sheets, e-mails)."""

from datetime import date


def day_label(day: date | None) -> str:
    """"12/03/2027" ("" without a day: a meeting whose slot left the grid)."""
    return f"{day:%d/%m/%Y}" if day else ""


def date_range_label(first: date, last: date | None = None) -> str:
    """"le 12/03/2027" for one day, "du 12/03/2027 au 13/03/2027" for several."""
    if last is None or last == first:
        return f"le {day_label(first)}"
    return f"du {day_label(first)} au {day_label(last)}"


_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")


def long_day_label(day: date) -> str:
    """"jeudi 12 mars 2027" (whatever the server's locale)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"
