"""`flask certs remind`: who is reminded, what the message says, nothing sent without SMTP settings, and
real delivery to a local SMTP server when they are set."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from app.certification import reminders, services
from app.core import clock
from app.extensions import db
from tests.certification.conftest import T0, exam_passed, only, plan_done
from tests.certification.smtp_sink import SmtpSink


@pytest.fixture
def expiring(db, people, outlet_head_type, transfer_type):
    """BJ's outlet head: expires in 40 days; TJ's: in 200 days; BJ's cs manager: never (transfer)."""
    clock.freeze(T0)
    bj = services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed(1)))
    clock.freeze(T0 + timedelta(days=160))
    services.evaluate(people["tj_outlet_head"], outlet_head_type, only(exam_passed(2)))
    services.evaluate(people["bj_cs"], transfer_type, only(plan_done(3)))
    db.session.commit()
    clock.freeze(bj.valid_until - timedelta(days=40))
    return bj


@pytest.fixture
def no_smtp(monkeypatch):
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "MAIL_DOMAIN"):
        monkeypatch.delenv(name, raising=False)


def test_reminders_list_the_expiring_certificate_with_the_heads_over_its_holder(expiring, people):
    items = reminders.reminders(60)
    assert [item.certificate.serial for item in items] == [expiring.serial]
    assert [head.username for head in items[0].heads] == ["bjhead"]
    assert reminders.reminders(30) == []


def test_the_message_names_holder_certificate_date_and_where_to_renew(expiring, people):
    item = reminders.reminders(60)[0]
    due = expiring.valid_until.date().isoformat()
    with force_locale("en"):
        mail = reminders.message(item, people["bj_outlet_head"], "leadgoose@bank.example")
    assert mail["Subject"] == f"Certificate expires on {due}: Outlet-head certificate"
    body = mail.get_content()
    assert "王小明" in body and expiring.serial in body and due in body and item.renew_url in body
    with force_locale("zh_Hans"):
        chinese = reminders.message(item, people["bj_outlet_head"], "leadgoose@bank.example")
    assert due in chinese["Subject"] and "网点负责人资格证书" in chinese["Subject"]
    assert "Certificate" not in chinese["Subject"]


def test_without_smtp_the_command_lists_and_sends_nothing(expiring, runner, no_smtp):
    with SmtpSink() as sink:
        result = runner.invoke(args=["certs", "remind", "--days", "60"], env={"FLASK_APP": "wsgi"})
    assert result.exit_code == 0, result.output
    assert expiring.serial in result.output and "王小明" in result.output
    assert "SMTP_HOST" in result.output
    assert sink.received == []


def test_with_smtp_the_holder_and_the_head_each_get_one_mail(expiring, runner, no_smtp, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(sink.port))
        monkeypatch.setenv("SMTP_FROM", "leadgoose@bank.example")
        monkeypatch.setenv("MAIL_DOMAIN", "bank.example")
        result = runner.invoke(args=["certs", "remind", "--days", "60"])
    assert result.exit_code == 0, result.output
    recipients = sorted(r for _sender, rcpts, _mail in sink.received for r in rcpts)
    assert recipients == ["bjhead@bank.example", "bjoh@bank.example"]
    assert {sender for sender, _r, _m in sink.received} == {"leadgoose@bank.example"}
    assert all(expiring.serial in mail.get_content() for _s, _r, mail in sink.received)


def test_a_window_with_nothing_due_sends_nothing(expiring, runner, no_smtp, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(sink.port))
        monkeypatch.setenv("MAIL_DOMAIN", "bank.example")
        result = runner.invoke(args=["certs", "remind", "--days", "30"])
    assert result.exit_code == 0 and sink.received == []


def test_bad_window_is_refused_with_the_option_named(runner, db):
    result = runner.invoke(args=["certs", "remind", "--days", "0"])
    assert result.exit_code != 0 and "--days" in result.output
