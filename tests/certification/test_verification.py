"""Public verification, the signed Open Badges credential, key rotation, and the PDF."""
import io
import json
from pathlib import Path

import jwt
import pytest
from jwt.algorithms import OKPAlgorithm

from app.certification import services, signing
from app.certification.models import RevocationReason
from app.core import clock
from tests.certification.conftest import T0, exam_passed, only
from tests.conftest import login

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def cert(db, people, outlet_head_type):
    clock.freeze(T0)
    issued = services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    db.session.commit()
    return issued


def test_a_stranger_sees_every_claim_without_signing_in(client, cert):
    page = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert "王**" in page and "王小明" not in page  # the name is partly masked
    assert cert.serial in page and "网点负责人资格证书" in page
    assert "2026" in page and "2028" in page and "有效" in page


def test_revocation_shows_on_verification(client, db, people, cert):
    services.revoke(people["admin"], cert, RevocationReason.exam_irregularity, "internal detail")
    db.session.commit()
    page = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert "已撤销" in page and "考试违规" in page and "internal detail" not in page
    body = client.get(f"/api/v1/certificates/{cert.serial}").get_json()
    assert body["status"] == "revoked" and body["revocation_reason"] == "exam_irregularity"


def test_a_typo_is_caught_before_any_lookup(client, cert):
    last = cert.serial[-1]
    typo = cert.serial[:-1] + ("A" if last != "A" else "B")
    response = client.get(f"/verify/{typo}")
    assert response.status_code == 400 and "输错" in response.get_data(as_text=True)
    assert client.get("/verify/not-a-serial").status_code == 400
    api = client.get(f"/api/v1/certificates/{typo}")
    assert api.status_code == 400 and api.mimetype == "application/problem+json"


def test_unknown_serial_is_a_clear_404(client, cert):
    from app.certification.serials import new_serial

    response = client.get(f"/verify/{new_serial()}")
    assert response.status_code == 404 and "没有证书" in response.get_data(as_text=True)


def test_verification_is_rate_limited(app, client, cert):
    statuses = [client.get(f"/verify/{cert.serial}").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def _public_keys(client) -> dict:
    return {key["kid"]: OKPAlgorithm.from_jwk(json.dumps(key)) for key in client.get("/.well-known/jwks.json").get_json()["keys"]}


def test_the_credential_verifies_offline_against_the_jwks_and_a_changed_byte_fails(client, cert):
    token = cert.credential_jwt
    keys = _public_keys(client)
    kid = jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(token, keys[kid], algorithms=["EdDSA"], options={"verify_exp": False})
    assert "OpenBadgeCredential" in claims["type"]
    assert claims["credentialSubject"]["achievement"]["name"] == "网点负责人资格证书"
    assert claims["validFrom"].startswith("2026-03-01") and claims["validUntil"].startswith("2028-03-01")
    assert claims["jti"].endswith(cert.serial)
    header, payload, signature = token.split(".")
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(f"{header}.{tampered}.{signature}", keys[kid], algorithms=["EdDSA"], options={"verify_exp": False})


def test_after_rotation_old_certificates_still_verify(app, client, db, people, transfer_type, cert):
    with app.app_context():
        new_kid = signing.create_key()
    later = services.evaluate(people["bj_cs"], transfer_type, only(__import__("tests.certification.conftest", fromlist=["plan_done"]).plan_done()))
    db.session.commit()
    keys = _public_keys(client)
    assert later.kid == new_kid and cert.kid != new_kid and {cert.kid, new_kid} <= set(keys)
    for token in (cert.credential_jwt, later.credential_jwt):
        kid = jwt.get_unverified_header(token)["kid"]
        jwt.decode(token, keys[kid], algorithms=["EdDSA"], options={"verify_exp": False})


def test_the_pdf_embeds_a_chinese_font_and_renders_the_text(client, people, cert):
    from pypdf import PdfReader

    login(client, "bjoh")
    response = client.get(f"/certification/certificates/{cert.serial}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    for claim in ("网点负责人资格证书", "王小明", cert.serial, "总行个人金融业务部", "2028年3月1日"):
        assert claim in text, claim
    fonts = {font["/BaseFont"] for font in (page["/Resources"]["/Font"][name].get_object() for name in page["/Resources"]["/Font"])}
    assert any("WenQuanYi" in str(name) for name in fonts)
    descendant = next(f for f in (page["/Resources"]["/Font"][n].get_object() for n in page["/Resources"]["/Font"]) if "WenQuanYi" in str(f["/BaseFont"]))
    assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not referenced
    _rasterise(response.data)


def _rasterise(data: bytes) -> None:
    """Draw the page: the holder's name region must have ink (glyphs, not empty boxes), and keep a PNG to look at."""
    import pypdfium2

    image = pypdfium2.PdfDocument(data)[0].render(scale=1.5).to_pil().convert("L")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "certificate.png")
    width, height = image.size
    name_band = image.crop((int(width * 0.35), int(height * 0.38), int(width * 0.65), int(height * 0.48)))
    dark = sum(1 for value in name_band.getdata() if value < 128)
    assert dark > 200
