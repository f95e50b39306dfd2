from flask import jsonify

from app.api import PUBLIC_ENDPOINTS, bp
from app.api.auth import api_person
from app.api.openapi import document
from app.core import policy


@bp.get("/me")
def me():
    person = api_person()
    return jsonify(
        {
            "username": person.username,
            "name": person.name,
            "employee_no": person.employee_no,
            "position": person.position,
            "org_unit": person.org_unit.as_scope(),
            "roles": [
                {"role": grant.role.value, "scope": grant.org_unit.as_scope() if grant.org_unit else None}
                for grant in person.roles
            ],
            "scope": policy.widest_scope(person).as_scope(),
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


PUBLIC_ENDPOINTS.add("api.openapi")
