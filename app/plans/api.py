"""Plans in the JSON API, for HR systems that move people between posts."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _

from app.accounts.services import person_by_employee_no
from app.api import bp
from app.api.auth import api_person
from app.api.openapi import SCHEMAS, operation, path_parameter
from app.core import policy
from app.core.errors import DomainError, problem
from app.extensions import db
from app.plans import services, timeline
from app.plans.models import ENROLMENT_STATES, Enrolment, State


def _plan_json(template) -> dict:
    version = template.latest
    return {"id": template.slug, "title": template.title, "title_en": template.title_en, "version": version.number,
            "stages": [{"position": n, "title": s["title"], "title_en": s["title_en"], "weeks": s["weeks"],
                        "assessments": [{"kind": a["kind"], "ref": a["ref"], "title": a["title"]} for a in s["assessments"]]}
                       for n, s in enumerate(version.stages, start=1)]}


def _enrolment_json(enrolment: Enrolment) -> dict:
    stages = []
    for view in timeline.build(enrolment):
        stage = view.stage
        stages.append({
            "position": stage.position, "title": view.title, "state": view.state.value,
            "due_date": stage.due_date.isoformat(), "due_date_moved_from": stage.nominal_due_date.isoformat() if stage.moved else None,
            "assessor": stage.assessor.employee_no if stage.assessor else None,
            "results": [{"kind": r.kind, "ref": r.ref, "title": r.title, "passed": r.passed, "detail": r.detail}
                        for r in view.results],
        })
    return {"id": enrolment.id, "plan": enrolment.template.slug, "version": enrolment.version.number,
            "employee_no": enrolment.person.employee_no, "name": enrolment.person.name,
            "start_date": enrolment.start_date.isoformat(), "state": enrolment.state.value,
            "current_stage": enrolment.current_stage,
            "completed_at": enrolment.completed_at.isoformat() if enrolment.completed_at else None,
            "stages": stages}


@bp.get("/plans")
def list_plans():
    api_person()
    return jsonify({"plans": [_plan_json(t) for t in services.all_templates()]})


@bp.post("/plans/<slug>/enrolments")
def create_enrolment(slug: str):
    actor = api_person()
    template = services.template_by_slug(slug)
    if template is None:
        return problem(404, _("There is no plan \"%(slug)s\".", slug=slug))
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body.get("employee_no") or not body.get("start_date"):
        return problem(422, _("Send a JSON object with employee_no and start_date (YYYY-MM-DD)."))
    person = person_by_employee_no(str(body["employee_no"]))
    if person is None or not policy.can_see_person(actor, person):
        return problem(404, _("No one with employee number %(no)s in your scope.", no=body["employee_no"]))
    try:
        start = date.fromisoformat(str(body["start_date"]))
    except ValueError:
        return problem(422, _("start_date must be a date written YYYY-MM-DD."))
    try:
        enrolment = services.enrol(actor, person, services.EnrolmentRequest(template, start))
    except DomainError as refused:
        db.session.rollback()
        return problem(refused.status, refused.message)
    db.session.commit()
    response = jsonify(_enrolment_json(enrolment))
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/enrolments/{enrolment.id}"
    return response


@bp.get("/enrolments/<int:enrolment_id>")
def get_enrolment(enrolment_id: int):
    actor = api_person()
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or not policy.can_see_enrolment(actor, enrolment):
        return problem(404)
    return jsonify(_enrolment_json(enrolment))


SCHEMAS["Plan"] = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "title_en": {"type": "string"}, "version": {"type": "integer"},
    "stages": {"type": "array", "items": {"type": "object"}}}, "required": ["id", "title", "version", "stages"]}
SCHEMAS["Enrolment"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "plan": {"type": "string"}, "version": {"type": "integer"},
    "employee_no": {"type": "string"}, "name": {"type": "string"}, "start_date": {"type": "string", "format": "date"},
    "state": {"type": "string", "enum": [s.value for s in ENROLMENT_STATES]},
    "current_stage": {"type": "integer"}, "completed_at": {"type": ["string", "null"]},
    "stages": {"type": "array", "items": {"type": "object", "properties": {
        "position": {"type": "integer"}, "title": {"type": "string"}, "state": {"type": "string", "enum": [s.value for s in State]},
        "due_date": {"type": "string", "format": "date"}, "due_date_moved_from": {"type": ["string", "null"]},
        "assessor": {"type": ["string", "null"]}, "results": {"type": "array", "items": {"type": "object"}}}}}},
    "required": ["id", "plan", "employee_no", "state", "stages"]}

operation("/plans", "get", "Learning-plan templates with their latest version's stages",
          {"type": "object", "properties": {"plans": {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}}})
operation("/plans/{slug}/enrolments", "post", "Enrol a person in your scope in a plan from a start date",
          {"$ref": "#/components/schemas/Enrolment"}, status=201, parameters=[path_parameter("slug")],
          request_schema={"type": "object", "required": ["employee_no", "start_date"], "properties": {
              "employee_no": {"type": "string"}, "start_date": {"type": "string", "format": "date"}}},
          errors={403: "The person is outside your scope", 404: "No such plan or person in your scope",
                  409: "Already enrolled", 422: "Invalid input, e.g. a start date too far in the past"})
operation("/enrolments/{enrolment_id}", "get", "One enrolment: the plan, each stage's state, due date and results",
          {"$ref": "#/components/schemas/Enrolment"}, parameters=[path_parameter("enrolment_id", "integer")],
          errors={404: "No such enrolment in your scope"})
