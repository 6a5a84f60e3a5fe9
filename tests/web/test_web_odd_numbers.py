"""Numbers a browser can send but ``int`` refuses or a column cannot hold — "²" passes
``str.isdigit``, a twenty-digit year overflows — give a Vietnamese answer, never a 500."""

from __future__ import annotations

from docgen.db import get_db
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from tests.web.drafting.drafting_pages import new_draft
from tests.web.pages import post_form, sign_in, text

ODD = ("²", "٣", "99999999999999999999", "-1", "1e3")


def test_odd_versions_on_the_drafting_routes(app, client, people):
    sign_in(client, "chuyenvien", people["chuyenvien"])
    url, _draft_id = new_draft(client, "cong-van")
    for odd in ODD:
        for path in (url, f"{url}/autosave", f"{url}/submit"):
            answer = post_form(client, path, {"version": odd, "f.summary": "Về việc thử"})
            assert answer.status_code in {400, 409, 422}, (path, odd, answer.status_code)
        preview = client.get(f"{url}/preview?version={odd}", headers={"HX-Request": "true"})
        assert preview.status_code < 500, (odd, preview.status_code)


def test_odd_years_on_the_archive_pages(app, client, people, loaded, clock):
    with get_db(app).session() as session:
        document = issue_document(
            session, IssueRequest(**loaded.document("ke-hoach-2017").request()),
            actor=system_actor("văn thư"), clock=clock, renderer=get_renderer(app),
        )  # fmt: skip
        session.commit()
    sign_in(client, "luutru", people["luutru"])
    for odd in ODD:
        book = client.get(f"/register-book.docx?year={odd}")
        assert book.status_code == 400, (odd, book.status_code)
        transfer = post_form(client, "/transfer", {"year": odd})
        assert transfer.status_code == 200 and "Năm phải là bốn chữ số" in text(transfer)
    sign_in(client, "vanthu", people["vanthu"])
    for odd in ODD:
        answer = post_form(
            client, f"/documents/{document.id}/supersede",
            {"by": "01/KH-UBND", "year": odd, "reason": "Thử", "confirm": "1"},
        )  # fmt: skip
        assert answer.status_code == 422 and "Năm phải là bốn chữ số" in text(answer)
