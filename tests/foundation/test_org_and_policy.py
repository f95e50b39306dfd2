from sqlalchemy import select

from app.accounts.models import Person, Role
from app.core import policy
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from tests.conftest import login


def test_subtree_query_uses_the_path(org, make_person):
    people = [make_person(org[code]) for code in ("BJ-S01-001", "BJ-S01-002", "TJ-S01-001")]
    bj = org["BJ"]
    found = db.session.scalars(select(Person).join(Person.org_unit).where(subtree_clause(OrgUnit.path, bj.path))).all()
    assert {p.id for p in found} == {people[0].id, people[1].id}


def test_subtree_boundary_does_not_leak_into_siblings_with_longer_ids(org):
    """/1/2/ must not match /1/23/: the range ends at the path's own slash."""
    units = db.session.scalars(select(OrgUnit).where(subtree_clause(OrgUnit.path, org["BJ"].path))).all()
    assert all(u.path.startswith(org["BJ"].path) for u in units)
    assert {u.code for u in units} == {"BJ", "BJ-S01", "BJ-S01-001", "BJ-S01-002"}


def test_branch_head_sees_only_their_subtree(org, make_person):
    head = make_person(org["BJ"], roles=[(Role.branch_head, org["BJ"])])
    inside, outside = make_person(org["BJ-S01-001"]), make_person(org["TJ-S01-001"])
    assert policy.can_see_person(head, inside)
    assert not policy.can_see_person(head, outside)
    visible = {p.id for p in db.session.scalars(policy.people_in_scope(head))}
    assert inside.id in visible and outside.id not in visible


def test_trainee_sees_only_themselves(org, make_person):
    trainee, other = make_person(org["BJ-S01-001"]), make_person(org["BJ-S01-001"])
    assert policy.can_see_person(trainee, trainee)
    assert not policy.can_see_person(trainee, other)


def test_admin_sees_everyone(org, make_person):
    admin = make_person(org["HO"], roles=[(Role.admin, None)])
    assert policy.can_see_person(admin, make_person(org["TJ-S01-002"]))


def test_person_page_outside_scope_is_403(client, org, make_person):
    make_person(org["BJ"], roles=[(Role.branch_head, org["BJ"])], username="bjhead")
    outsider = make_person(org["TJ-S01-001"])
    login(client, "bjhead")
    assert client.get(f"/people/{outsider.employee_no}").status_code == 403
    assert client.get("/org/TJ").status_code == 403
    assert client.get("/org/BJ").status_code == 200


def test_people_list_is_scoped_and_searchable(client, org, make_person):
    make_person(org["BJ"], roles=[(Role.branch_head, org["BJ"])], username="bjhead")
    make_person(org["BJ-S01-001"], name="张三")
    make_person(org["TJ-S01-001"], name="张四")
    login(client, "bjhead")
    html = client.get("/people/?q=张").get_data(as_text=True)
    assert "张三" in html and "张四" not in html


def test_trainee_cannot_list_people(client, org, make_person):
    make_person(org["BJ-S01-001"], username="t1")
    login(client, "t1")
    assert client.get("/people/").status_code == 403
    assert client.get("/roster/import").status_code == 403


def test_headcount_by_child_counts_everyone_below_each_child(org, make_person):
    from app.org.services import headcount_by_child

    make_person(org["BJ-S01-001"])
    make_person(org["BJ-S01-002"])
    make_person(org["BJ-S01"])
    make_person(org["TJ-S01-001"])
    make_person(org["BJ"])  # in the unit itself: no child's
    assert headcount_by_child(org["N"]) == {org["BJ"].id: 4, org["TJ"].id: 1}
    assert headcount_by_child(org["BJ"]) == {org["BJ-S01"].id: 3}
    assert headcount_by_child(org["HO"]) == {org["N"].id: 5}
