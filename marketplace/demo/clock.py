"""The demo's clock: every demo date counts from the day the demo is seeded, which callers inject.

Dates fixed in the code age badly (a tender "published" in the future, deadlines all passed a year later); dates
read from the clock deep inside the generators would make them impossible to test. So the generators take
``today`` and only ``seed_demo`` falls back on the real date.
"""

from datetime import UTC, date, datetime, time, timedelta


def seeding_day() -> date:
    """Today in UTC, the convention of every stored timestamp."""
    return datetime.now(UTC).date()


def reference_moment(today: date) -> datetime:
    """The moment the demo's timestamps count back from: 9:00 UTC the day before ``today``.

    Nothing is then stamped after the start of the seeding day, whatever the hour it is seeded at.
    """
    return datetime.combine(today - timedelta(days=1), time(9, 0), tzinfo=UTC)
