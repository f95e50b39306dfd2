import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.models import Person, PersonStatus, Role
from app.core.tabular import TableInvalid
from app.extensions import db
from app.roster.services import import_roster
from tests.conftest import csrf_token, login

HEADER = "工号,姓名,机构代码,岗位,角色\n"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def test_csv_import_creates_people_with_roles_and_temporary_passwords(org):
    data = (HEADER + "E001,张三,BJ-S01-001,高柜柜员,trainee\nE002,李四,BJ,个金管理经理,branch_head;assessor@BJ-S01\n").encode()
    result = import_roster(data, "roster.csv")
    db.session.commit()
    assert (result.created, result.updated) == (2, 0)
    lisi = db.session.scalars(select(Person).where(Person.employee_no == "E002")).one()
    assert {(g.role, g.org_unit.code) for g in lisi.roles} == {(Role.branch_head, "BJ"), (Role.assessor, "BJ-S01")}
    number, name, password = result.new_accounts[0]
    zhang = db.session.scalars(select(Person).where(Person.employee_no == number)).one()
    assert zhang.must_change_password and zhang.check_password(password) and zhang.username == "E001"


def test_reimport_updates_in_place(org):
    import_roster((HEADER + "E001,张三,BJ-S01-001,teller,trainee\n").encode(), "r.csv")
    db.session.commit()
    result = import_roster((HEADER + "E001,张三丰,TJ-S01-001,lobby_manager,trainee\n").encode(), "r.csv")
    db.session.commit()
    assert (result.created, result.updated, result.new_accounts) == (0, 1, [])
    person = db.session.scalars(select(Person).where(Person.employee_no == "E001")).one()
    assert (person.name, person.org_unit.code, person.position) == ("张三丰", "TJ-S01-001", "lobby_manager")
    again = import_roster((HEADER + "E001,张三丰,TJ-S01-001,lobby_manager,trainee\n").encode(), "r.csv")
    assert again.unchanged == 1


def test_status_left_is_imported(org):
    import_roster("employee_no,name,org_code,position,status\nE9,王五,BJ,teller,离职\n".encode(), "r.csv")
    db.session.commit()
    assert db.session.scalars(select(Person)).one().status is PersonStatus.left


def test_every_bad_row_is_reported_and_nothing_is_imported(org):
    data = (HEADER
            + "E001,张三,BJ-S01-001,高柜柜员,trainee\n"
            + "E002,李四,NOPE,高柜柜员,trainee\n"
            + "E001,王五,BJ,宇航员,trainee\n"
            + ",赵六,BJ,teller,superuser\n").encode()
    with pytest.raises(TableInvalid) as raised:
        import_roster(data, "roster.csv")
    errors = {(e.row, e.column) for e in raised.value.errors}
    assert errors == {(3, "org_code"), (4, "employee_no"), (4, "position"), (5, "employee_no"), (5, "roles")}
    assert any("第 2 行" in e.message for e in raised.value.errors if e.row == 4)  # the duplicate names its twin
    db.session.rollback()
    assert _count() == 0


def test_missing_columns_are_named(org):
    with pytest.raises(TableInvalid) as raised:
        import_roster("工号,姓名\nE1,张三\n".encode(), "r.csv")
    assert {e.column for e in raised.value.errors} == {"机构代码", "岗位"}  # as the user heads them


def test_a_misspelt_header_is_named_as_the_user_writes_it_and_the_unknown_columns_listed(client, org, make_person):
    make_person(org["HO"], roles=[(Role.admin, None)], username="root")
    login(client, "root")
    csv = "工号,姓名,部门代码,岗位\nT9001,测试甲,BJ-S01-001,大堂经理\n".encode()
    token = csrf_token(client, "/roster/import")
    response = client.post("/roster/import", data={"csrf_token": token, "file": (io.BytesIO(csv), "r.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "org_code</td>" not in html and "缺少必需的列 org_code" not in html
    assert "<td>机构代码</td>" in html and "缺少必需的列“机构代码”" in html and "“机构代码”或“org_code”" in html
    assert "文件中未能识别的列：“部门代码”" in html
    english = client.post("/roster/import", data={"csrf_token": token, "file": (io.BytesIO(csv), "r.csv")},
                          content_type="multipart/form-data", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Required column “Org unit code” is missing: head it “机构代码” or “org_code”." in english
    assert "Columns in the file that were not recognised: “部门代码”." in english
    assert _count() == 1  # only the admin: nothing imported


def test_bad_encoding_is_explained(org):
    with pytest.raises(TableInvalid) as raised:
        import_roster(b"\xff\xfe\x00\x00garbage\x00", "r.csv")
    assert "UTF-8" in raised.value.errors[0].message


def test_gb18030_csv_from_chinese_excel(org):
    result = import_roster((HEADER + "E001,张三,BJ,大堂经理,trainee\n").encode("gb18030"), "r.csv")
    assert result.created == 1


def test_xlsx_import(org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "机构代码", "岗位"])
    sheet.append([10001, "张三", "BJ-S01-002", "客户服务经理"])  # a number cell, as Excel stores it
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_roster(buffer.getvalue(), "staff.xlsx")
    db.session.commit()
    person = db.session.scalars(select(Person)).one()
    assert result.created == 1 and person.employee_no == "10001" and person.position == "cs_manager"


def test_damaged_xlsx_is_refused(org):
    with pytest.raises(TableInvalid):
        import_roster(b"PK\x03\x04 not really a workbook", "staff.xlsx")


def test_upload_page_shows_row_errors_in_the_users_language(client, org, make_person):
    make_person(org["HO"], roles=[(Role.admin, None)], username="root")
    login(client, "root")
    token = csrf_token(client, "/roster/import")
    data = {"csrf_token": token, "file": (io.BytesIO((HEADER + "E1,张三,NOPE,teller,\n").encode()), "r.csv")}
    response = client.post("/roster/import", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "没有代码为“NOPE”的机构" in html and "未导入任何数据" in html


def test_upload_page_imports(client, org, make_person):
    make_person(org["HO"], roles=[(Role.admin, None)], username="root")
    login(client, "root")
    token = csrf_token(client, "/roster/import")
    data = {"csrf_token": token, "create_accounts": "y",
            "file": (io.BytesIO((HEADER + "E1,张三,BJ,teller,\n").encode()), "r.csv")}
    response = client.post("/roster/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "新增 1 人" in response.get_data(as_text=True)


def test_cli_import_with_progress_and_passwords_file(runner, org, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "".join(f"E{i:03d},员工{i},BJ-S01-001,teller,trainee\n" for i in range(30)), encoding="utf-8")
    out = tmp_path / "passwords.csv"
    result = runner.invoke(args=["roster", "import", str(roster), "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "新增 30 人" in result.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 31


def test_cli_import_errors_name_file_row_and_column(runner, org, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "E1,张三,NOPE,teller,\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(roster)])
    assert result.exit_code == 1
    assert f"{roster}: 第 2 行，org_code 列" in result.output
