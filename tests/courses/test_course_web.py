"""Pages and API: access by role and scope, CSRF, authoring round trip, images, reports."""
import io
import re

import pytest
from sqlalchemy import select

from app.accounts.models import ApiToken, Role
from app.courses import services
from app.courses.models import Course, CourseImage, CourseVersion
from app.extensions import db
from tests.conftest import csrf_token, login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def people(org, make_person):
    return {
        "trainee": make_person(org["BJ-S01-001"], position="teller", username="learner"),
        "trainer": make_person(org["HO"], position="head_office_staff", roles=[(Role.trainer, org["HO"])], username="author"),
        "bj_trainer": make_person(org["BJ"], position="branch_staff", roles=[(Role.trainer, org["BJ"])], username="bjtrainer"),
    }


def _post(client, path, data=None, page=None, **kwargs):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page or "/courses/")
    return client.post(path, data=data, **kwargs)


@pytest.mark.parametrize("path", ["/courses/authoring/", "/courses/authoring/new", "/courses/authoring/alpha/versions",
                                  "/courses/reports/", "/courses/reports/alpha"])
def test_trainees_may_not_author_or_see_reports(client, synced, people, path):
    login(client, "learner")
    assert client.get(path).status_code == 403


def test_pages_need_sign_in(client, synced):
    assert client.get("/courses/").status_code in (302, 401)
    assert client.get("/courses/alpha/lessons/one").status_code in (302, 401)


def test_catalog_search_lesson_and_complete(client, synced, people):
    login(client, "learner")
    page = client.get("/courses/?q=三换").get_data(as_text=True)
    assert "<mark>三换</mark>" in page and "/courses/alpha/lessons/one" in page
    lesson = client.get("/courses/alpha/lessons/one").get_data(as_text=True)
    assert '<div class="admonition key">' in lesson and 'id="lesson-end"' in lesson and 'rel="next"' in lesson
    assert client.post("/courses/alpha/lessons/one/complete").status_code == 400  # no CSRF token
    response = _post(client, "/courses/alpha/lessons/one/complete", {"automatic": "1"}, page="/courses/alpha/lessons/one",
                     headers={"Accept": "application/json"})
    assert response.get_json() == {"completed": True, "course_completed": False, "progress": 0.5}
    home = client.get("/").get_data(as_text=True)
    assert "/courses/alpha/lessons/one" in home  # continue where you left off


def test_unknown_or_retired_course_is_404_for_learners(client, synced, people):
    login(client, "learner")
    assert client.get("/courses/nothing").status_code == 404
    assert client.get("/courses/alpha/lessons/nothing").status_code == 404
    synced["alpha"].retire()
    db.session.commit()
    assert client.get("/courses/alpha").status_code == 404
    assert client.get("/courses/alpha/lessons/one").status_code == 404


def test_rating_form_validates(client, synced, people):
    login(client, "learner")
    response = _post(client, "/courses/alpha/rating", {"stars": "5"})
    assert response.status_code == 409  # not finished yet
    for lesson in synced["alpha"].current_version.lessons:
        services.complete_lesson(people["trainee"], synced["alpha"], lesson)
    db.session.commit()
    assert _post(client, "/courses/alpha/rating", {"stars": "9"}).status_code == 422
    assert _post(client, "/courses/alpha/rating", {"stars": "4", "comment": "好"}).status_code == 302


def test_author_edits_previews_and_publishes(client, synced, people):
    login(client, "author")
    assert _post(client, "/courses/authoring/alpha/start").status_code == 302
    edit = "/courses/authoring/alpha/lessons/one"
    form = {"title": "处理原则", "title_en": "Principles", "minutes": "10", "body_md": "## 新\n\n<script>x</script>**三换**"}
    preview = _post(client, edit, {**form, "preview": "1"}, page=edit)
    assert preview.status_code == 200 and "<strong>三换</strong>" in preview.get_data(as_text=True)
    assert "<script>x" not in preview.get_data(as_text=True)
    live = _post(client, "/courses/authoring/preview", {"course": "alpha", "markdown": "[x](javascript:alert(1)) [y](lesson:nope)"})
    assert "javascript" not in live.get_json()["html"] and live.get_json()["broken_links"] == ["nope"]
    assert _post(client, edit, {**form, "submit": "1"}, page=edit).status_code == 302
    assert synced["alpha"].current_version.number == 1  # saving a draft publishes nothing
    assert _post(client, "/courses/authoring/alpha/publish").status_code == 302
    db.session.expire_all()
    course = db.session.scalars(select(Course).where(Course.slug == "alpha")).one()
    assert course.current_version.number == 2 and course.draft is None
    assert "<strong>三换</strong>" in course.current_version.lesson("one").body_html
    changes = client.get("/courses/alpha/changes").get_data(as_text=True)
    assert "diff-add" in changes and "三换" in changes


