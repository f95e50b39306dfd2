"""Requirements and evidence are named by what they are (the exam's, plan's, course's title, the
qualification's name) in the reader's language, never by their identifiers."""
import pytest

from app.certification import services
from app.certification.requirements import title
from app.config import ROOT
from app.core import clock
from app.exams.models import Exam
from app.extensions import db as _db
from app.plans import services as plans
from tests.certification.conftest import T0, exam_passed, only
from tests.conftest import login

EXAM = {"zh": "网点负责人资格认证考试", "en": "Outlet-head certification exam"}


@pytest.fixture
def titled(db, people):
    clock.freeze(T0)
    db.session.add(Exam(slug="outlet-head-certification", title=EXAM["zh"], title_en=EXAM["en"]))
    plans.sync_directory(ROOT / "courses" / "plans")
    db.session.commit()
    return people


def test_titles_come_from_the_owning_domain(titled):
    assert title("exam", "outlet-head-certification", "en") == EXAM["en"]
    assert title("exam", "outlet-head-certification", "zh_Hans") == EXAM["zh"]
    assert title("plan", "transfer-to-account-manager", "en") == "Transfer-to-account-manager training plan"
    assert title("plan", "transfer-to-account-manager", "zh_Hans") == "转岗客户经理培训学习计划"
    assert title("qualification", "insurance_agent", "zh_Hans") == "保险代理人资格"
    assert title("exam", "no-such-exam", "en") == "no-such-exam"


@pytest.mark.parametrize("language, exam", [("en", EXAM["en"]), ("zh", EXAM["zh"])])
def test_a_heads_view_of_a_person_names_the_exam(client, titled, outlet_head_type, language, exam):
    login(client, "bjhead")
    page = client.get(f"/certification/people/{titled['bj_outlet_head'].employee_no}",
                      headers={"Accept-Language": language}).get_data(as_text=True)
    assert exam in page and "outlet-head-certification" not in page


def test_my_certificates_name_the_plan(client, titled, transfer_type):
    login(client, "bjcs")
    page = client.get("/certification/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Complete the learning plan “Transfer-to-account-manager training plan”" in page
    assert "transfer-to-account-manager" not in page


def test_a_certificate_names_its_evidence(client, titled, outlet_head_type):
    cert = services.evaluate(titled["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    _db.session.commit()
    login(client, "bjoh")
    page = client.get(f"/certification/certificates/{cert.serial}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"Exam: {EXAM['en']}" in page and "exam: outlet-head-certification" not in page
