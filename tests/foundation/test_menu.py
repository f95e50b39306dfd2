"""The main menu: everyday entries in the bar, trainers' and overseers' tools in two groups."""
import re

from app.accounts.models import Role
from app.main.navigation import NavGroup, menu_for
from tests.conftest import login


def _endpoints(menu):
    return [entry.key if isinstance(entry, NavGroup) else entry.endpoint for entry in menu]


def test_an_admin_gets_two_groups_and_a_short_bar(app, org, make_person):
    admin = make_person(org["HO"], roles=[(Role.admin, None)])
    with app.test_request_context():
        menu = menu_for(admin)
    groups = {entry.key: entry for entry in menu if isinstance(entry, NavGroup)}
    assert set(groups) == {"teach", "oversee"}
    assert "exams.manage" in [i.endpoint for i in groups["teach"].items]
    assert {"people.index", "roster.upload", "plans.enrolments"} <= {i.endpoint for i in groups["oversee"].items}
    assert len(menu) <= 10  # one row at desktop width


def test_a_trainee_sees_no_groups(app, org, make_person):
    trainee = make_person(org["BJ-S01-001"])
    with app.test_request_context():
        menu = menu_for(trainee)
    assert not any(isinstance(entry, NavGroup) for entry in menu) and "courses.catalog" in _endpoints(menu)


def test_a_group_of_one_is_shown_as_its_entry(app, org, make_person):
    assessor = make_person(org["BJ-S01-001"], roles=[(Role.trainee, None), (Role.assessor, org["BJ"])])
    with app.test_request_context():
        menu = menu_for(assessor)
    assert "exams.queue" in _endpoints(menu) and "teach" not in _endpoints(menu)


def test_the_group_of_the_current_page_is_marked(client, org, make_person):
    make_person(org["HO"], roles=[(Role.admin, None)], username="root")
    login(client, "root")
    html = client.get("/people/").get_data(as_text=True)
    assert re.search(r'<summary class="current">\s*管理\s*</summary>', html)
    assert '<a href="/people/" aria-current="page">' in html
