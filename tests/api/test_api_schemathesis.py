"""The OpenAPI description and the server agree: a bounded schemathesis run against the WSGI
app, as ubnd-tinh's registrar, on every database (a few hundred requests, well under a minute).
"""

from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from docgen.api.openapi import spec
from tests.helpers import api_body, bearer, make_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 20  # 15 operations: ~300 requests per database


def test_the_server_does_what_its_openapi_says(app, api, registrar, loaded):
    issued = api.post("/api/v1/documents", json=api_body(loaded))
    assert issued.status_code == 201, issued.json  # something to find, withdraw, supersede
    headers = bearer(make_token(app, registrar))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    described = sum(len(item) for item in spec()["paths"].values())
    assert len(operations) == described - 1  # all but openapi.json, which it was loaded from
    requests = 0
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests every run: a failure is reproducible
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case) -> None:
            nonlocal requests
            requests += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        call()
    assert 100 <= requests <= len(operations) * EXAMPLES_PER_OPERATION


def test_every_api_route_is_described_and_every_description_is_served(app):
    documented = {
        (method.upper(), path) for path, item in spec()["paths"].items() for method in item
    }
    served = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == served
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            if path != "/api/v1/openapi.json":  # public; every other operation needs a token
                assert {"401", "403", "404", "500", "503"} <= statuses, (method, path)
            if method == "post":
                assert {"400", "413", "415", "422"} <= statuses, (method, path)
