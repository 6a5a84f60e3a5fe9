"""The scheduled backup job: once a day after its hour, the last N files kept, state on /readyz."""

from __future__ import annotations

from datetime import datetime, timedelta

from docgen.db import get_db
from docgen.jobs.scheduled import prune_backups, run_scheduled_backup
from docgen.models import Job, JobState
from docgen.services.backup import open_backup
from docgen.services.clock import VIETNAM


def test_daily_backup_runs_once_a_day_and_keeps_the_last_n(app, loaded, clock, tmp_path):
    folder = tmp_path / "backups"
    app.config.update(DOCGEN_BACKUP_DIR=folder, DOCGEN_BACKUP_KEEP=2)
    clock.set(datetime(2017, 3, 20, 1, 59, tzinfo=VIETNAM))
    assert run_scheduled_backup(app) is None  # not yet 02:00
    client = app.test_client()
    assert client.get("/readyz").json["checks"]["backup"]["detail"] == (
        "Chưa có bản sao lưu theo lịch."
    )

    clock.set(datetime(2017, 3, 20, 2, 0, tzinfo=VIETNAM))
    job_id = run_scheduled_backup(app)
    assert job_id is not None
    assert run_scheduled_backup(app) is None  # one a day, however often the task wakes
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        assert job.state == JobState.DONE and job.organisation_id is None
        assert job.result["file"] == "docgen-auto-20170320-020000.tar"
    manifest, _ = open_backup(folder / job.result["file"], tmp_path)
    assert manifest.counts["document"] == 0 and manifest.chain_heads
    backup = client.get("/readyz").json["checks"]["backup"]
    assert backup["ok"] is True and "20/03/2017 02:00" in backup["detail"]

    for day in (1, 2):  # a worker that was down at 02:00 catches up when it is back
        clock.set(datetime(2017, 3, 20 + day, 7, 30, tzinfo=VIETNAM))
        assert run_scheduled_backup(app) is not None
    assert sorted(p.name for p in folder.iterdir()) == [
        "docgen-auto-20170321-073000.tar",
        "docgen-auto-20170322-073000.tar",
    ]

    clock.advance(timedelta(days=2))  # the last backup is now two days old
    backup = client.get("/readyz").json["checks"]["backup"]
    assert backup["ok"] is False and "quá hạn" in backup["detail"]


def test_a_failed_backup_shows_on_readyz_without_taking_the_server_out(
    app, loaded, clock, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app.config.update(DOCGEN_BACKUP_DIR=blocker / "backups")
    job_id = run_scheduled_backup(app)
    with get_db(app).session() as session:
        job = session.get_one(Job, job_id)
        assert job.state == JobState.FAILED and job.error
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 200
    backup = ready.json["checks"]["backup"]
    assert backup == {"ok": False, "required": False, "detail": backup["detail"]}
    assert "bị lỗi" in backup["detail"] and f"công việc số {job_id}" in backup["detail"]
    assert job.error not in backup["detail"]  # the probe is public: no tool's own words


def test_scheduled_backup_can_be_turned_off(app, loaded):
    app.config.update(DOCGEN_BACKUP_AT=None)
    assert run_scheduled_backup(app) is None
    assert app.test_client().get("/readyz").json["checks"]["backup"]["detail"] == (
        "Sao lưu theo lịch đang tắt."
    )


def test_prune_keeps_the_newest_and_leaves_other_files(tmp_path):
    names = [f"docgen-auto-2017032{d}-020000.tar" for d in range(5)]
    names += ["notes.txt", "docgen-x.tar", "docgen-20170301-020000.tar"]  # a manual backup stays
    for name in names:
        (tmp_path / name).write_text("")
    removed = prune_backups(tmp_path, keep=2)
    assert [p.name for p in removed] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[3:])
