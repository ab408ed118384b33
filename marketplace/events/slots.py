"""The slot grid of an event: each day's meeting slots, numbered across the whole event.

Slot ``i`` is what the scheduler (``matching.schedule``), the meetings (``EventMeeting.slot``) and the
participants' unavailabilities (``EventParticipant.unavailable_slots``) mean by a slot. Each day runs from
``day_start``; a slot that would overlap a break starts at the break's end instead; the last slot ends by
``day_end``. Pure: plain dates and times in, plain records out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

MAX_DAYS = 14  # a diversity week, with room; more is a typing error
EARLIEST_DAY = date(2000, 1, 1)  # before, or more than MAX_YEARS_AHEAD ahead, a date is a typing error
MAX_YEARS_AHEAD = 10
MAX_SLOTS = 400  # the scheduler's comfortable size (16 slots a day over a fortnight is 224)
MAX_TABLES = 500


@dataclass(frozen=True)
class Slot:
    index: int
    day: date
    start: time
    end: time

    @property
    def label(self) -> str:
        """"12/03/2027 09:00-09:20" (French dates, 24-hour times)."""
        return f"{self.day:%d/%m/%Y} {self.start:%H:%M}-{self.end:%H:%M}"


def parse_breaks(value: Sequence[Sequence[str]] | None) -> list[tuple[time, time]]:
    """``[["12:30", "14:00"], ...]`` (as stored in ``Event.breaks``) as sorted ``(start, end)`` times."""
    out = []
    for start, end in value or ():
        out.append((time.fromisoformat(start), time.fromisoformat(end)))
    return sorted(out)


def settings_errors(first_day: date | None, last_day: date | None, day_start: time | None, day_end: time | None,
                    slot_minutes: int | None, breaks: Sequence[tuple[time, time]], tables: int | None
                    ) -> dict[str, str]:
    """Why these settings cannot make a schedule, per field (French); {} when they can."""
    errors: dict[str, str] = {}
    latest = latest_day()
    for name, day in (("first_day", first_day), ("last_day", last_day)):
        if day and not EARLIEST_DAY <= day <= latest:
            errors[name] = (f"Indiquez une date entre le {EARLIEST_DAY:%d/%m/%Y} et le {latest:%d/%m/%Y} "
                            f"({MAX_YEARS_AHEAD} ans au plus à l'avance).")
    if first_day and last_day and not errors:
        if last_day < first_day:
            errors["last_day"] = "Le dernier jour doit être le même jour que le premier ou après."
        elif (last_day - first_day).days + 1 > MAX_DAYS:
            errors["last_day"] = f"Un événement dure au plus {MAX_DAYS} jours."
    if day_start and day_end and day_end <= day_start:
        errors["day_end"] = "L'heure de fin doit être après l'heure de début."
    if slot_minutes is not None and not 5 <= slot_minutes <= 240:
        errors["slot_minutes"] = "Un créneau dure entre 5 et 240 minutes."
    if tables is not None and not 1 <= tables <= MAX_TABLES:
        errors["tables"] = f"Indiquez entre 1 et {MAX_TABLES} tables."
    if day_start and day_end and "day_end" not in errors:
        for start, end in breaks:
            if end <= start:
                errors["breaks"] = f"La pause {start:%H:%M}-{end:%H:%M} finit avant de commencer."
            elif start < day_start or end > day_end:
                errors["breaks"] = (f"La pause {start:%H:%M}-{end:%H:%M} sort de la journée "
                                    f"({day_start:%H:%M}-{day_end:%H:%M}).")
            if "breaks" in errors:
                break
    if not errors and None not in (first_day, last_day, day_start, day_end, slot_minutes):
        count = len(slot_grid(first_day, last_day, day_start, day_end, slot_minutes, breaks))
        if count == 0:
            errors["slot_minutes"] = "Avec ces horaires, ces pauses et cette durée, il n'y a aucun créneau."
        elif count > MAX_SLOTS:
            errors["slot_minutes"] = (f"Ces réglages font {count} créneaux ; au plus {MAX_SLOTS} : allongez les "
                                      "créneaux ou raccourcissez l'événement.")
    return errors


def latest_day(today: date | None = None) -> date:
    """The last date an event may use: ``MAX_YEARS_AHEAD`` years from today (a 29 February gives the 28th)."""
    today = today or date.today()
    return date(today.year + MAX_YEARS_AHEAD, today.month, min(today.day, 28) if today.month == 2 else today.day)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _day_times(day_start: time, day_end: time, slot_minutes: int, breaks: Sequence[tuple[time, time]]
               ) -> list[tuple[time, time]]:
    """One day's slots as (start, end), in minutes of the day so nothing overflows."""
    pauses = sorted((_minutes(s), _minutes(e)) for s, e in breaks)
    at, end_of_day = _minutes(day_start), _minutes(day_end)
    out: list[tuple[time, time]] = []
    while at + slot_minutes <= end_of_day and len(out) <= MAX_SLOTS:
        clash = next((e for s, e in pauses if at < e and s < at + slot_minutes), None)
        if clash is not None:
            at = clash
            continue
        end = at + slot_minutes
        out.append((time(at // 60, at % 60), time(end // 60, end % 60)))
        at = end
    return out


def slot_grid(first_day: date, last_day: date, day_start: time, day_end: time, slot_minutes: int,
              breaks: Sequence[tuple[time, time]] = ()) -> list[Slot]:
    """Every slot of the event in time order (``breaks`` as from :func:`parse_breaks`). Never an OverflowError,
    whatever the dates (even ``date.max``); at most ``MAX_SLOTS + 1`` slots (enough to refuse the settings)."""
    if slot_minutes <= 0 or last_day < first_day:
        return []
    times = _day_times(day_start, day_end, slot_minutes, breaks)
    slots: list[Slot] = []
    offset, days = 0, (last_day - first_day).days + 1
    while times and offset < days and len(slots) <= MAX_SLOTS:
        day = first_day + timedelta(days=offset)
        first = len(slots)
        slots.extend([Slot(first + i, day, start, end) for i, (start, end) in enumerate(times)])
        offset += 1
    return slots[:MAX_SLOTS + 1]


def moved_slots(old_slots: Sequence[Slot], new_slots: Sequence[Slot]) -> dict[int, list[int]]:
    """{old slot index: the new slots of the same day that overlap it in time}: where an unavailability goes
    when the grid changes."""
    by_day: dict[date, list[Slot]] = {}
    for slot in new_slots:
        by_day.setdefault(slot.day, []).append(slot)
    return {old.index: [new.index for new in by_day.get(old.day, ()) if new.start < old.end and old.start < new.end]
            for old in old_slots}


def event_slots(event) -> list[Slot]:
    """The slot grid of an ``Event`` row."""
    return slot_grid(event.first_day, event.last_day, event.day_start, event.day_end, event.slot_minutes,
                     parse_breaks(event.breaks))
