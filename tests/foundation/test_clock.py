"""Dates are the bank's calendar dates (Asia/Shanghai by default), whatever the server's UTC time."""
from datetime import date, datetime, timezone

from app.core import clock


def test_after_16_00_utc_it_is_already_tomorrow_at_the_bank(app):
    clock.freeze(datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc))  # 01:30 on the 29th in Beijing
    with app.app_context():
        assert clock.today() == date(2026, 11, 29)
        assert clock.local_date(datetime(2026, 11, 30, 15, 59)) == date(2026, 11, 30)  # naive means UTC
        assert clock.local_date(datetime(2026, 11, 30, 16, 0)) == date(2026, 12, 1)


def test_a_bank_day_starts_at_local_midnight(app):
    with app.app_context():
        assert clock.day_start(date(2026, 12, 1)) == datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)


def test_the_time_zone_is_configurable(app, monkeypatch):
    clock.freeze(datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc))
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "UTC")
    with app.app_context():
        assert clock.today() == date(2026, 11, 28)


def test_the_work_log_form_defaults_to_the_banks_today(client, org, make_person):
    from tests.conftest import login

    make_person(org["BJ-S01-001"], position="wealth_manager", username="am")
    login(client, "am")
    clock.freeze(datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc))
    assert 'value="2026-11-29"' in client.get("/scorecard/log").get_data(as_text=True)