def test_publish_refuses_broken_links_and_changes_nothing(client, synced, people):
    login(client, "author")
    _post(client, "/courses/authoring/alpha/start")
    edit = "/courses/authoring/alpha/lessons/two"
    _post(client, edit, {"title": "流程", "title_en": "Process", "minutes": "5", "body_md": "见[x](lesson:ghost/lesson)", "submit": "1"}, page=edit)
    response = _post(client, "/courses/authoring/alpha/publish")
    assert response.status_code == 422 and "ghost/lesson" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(CourseVersion.number).join(Course, Course.current_version_id == CourseVersion.id)
                             .where(Course.slug == "alpha")) == 1


def test_new_course_reorder_and_bad_ids(client, synced, people):
    login(client, "author")
    assert _post(client, "/courses/authoring/new", {"slug": "Bad Id", "title": "x"}).status_code == 422
    taken = _post(client, "/courses/authoring/new", {"slug": "alpha", "title": "x"})
    assert taken.status_code == 422 and "alpha" in taken.get_data(as_text=True)
    assert _post(client, "/courses/authoring/new", {"slug": "web-course", "title": "网上课程"}).status_code == 302
    new = "/courses/authoring/web-course/lessons/new"
    for slug in ("first", "second"):
        assert _post(client, new, {"slug": slug, "title": slug, "title_en": slug, "minutes": "3", "body_md": "x", "submit": "1"}, page=new).status_code == 302
    assert _post(client, new, {"slug": "first", "title": "t", "title_en": "t", "minutes": "3", "submit": "1"}, page=new).status_code == 422
    _post(client, "/courses/authoring/web-course/lessons/second/up")
    draft = db.session.scalars(select(Course).where(Course.slug == "web-course")).one().draft
    db.session.refresh(draft)
    assert [l.slug for l in draft.lessons] == ["second", "first"]
    assert _post(client, "/courses/authoring/web-course/publish").status_code == 422  # no objectives, no English title yet


