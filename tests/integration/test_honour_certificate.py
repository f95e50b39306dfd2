"""The honour certificate: an awarded honour (an outlet's or a person's) as a PDF in the certificate's layout,
with a serial verified at /verify/<serial> like any certificate; revoked honours show as revoked."""
from __future__ import annotations

import io
from datetime import datetime

import jwt
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts.models import Role
from app.config import ROOT
from app.core import clock
from app.extensions import db as _db
from app.honours import categories, documents, services
from app.honours.documents import HonourDocument
from app.honours.models import HonourCategory
from tests.conftest import login

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def honours(org, make_person, ctx):
    clock.freeze(datetime(2026, 5, 20, 8))
    categories.install_shipped()
    people = {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head"),
        "admin": make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None)], username="admin"),
        "am": make_person(org["BJ-S01-001"], "wealth_manager", username="am"),
        "coach": make_person(org["BJ-S01-001"], "outlet_head", username="coach", name="欧阳明华"),
        "stranger": make_person(org["TJ-S01-001"], "teller", username="stranger"),
    }
    outlet = services.nominate(people["head"], _category("model_outlet"), "2025", "持证率全行第一。", unit=org["BJ-S01-001"])
    coach = services.nominate(people["head"], _category("excellent_coach"), "2025", "带教五人全部取证。",
                              person=people["coach"])
    clock.freeze(datetime(2026, 6, 2, 8))
    services.approve(people["admin"], outlet)
    services.approve(people["admin"], coach)
    _db.session.commit()
    return {**people, "outlet_honour": outlet, "coach_honour": coach}


def _category(code: str) -> HonourCategory:
    return _db.session.scalars(select(HonourCategory).where(HonourCategory.code == code)).one()


def _pdf(client, nomination):
    return client.get(f"/honours/nominations/{nomination.id}/certificate.pdf")


def _serial_of(nomination) -> str:
    return _db.session.scalars(select(HonourDocument.serial).where(HonourDocument.nomination_id == nomination.id)).one()


def test_outlet_staff_download_the_pdf_in_chinese_with_one_serial(client, honours, org):
    login(client, "am")
    roll = client.get("/honours/").get_data(as_text=True)
    assert f"/honours/nominations/{honours['outlet_honour'].id}/certificate.pdf" in roll
    response = _pdf(client, honours["outlet_honour"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    serial = _serial_of(honours["outlet_honour"])
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = page.extract_text()
    for claim in ("示范网点荣誉证书", org["BJ-S01-001"].name, "北京分行", serial, "2025", "2026年6月2日", "总行个人金融业务部"):
        assert claim in text, claim
    _rasterise(response.data)
    again = _pdf(client, honours["outlet_honour"])
    assert again.status_code == 200 and serial in PdfReader(io.BytesIO(again.data)).pages[0].extract_text()
    assert _db.session.scalar(select(func.count()).select_from(HonourDocument)) == 1


def _rasterise(data: bytes) -> None:
    """Draw the page: the holder band must have ink (glyphs, not empty boxes); keep the PNG to look at."""
    import pypdfium2

    image = pypdfium2.PdfDocument(data)[0].render(scale=1.5).to_pil().convert("L")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "honour-certificate.png")
    width, height = image.size
    band = image.crop((int(width * 0.35), int(height * 0.38), int(width * 0.65), int(height * 0.48)))
    assert sum(1 for value in band.get_flattened_data() if value < 128) > 200


def test_anyone_verifies_every_claim_person_masked_outlet_in_full(app, client, honours, org):
    login(client, "coach")
    assert _pdf(client, honours["coach_honour"]).status_code == 200
    colleague = app.test_client()
    login(colleague, "am")
    assert _pdf(colleague, honours["outlet_honour"]).status_code == 200
    stranger = app.test_client()  # not signed in, the bank's default language
    coach_page = stranger.get(f"/verify/{_serial_of(honours['coach_honour'])}").get_data(as_text=True)
    assert "优异教练" in coach_page and "2025" in coach_page and "欧***" in coach_page and "欧阳明华" not in coach_page
    outlet_page = stranger.get(f"/verify/{_serial_of(honours['outlet_honour']).lower()}")
    assert outlet_page.status_code == 200
    html = outlet_page.get_data(as_text=True)
    assert org["BJ-S01-001"].name in html and "示范网点" in html and "2026" in html


def test_a_revoked_honour_shows_as_revoked_and_has_no_new_pdf(app, client, honours):
    login(client, "am")
    assert _pdf(client, honours["outlet_honour"]).status_code == 200
    serial = _serial_of(honours["outlet_honour"])
    clock.freeze(datetime(2026, 7, 1, 8))
    services.revoke(honours["admin"], honours["outlet_honour"], "材料不实")
    _db.session.commit()
    html = app.test_client().get(f"/verify/{serial}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Revoked" in html and "the honour was revoked" in html and "Jul 1, 2026" in html
    assert _pdf(client, honours["outlet_honour"]).status_code == 409
    assert f"/honours/nominations/{honours['outlet_honour'].id}/certificate.pdf" not in client.get("/honours/").get_data(as_text=True)


def test_people_outside_the_honour_cannot_download(client, honours):
    login(client, "stranger")
    assert _pdf(client, honours["outlet_honour"]).status_code == 403
    assert _pdf(client, honours["coach_honour"]).status_code == 403
    assert _db.session.scalar(select(func.count()).select_from(HonourDocument)) == 0


def test_pending_nomination_has_no_certificate(client, honours, org):
    pending = services.nominate(honours["head"], _category("model_outlet"), "2026", "继续保持。", unit=org["BJ-S01-002"])
    _db.session.commit()
    login(client, "head")
    assert _pdf(client, pending).status_code == 409


def test_the_claims_are_signed_with_the_published_key_and_tampering_fails(client, honours):
    login(client, "coach")
    _pdf(client, honours["coach_honour"])
    doc = documents.find_by_serial(_serial_of(honours["coach_honour"]))
    keys = {key["kid"]: jwt.PyJWK(key).key for key in client.get("/.well-known/jwks.json").get_json()["keys"]}
    claims = jwt.decode(doc.claims_jwt, keys[doc.kid], algorithms=["EdDSA"])
    assert claims["serial"] == doc.serial and claims["term"] == "2025" and claims["honour"]["code"] == "excellent_coach"
    assert claims["holder"] == {"kind": "person", "name": "欧***"}
    header, payload, signature = doc.claims_jwt.split(".")
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(f"{header}.{tampered}.{signature}", keys[doc.kid], algorithms=["EdDSA"])
