"""Item analysis: the figures on a small, known set of attempts, and the page with its chart."""
import pytest

from app.accounts.models import Role
from app.exams import services, stats
from tests.conftest import login
from tests.exams.test_attempt_services import right_answer


def sit(exam, person, right_slots):
    attempt = services.start_or_resume(exam, person)
    for slot in attempt.slots:
        if slot.version.question.slug in right_slots:
            services.save_answer(attempt, slot.slot, right_answer(slot))
        elif slot.version.type == "single":
            wrong = next(i for i, o in enumerate(slot.version.definition["options"]) if not o["correct"])
            services.save_answer(attempt, slot.slot, {"choice": slot.option_order.index(wrong)})
    return services.submit(attempt)


@pytest.fixture
def sat(db, exams, org, make_person):
    people = [make_person(org["BJ-S01-001"]) for _ in range(5)]
    plans = [{"t-single", "t-multiple", "t-truefalse", "t-fill"}, {"t-multiple", "t-truefalse", "t-fill"},
             {"t-truefalse", "t-fill"}, {"t-truefalse"}, {"t-single", "t-truefalse"}]
    for person, right in zip(people, plans):
        sit(exams["auto"], person, right)
    db.session.commit()
    return exams["auto"]


def test_report_figures(db, sat, org, make_person):
    trainer = make_person(org["BJ"], roles=[(Role.trainer, org["BJ"])])
    report = stats.exam_report(sat, trainer)
    assert report.attempts == 5
    assert report.mean == pytest.approx((5 + 4 + 2 + 1 + 2) / 5) and report.median == 2
    assert report.pass_rate == pytest.approx(2 / 5)
    assert sum(report.bins) == 5 and report.bins[9] == 1
    items = {i.slug: i for i in report.items}
    assert items["t-truefalse"].facility == 1.0 and "过易：超过 95% 的人得分" in items["t-truefalse"].flags
    assert items["t-single"].facility == pytest.approx(0.4)
    assert items["t-fill"].discrimination == pytest.approx(1.0)  # top group right, bottom group wrong
    options = items["t-single"].options
    assert [n for _t, _r, n in options] == [2, 3, 0, 0]
    assert "有干扰项被选择的次数多于正确答案" in items["t-single"].flags


def test_scope_limits_the_statistics(db, sat, org, make_person):
    outsider = make_person(org["TJ"], roles=[(Role.trainer, org["TJ"])])
    assert stats.exam_report(sat, outsider).attempts == 0


def test_statistics_page_draws_the_histogram(client, db, sat, org, make_person):
    make_person(org["HO"], roles=[(Role.trainer, org["HO"])], username="boss")
    login(client, "boss")
    page = client.get("/exams/manage/t-auto/stats")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and html.count("<rect") == 10
    assert client.get("/exams/manage").status_code == 200


def test_trainee_cannot_read_statistics(client, db, sat, trainee):
    login(client, "trainee")
    assert client.get("/exams/manage/t-auto/stats").status_code == 403
    assert client.get("/questions/").status_code == 403
