"""The slot grid: slots cut around breaks, numbered across days; impossible settings refused in French."""

from datetime import date, time, timedelta

from marketplace.events.slots import MAX_SLOTS, latest_day, moved_slots, parse_breaks, settings_errors, slot_grid

MONDAY = date(2027, 3, 1)


def test_slots_skip_the_break_and_continue_after_it():
    grid = slot_grid(MONDAY, MONDAY, time(9), time(12), 20, parse_breaks([["10:30", "11:00"]]))
    assert [(s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in grid] == [
        ("09:00", "09:20"), ("09:20", "09:40"), ("09:40", "10:00"), ("10:00", "10:20"),
        ("11:00", "11:20"), ("11:20", "11:40"), ("11:40", "12:00"),
    ]
    assert [s.index for s in grid] == list(range(7))


def test_slots_are_numbered_across_days_and_a_partial_last_slot_is_dropped():
    grid = slot_grid(MONDAY, date(2027, 3, 2), time(9), time(10, 10), 20)
    assert [(s.index, s.day.day, s.start.strftime("%H:%M")) for s in grid] == [
        (0, 1, "09:00"), (1, 1, "09:20"), (2, 1, "09:40"), (3, 2, "09:00"), (4, 2, "09:20"), (5, 2, "09:40"),
    ]
    assert grid[3].label == "02/03/2027 09:00-09:20"


def test_breaks_are_sorted_and_read_from_storage():
    breaks = parse_breaks([["16:00", "16:15"], ["12:30", "14:00"]])
    assert breaks == [(time(12, 30), time(14)), (time(16), time(16, 15))]
    assert parse_breaks(None) == []


def test_possible_settings_have_no_error():
    assert settings_errors(MONDAY, MONDAY, time(9), time(17), 20, [(time(12, 30), time(14))], 10) == {}


def test_each_impossible_setting_is_named_on_its_field():
    errors = settings_errors(date(2027, 3, 2), MONDAY, time(9), time(8), 0, [], 0)
    assert set(errors) == {"last_day", "day_end", "slot_minutes", "tables"}
    assert "après" in errors["day_end"]


def test_a_break_outside_the_day_or_reversed_is_refused():
    assert "sort de la journée" in settings_errors(MONDAY, MONDAY, time(9), time(17), 20,
                                                   [(time(7), time(8))], 3)["breaks"]
    assert "finit avant" in settings_errors(MONDAY, MONDAY, time(9), time(17), 20,
                                            [(time(14), time(13))], 3)["breaks"]


def test_no_slot_at_all_is_refused():
    # The only hour of the day is a break.
    errors = settings_errors(MONDAY, MONDAY, time(9), time(10), 20, [(time(9), time(10))], 3)
    assert "aucun créneau" in errors["slot_minutes"]


def test_too_many_slots_or_days_are_refused():
    assert "au plus" in settings_errors(MONDAY, date(2027, 3, 14), time(0), time(23, 59), 5, [], 3)["slot_minutes"]
    assert "14 jours" in settings_errors(MONDAY, date(2027, 4, 1), time(9), time(10), 20, [], 3)["last_day"]
    assert len(slot_grid(MONDAY, date(2027, 3, 14), time(0), time(23, 59), 5)) <= MAX_SLOTS + 1


def test_far_dates_never_overflow_the_grid():
    assert len(slot_grid(date(9999, 12, 30), date.max, time(23), time(23, 59), 20)) == 4
    huge = slot_grid(date.min, date.max, time(9), time(12), 20)  # stops just past MAX_SLOTS, quickly
    assert len(huge) == MAX_SLOTS + 1
    assert slot_grid(date.min, date.max, time(9), time(9, 10), 20) == []


def test_dates_outside_a_sane_range_are_refused_per_field():
    errors = settings_errors(date(2027, 1, 1), date(9999, 12, 31), time(9), time(12), 20, [], 3)
    assert set(errors) == {"last_day"}
    assert errors["last_day"].startswith("Indiquez une date entre le 01/01/2000 et le ")
    assert set(settings_errors(date(1999, 12, 31), date(2000, 1, 1), time(9), time(12), 20, [], 3)) == {"first_day"}
    assert settings_errors(date(2000, 1, 1), date(2000, 1, 1), time(9), time(12), 20, [], 3) == {}


def test_the_latest_day_is_ten_years_ahead():
    assert latest_day(date(2026, 11, 30)) == date(2036, 11, 30)
    assert latest_day(date(2028, 2, 29)) == date(2038, 2, 28)
    assert settings_errors(date(2027, 1, 1), latest_day() + timedelta(days=1), time(9), time(12), 20, [], 3)


def test_moved_slots_keep_what_overlaps_on_the_same_day():
    old = slot_grid(MONDAY, date(2027, 3, 2), time(9), time(12), 20, parse_breaks([["10:20", "10:40"]]))
    new = slot_grid(MONDAY, MONDAY, time(9), time(12), 30, parse_breaks([["10:20", "10:40"]]))
    # new: 0 09:00-09:30, 1 09:30-10:00, 2 10:40-11:10, 3 11:10-11:40
    mapping = moved_slots(old, new)
    assert mapping[0] == [0]  # 09:00-09:20
    assert mapping[1] == [0, 1]  # 09:20-09:40
    assert mapping[3] == []  # 10:00-10:20: no new slot then
    assert mapping[4] == [2]  # 10:40-11:00
    assert mapping[6] == [3]  # 11:20-11:40
    assert mapping[7] == []  # 11:40-12:00: the new slots stop at 11:40 (touching is not overlapping)
    assert all(mapping[slot.index] == [] for slot in old if slot.day != MONDAY)  # the second day is gone
