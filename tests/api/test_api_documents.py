"""The JSON API end to end: drafts, issuance, retrieval of exact bytes, search, status changes."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime

import docx
import pytest
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import Blob, Document, RegisterCounter
from tests.helpers import api_body

_plan = api_body  # the 2017 plan, as the API takes it


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [c.text for c in row.cells]
    return "\n".join(texts)


def _counts(app) -> tuple[int, int, int]:
    with get_db(app).session() as s:
        return (
            s.scalar(select(func.count()).select_from(Document)),
            s.scalar(select(func.count()).select_from(Blob)),
            s.scalar(select(func.coalesce(func.sum(RegisterCounter.last_number), 0))),
        )


def test_issue_then_fetch_the_exact_bytes(app, api, loaded):
    response = api.post("/api/v1/documents", json=_plan(loaded))
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["number"], body["code_number"], body["symbol"]) == (1, "01", "KH-UBND")
    assert body["notation"] == "01/KH-UBND"
    assert body["date_line"] == "Kiên Giang, ngày 20 tháng 3 năm 2017"
    assert (
        response.headers["Location"] == body["links"]["self"] == f"/api/v1/documents/{body['id']}"
    )

    docx_response = api.get(body["links"]["docx"])
    assert docx_response.status_code == 200
    assert hashlib.sha256(docx_response.data).hexdigest() == body["sha256"]
    assert docx_response.headers["ETag"] == f'"{body["sha256"]}"'
    assert "Số: 01/KH-UBND" in _text(docx_response.data)
    again = api.get(body["links"]["docx"], headers={"If-None-Match": f'"{body["sha256"]}"'})
    assert again.status_code == 304

    full = api.get(body["links"]["self"]).json
    assert full["actor"] == "văn.thư"
    meta = full["metadata"]
    assert set(meta) == {
        "FileCode", "DocOrdinal", "TypeName", "CodeNumber", "CodeNotation", "IssuedDate",
        "OrganName", "Subject", "Language", "PageAmount", "Description", "SignerInfo", "To",
        "Priority", "IssuedAmount", "DueDate",
    }  # fmt: skip
    assert meta["CodeNumber"] == "01" and meta["CodeNotation"] == "KH-UBND"
    assert meta["SignerInfo"] == {"Position": "PHÓ CHỦ TỊCH", "FullName": "Mai Văn Huỳnh"}
    assert meta["To"][0]["OrganName"] == "Hội đồng TĐKT Trung ương"
    assert full["status"] == "in_force" and full["register"] == "ubnd-tinh:general"
    assert full["status_label"] == "còn hiệu lực"


def test_draft_has_no_number_and_stores_nothing(app, api, loaded):
    response = api.post("/api/v1/drafts", json=_plan(loaded))
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    text = _text(response.data)
    assert "Số:" in text and "/KH-UBND" in text and "01/KH-UBND" not in text
    assert _counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"template": "khong-co"}, 404, "template_not_found"),
        ({"issuer": "khong-co"}, 403, "forbidden"),  # not the registrar's organisation
        ({"template": None}, 422, "invalid_fields"),
        ({"data": {"body": []}}, 422, "invalid_fields"),
        ({"data": "không phải đối tượng"}, 422, "invalid_fields"),
        ({"date": "2017-02-30"}, 422, "invalid_fields"),
        ({"date": "20/03/2017"}, 422, "invalid_fields"),
        ({"date": "2017-03-21"}, 400, "future_issue_date"),
        ({"priority": "khẩn"}, 422, "invalid_fields"),
        ({"unknown": 1}, 422, "invalid_fields"),
        ({"register": "khong-co"}, 404, "not_found"),
    ],
)
def test_bad_requests_are_4xx_json_and_write_nothing(app, api, loaded, change, status, code):
    body = {k: v for k, v in {**_plan(loaded), **change}.items() if v is not None}
    response = api.post("/api/v1/documents", json=body)
    assert response.status_code == status, response.json
    assert response.json["code"] == code
    assert response.json["message"]  # Vietnamese, for people
    assert _counts(app) == (0, 0, 0)


def test_backdating_is_409_and_consumes_no_number(app, api, loaded, clock):
    clock.set(datetime(2017, 3, 25, 9))
    assert api.post("/api/v1/documents", json=_plan(loaded, date="2017-03-24")).status_code == 201
    response = api.post("/api/v1/documents", json=_plan(loaded, date="2017-03-23"))
    assert response.status_code == 409
    assert response.json["code"] == "backdated_issue_date"
    assert "lùi ngày" in response.json["message"]
    assert _counts(app) == (1, 1, 1)


def test_malformed_and_oversized_bodies(app, api, loaded):
    bad = api.post("/api/v1/documents", data=b"{not json", content_type="application/json")
    assert (bad.status_code, bad.json["code"]) == (400, "malformed_json")
    array = api.post("/api/v1/documents", json=[1, 2])
    assert (array.status_code, array.json["code"]) == (400, "malformed_json")
    app.config["MAX_CONTENT_LENGTH"] = 2048
    big = _plan(loaded)
    big["data"]["summary"] = "x" * 4096
    too_big = api.post("/api/v1/documents", json=big)
    assert (too_big.status_code, too_big.json["code"]) == (413, "payload_too_large")
    missing = api.get("/api/v1/khong-co")
    assert (missing.status_code, missing.json["code"]) == (404, "not_found")
    assert api.get("/api/v1/documents/999").json["code"] == "not_found"
    wrong_method = api.delete("/api/v1/documents/1")
    assert wrong_method.status_code == 405 and wrong_method.json["code"] == "method_not_allowed"
    assert _counts(app) == (0, 0, 0)


def test_an_unexpected_error_is_a_json_500_and_rolls_back(app, api, loaded, monkeypatch):
    from docgen.services import issuance

    def explode(*_args, **_kwargs):
        raise RuntimeError("index broke")

    monkeypatch.setattr(issuance, "index_document", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api.post("/api/v1/documents", json=_plan(loaded))
    assert response.status_code == 500
    assert response.json["code"] == "internal_error"
    assert _counts(app) == (0, 0, 0)


def test_list_with_filters_and_paging(app, api, loaded, clock):
    clock.set(datetime(2017, 3, 30, 9))
    for day in ("2017-03-20", "2017-03-21", "2017-03-22"):
        assert api.post("/api/v1/documents", json=_plan(loaded, date=day)).status_code == 201
    page = api.get("/api/v1/documents?q=DIEN+HINH&per_page=2").json
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    assert page["items"][0]["snippet"]["highlights"]
    assert api.get("/api/v1/documents?q=điển hình&page=2&per_page=2").json["items"][0]["id"]
    by_date = api.get("/api/v1/documents?from=2017-03-21&to=2017-03-21").json
    assert [i["notation"] for i in by_date["items"]] == ["02/KH-UBND"]
    assert api.get("/api/v1/documents?type=KH&issuer=ubnd-tinh&year=2017").json["total"] == 3
    assert api.get("/api/v1/documents?signer=mai-van-huynh&status=in_force").json["total"] == 3
    assert api.get("/api/v1/documents?year=2016").json["total"] == 0
    for bad in (
        "year=abc",
        "from=2017-13-01",
        "status=deleted",
        "page=0",
        "per_page=1000",
        "type=XX",
    ):
        response = api.get(f"/api/v1/documents?{bad}")
        assert response.status_code == 400, bad
        assert response.json["code"]


def test_withdraw_and_supersede(app, api, loaded, clock):
    clock.set(datetime(2017, 3, 30, 9))
    first = api.post("/api/v1/documents", json=_plan(loaded, date="2017-03-20")).json
    second = api.post("/api/v1/documents", json=_plan(loaded, date="2017-03-21")).json
    third = api.post("/api/v1/documents", json=_plan(loaded, date="2017-03-22")).json

    superseded = api.post(
        f"/api/v1/documents/{first['id']}/supersede",
        json={"by": second["id"], "reason": "Thay thế do sai nội dung"},
    )
    assert superseded.status_code == 201 and superseded.json["status"] == "superseded"
    withdrawn = api.post(f"/api/v1/documents/{third['id']}/withdraw", json={"reason": "Nhầm"})
    assert withdrawn.status_code == 201 and withdrawn.json["actor"] == "văn.thư"

    assert api.get(f"/api/v1/documents/{first['id']}").json["status"] == "superseded"
    shown = api.get(f"/api/v1/documents/{third['id']}").json
    assert shown["status"] == "withdrawn" and shown["events"][0]["reason"] == "Nhầm"
    assert api.get(shown["links"]["docx"]).status_code == 200  # still retrievable
    assert api.get("/api/v1/documents?status=withdrawn").json["total"] == 1

    again = api.post(f"/api/v1/documents/{third['id']}/withdraw", json={"reason": "x"})
    assert again.status_code == 409
    # A missing or mistyped field is a 422 with the field named, as for issuance.
    assert api.post(f"/api/v1/documents/{second['id']}/withdraw", json={}).status_code == 422
    assert (
        api.post(
            f"/api/v1/documents/{second['id']}/supersede", json={"by": "x", "reason": "r"}
        ).status_code
        == 422
    )
    assert api.post("/api/v1/documents/999/withdraw", json={"reason": "r"}).status_code == 404


def test_openapi_describes_every_route(api, app):
    spec = api.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    routes = {
        re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")  # openapi.json too: described, public
    }
    assert routes == set(spec["paths"])
    assert spec["paths"]["/api/v1/documents"]["post"]["responses"]["409"]
