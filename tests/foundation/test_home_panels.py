"""Home-page panels."""
from app.accounts.models import Role
from tests.conftest import login


def test_a_bank_wide_scope_is_named_the_whole_bank(client, org, make_person):
    make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None), (Role.trainer, org["HO"])], username="root")
    login(client, "root")
    html = client.get("/").get_data(as_text=True)
    assert "管辖范围： 全行" in html
    assert "Scope: The whole bank" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_scoped_role_lists_its_units(client, org, make_person):
    make_person(org["BJ"], "branch_staff", roles=[(Role.branch_head, org["BJ"])], username="head")
    login(client, "head")
    html = client.get("/").get_data(as_text=True)
    assert "管辖范围： <a" in html and "北京分行</a>" in html and "全行" not in html.split("管辖范围：")[1].split("</p>")[0]
