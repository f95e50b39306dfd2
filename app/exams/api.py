"""Exams over the JSON API: what the caller may sit, start or resume, save answers, submit,
read an attempt. Questions come without keys, correct flags or explanations."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.api import bp
from app.api.auth import api_person, api_person_id
from app.api.openapi import SCHEMAS, operation, path_parameter
from app.core.errors import DomainError
from app.exams import eligibility, presenting, services, windows
from app.exams.models import Attempt, Exam
from app.exams.views import save_with_retry, saved_json
from app.extensions import db


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.person_id != api_person_id():
        raise DomainError(_("There is no such attempt of yours."), 404)
    return attempt


@bp.get("/exams")
def list_exams():
    person = api_person()
    exams = db.session.scalars(select(Exam).where(Exam.retired.is_(False)).order_by(Exam.slug)).all()
    body = []
    for exam in (e for e in exams if eligibility.in_audience(e, person)):
        verdict = eligibility.check(exam, person)
        body.append({"id": exam.slug, "title": exam.title, "title_en": exam.title_en,
                     "time_limit_minutes": exam.time_limit_minutes, "pass_threshold": exam.pass_label(),
                     "window": windows.describe(exam.window), "can_start": verdict.ok,
                     "reason": verdict.reason or None, "attempts_left": eligibility.attempts_left(exam, person)})
    return jsonify(body)


@bp.post("/exams/<slug>/attempts")
def start_attempt(slug: str):
    exam = services.exam_by_slug(slug)
    if exam is None:
        raise DomainError(_("There is no exam %(id)s.", id=slug), 404)
    attempt = services.start_or_resume(exam, api_person())
    db.session.commit()
    return jsonify(presenting.attempt_json(attempt)), 201


@bp.put("/attempts/<int:attempt_id>/answers/<int:slot>")
def put_answer(attempt_id: int, slot: int):
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "response" not in body:
        raise DomainError(_("Send the answer as JSON: {\"response\": …}."), 400)
    return jsonify(saved_json(save_with_retry(attempt_id, api_person_id(), slot, body["response"], body.get("client_seq"))))


@bp.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id: int):
    attempt = services.submit(_own_attempt(attempt_id))
    db.session.commit()
    return jsonify(presenting.attempt_json(attempt, include_questions=False))


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    attempt = services.touch(_own_attempt(attempt_id))
    db.session.commit()
    return jsonify(presenting.attempt_json(attempt, include_questions=attempt.is_open))


SCHEMAS["ExamSummary"] = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "title_en": {"type": "string"},
    "time_limit_minutes": {"type": ["integer", "null"]}, "pass_threshold": {"type": "string"},
    "window": {"type": "string"}, "can_start": {"type": "boolean"}, "reason": {"type": ["string", "null"]},
    "attempts_left": {"type": ["integer", "null"]}}, "required": ["id", "title", "can_start"]}
SCHEMAS["AttemptQuestion"] = {"type": "object", "description": "A question as the trainee sees it: no key, no correct flags, no explanation",
    "properties": {"slot": {"type": "integer"}, "section": {"type": "integer"}, "type": {"type": "string"},
                   "points": {"type": "number"}, "stem_html": {"type": "string"},
                   "options": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "html": {"type": "string"}}}},
                   "answer": {"type": ["object", "null"]}, "saved_at": {"type": ["string", "null"]},
                   "kind": {"type": "string"}, "criteria": {"type": "array"}},
    "required": ["slot", "type", "stem_html", "options"]}
SCHEMAS["Result"] = {"type": ["object", "null"], "properties": {
    "final": {"type": "boolean"}, "score": {"type": ["number", "null"]}, "max_score": {"type": "number"},
    "passed": {"type": ["boolean", "null"]}, "pass_threshold": {"type": "string"}, "sections": {"type": "array"}}}
SCHEMAS["Attempt"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "exam": {"type": "object"}, "number": {"type": "integer"},
    "state": {"type": "string", "enum": ["open", "submitted", "graded"]}, "started_at": {"type": "string"},
    "deadline": {"type": ["string", "null"]}, "seconds_left": {"type": ["integer", "null"]},
    "finished_at": {"type": ["string", "null"]}, "max_score": {"type": "number"},
    "result": {"$ref": "#/components/schemas/Result"},
    "sections": {"type": "array", "items": {"type": "string"}},
    "questions": {"type": "array", "items": {"$ref": "#/components/schemas/AttemptQuestion"}}},
    "required": ["id", "state", "deadline", "result"]}
SCHEMAS["Saved"] = {"type": "object", "properties": {
    "slot": {"type": "integer"}, "sequence": {"type": "integer"}, "saved_at": {"type": "string"},
    "replayed": {"type": "boolean", "description": "true when this client_seq had been saved before"}},
    "required": ["slot", "sequence", "saved_at"]}

operation("/exams", "get", "Exams meant for the caller, with whether each can be started now",
          {"type": "array", "items": {"$ref": "#/components/schemas/ExamSummary"}})
operation("/exams/{slug}/attempts", "post", "Start an attempt, or resume the open one: id, deadline, questions without keys",
          {"$ref": "#/components/schemas/Attempt"}, status=201, parameters=[path_parameter("slug")],
          errors={403: "Not open to the caller now (audience, window, attempts, waiting time)", 404: "No such exam"})
operation("/attempts/{attempt_id}/answers/{slot}", "put",
          "Save one answer (appended to the attempt's answer log). Repeat a client_seq to retry safely.",
          {"$ref": "#/components/schemas/Saved"},
          parameters=[path_parameter("attempt_id", "integer"), path_parameter("slot", "integer")],
          request_schema={"type": "object", "properties": {
              "response": {"description": "single {choice: n}, multiple {choices: [n]}, truefalse {value: bool}, fill {text}, practical {note}; null clears"},
              "client_seq": {"type": "string", "maxLength": 40}}, "required": ["response"]},
          errors={400: "Body is not {response: ...}", 404: "No such attempt or slot", 409: "The attempt is closed (submitted or past its deadline)",
                  422: "The answer does not fit the question"})
operation("/attempts/{attempt_id}/submit", "post", "Submit the attempt (idempotent: repeating it returns the same result)",
          {"$ref": "#/components/schemas/Attempt"}, parameters=[path_parameter("attempt_id", "integer")],
          errors={404: "No such attempt"})
operation("/attempts/{attempt_id}", "get", "The attempt: state, questions while open, the result when there is one",
          {"$ref": "#/components/schemas/Attempt"}, parameters=[path_parameter("attempt_id", "integer")],
          errors={404: "No such attempt"})
