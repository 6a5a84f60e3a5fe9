"""Transfer export pages: ask for one issuer's year as a ZIP (a job with progress), download it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from docgen import policy
from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import current_actor
from docgen.jobs.runner import submit
from docgen.jobs.transfer import exports_dir, queue_export
from docgen.models import JobKind, JobState
from docgen.services import jobs
from docgen.services.archive import audit, check_actor
from docgen.web.archive import bp
from docgen.web.forms import year_number


@bp.route("/transfer", methods=["GET", "POST"])
def transfer() -> ResponseReturnValue:
    actor = current_actor()
    year = request.values.get("year", "")
    error = None
    if request.method == "POST":
        number = year_number(year)
        if number is None:
            error = "Năm phải là bốn chữ số, từ 1900 đến 2100, ví dụ 2017."
        else:
            session = get_session()
            try:
                job = queue_export(
                    session, actor.organisation or "", number, actor=actor, now=get_clock().now()
                )
                session.commit()
            except DocgenError as exc:
                session.rollback()
                error = exc.message
            else:
                submit(current_app._get_current_object(), [job.id])  # type: ignore[attr-defined]
                return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("archive/transfer.html", year=year, error=error)


@bp.get("/transfer/<int:job_id>.zip")
def transfer_file(job_id: int) -> ResponseReturnValue:
    session = get_session()
    job = jobs.get_visible_job(session, job_id, current_actor())  # 404 for another's job
    if job.kind != JobKind.EXPORT or job.state != JobState.DONE:
        abort(404)
    if not policy.can(current_actor(), policy.Action.REGISTER_BOOK, job.params.get("issuer")):
        abort(403)
    path = exports_dir(current_app) / job.result["file"]
    if not path.is_file():
        abort(404)
    session.rollback()  # the reads end: the download is audited as a writer
    begin_write(session)
    audit(session, at=get_clock().now(), actor=check_actor(current_actor()),
          action="transfer_download", target=job, file=job.result["file"])  # fmt: skip
    session.commit()
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=job.result["file"])  # fmt: skip