def _upload(client, name, data, filename="x.png"):
    page = "/courses/authoring/alpha"
    return client.post("/courses/authoring/alpha/images", data={
        "csrf_token": csrf_token(client, page), "name": name, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data")


@pytest.mark.parametrize("data, filename", [
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.svg"),
    (b"<html><script>alert(1)</script></html>", "x.png"),
    (b"GIF8", "x.gif"),
    (PNG + b"\x00" * (2 * 1024 * 1024), "big.png"),
])
def test_images_are_checked_by_content_and_size(client, synced, people, data, filename):
    login(client, "author")
    _post(client, "/courses/authoring/alpha/start")
    response = _upload(client, "chart", data, filename)
    assert response.status_code == 422
    assert db.session.scalars(select(CourseImage)).all() == []


def test_images_are_served_safely_and_never_replaced(app, client, synced, people):
    login(client, "author")
    _post(client, "/courses/authoring/alpha/start")
    assert _upload(client, "chart", PNG).status_code == 302
    assert _upload(client, "chart", PNG).status_code == 422  # same name again
    client = app.test_client()
    login(client, "learner")
    response = client.get("/courses/alpha/images/chart")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/courses/alpha/images/nothing").status_code == 404


def test_reports_are_scoped_to_the_trainers_subtree(app, client, synced, people, org, make_person):
    tj = make_person(org["TJ-S01-001"], position="teller", name="天津学员")
    bj = make_person(org["BJ-S01-002"], position="teller", name="北京学员")
    for person in (tj, bj):
        for lesson in synced["alpha"].current_version.lessons:
            services.complete_lesson(person, synced["alpha"], lesson)
    db.session.commit()
    login(client, "bjtrainer")
    page = client.get("/courses/reports/alpha").get_data(as_text=True)
    assert "北京学员" in page and "天津学员" not in page
    assert client.get("/courses/reports/alpha?unit=TJ").status_code == 403
    client = app.test_client()
    login(client, "author")
    page = client.get("/courses/reports/alpha").get_data(as_text=True)
    assert "北京学员" in page and "天津学员" in page


def test_report_by_unit_counts_in_one_query(synced, people, org, make_person):
    from app.courses import reports

    finished = make_person(org["BJ-S01-001"], position="teller", password=None)
    started = make_person(org["BJ-S01-002"], position="teller", password=None)
    make_person(org["TJ-S01-001"], position="teller", password=None)
    alpha = synced["alpha"]
    for lesson in alpha.current_version.lessons:
        services.complete_lesson(finished, alpha, lesson)
    services.complete_lesson(started, alpha, alpha.current_version.lessons[0])
    rows = {row.unit.code: (row.people, row.started, row.finished) for row in reports.by_unit(alpha, people["trainer"], org["N"])}
    # BJ: trainee (teller) + the two above; TJ: one teller who never started
    assert rows == {"BJ": (3, 2, 1), "TJ": (1, 0, 0)}
    rows = {row.unit.code: (row.people, row.started, row.finished) for row in reports.by_unit(alpha, people["bj_trainer"], org["BJ-S01"])}
    assert rows == {"BJ-S01-001": (2, 1, 1), "BJ-S01-002": (1, 1, 0)}


def test_api_catalog_and_course(client, synced, people):
    token_row, token = ApiToken.issue(people["trainee"])
    db.session.add(token_row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/courses").status_code == 401
    body = client.get("/api/v1/courses", headers=headers).get_json()
    assert [c["slug"] for c in body["courses"]] == ["beta", "alpha"]
    course = client.get("/api/v1/courses/alpha", headers=headers).get_json()
    assert [l["status"] for l in course["lessons"]] == ["todo", "todo"] and course["progress"] == 0
    response = client.get("/api/v1/courses/nothing", headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_an_image_whose_row_does_not_commit_leaves_no_file_but_a_shared_one_stays(app, synced, people):
    from app.courses import authoring

    author = people["trainer"]
    new, shared = PNG + b"new", PNG + b"shared"
    authoring.attach_image(synced["alpha"], "shared", shared, author)
    db.session.commit()
    stored = {path.name for path in authoring.images_dir().iterdir()}
    authoring.attach_image(synced["alpha"], "fresh", new, author)
    authoring.attach_image(synced["alpha"], "again", shared, author)  # same bytes as a committed image
    db.session.rollback()
    assert {path.name for path in authoring.images_dir().iterdir()} == stored


def test_completed_lesson_badge_says_done_not_a_date_label(client, synced, people):
    """"Completed" as a status is 已完成; the date label on an enrolment is a distinct msgid (完成时间)."""
    services.complete_lesson(people["trainee"], synced["alpha"], synced["alpha"].current_version.lessons[0])
    db.session.commit()
    login(client, "learner")
    page = client.get("/courses/alpha").get_data(as_text=True)
    assert '<span class="tag tag-ok">已完成</span>' in page and "完成时间" not in page
    english = client.get("/courses/alpha", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span class="tag tag-ok">Completed</span>' in english
    from flask_babel import force_locale, gettext

    with force_locale("zh_Hans"):
        assert gettext("Completed on") == "完成时间"


def test_completing_a_lesson_by_the_form_says_so(client, synced, people):
    login(client, "learner")
    page = "/courses/alpha/lessons/one"
    response = _post(client, "/courses/alpha/lessons/one/complete", page=page, follow_redirects=True)
    assert "课程“投诉处理”" not in response.get_data(as_text=True)
    assert "课时“处理原则”已完成。" in response.get_data(as_text=True)
    response = _post(client, "/courses/alpha/lessons/two/complete", page="/courses/alpha/lessons/two",
                     headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "Lesson completed, and with it the course “Complaint handling”." in response.get_data(as_text=True)


def test_continue_learning_leaves_out_completed_courses(client, synced, people):
    alpha, beta = synced["alpha"], synced["beta"]
    services.complete_lesson(people["trainee"], alpha, alpha.current_version.lessons[0])
    for lesson in beta.current_version.lessons:
        services.complete_lesson(people["trainee"], beta, lesson)
    db.session.commit()
    login(client, "learner")
    home = client.get("/").get_data(as_text=True)
    panel = home.split("继续学习", 1)[1].split("</section>", 1)[0]
    assert "/courses/alpha/lessons/" in panel and "/courses/beta/" not in panel
    for lesson in alpha.current_version.lessons[1:]:
        services.complete_lesson(people["trainee"], alpha, lesson)
    db.session.commit()
    panel = client.get("/").get_data(as_text=True).split("继续学习", 1)[1].split("</section>", 1)[0]
    assert "/lessons/" not in panel and "你已学完所有已开始的课程" in panel
