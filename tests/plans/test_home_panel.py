"""The head's home-page panel: evidence awaiting verification links to where it is verified."""
import io
from datetime import date

from app.extensions import db
from app.plans import services
from tests.conftest import csrf_token
from tests.plans.test_services import PDF
from tests.plans.test_views import as_user, setup  # noqa: F401  (the fixture)


def _upload(client, enrolment, number):
    path = f"/plans/enrolments/{enrolment.id}"
    response = client.post(path + "/evidence", data={
        "csrf_token": csrf_token(client, path), "kind": "insurance_agent", "certificate_no": number,
        "certified_on": "2026-03-01", "file": (io.BytesIO(PDF), "c.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302


def test_evidence_awaiting_verification_is_a_link_to_it(client, setup):  # noqa: F811
    template = services.template_by_slug("transfer-to-account-manager")
    first = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(template, date(2026, 3, 2)))
    second = services.enrol(setup["head"], setup["teller2"], services.EnrolmentRequest(template, date(2026, 3, 2)))
    db.session.commit()
    _upload(as_user(client, "teller"), first, "BX-1")
    assessor = as_user(client, "assessor")
    home = assessor.get("/").get_data(as_text=True)
    assert f'<a href="/plans/enrolments/{first.id}#evidence">有 1 份证明材料等待核验。</a>' in home
    _upload(as_user(client, "teller2"), second, "BX-2")
    home = assessor.get("/").get_data(as_text=True)
    assert '<a href="/plans/enrolments#pending-evidence">有 2 份证明材料等待核验。</a>' in home
    assert 'id="pending-evidence"' in assessor.get("/plans/enrolments").get_data(as_text=True)
