"""The job table's life cycle: claim, heartbeat, stall, take-over, finish once, fail, retry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.errors import Conflict
from docgen.models import JobKind, JobState
from docgen.policy import Action, Actor, JobFacts, Role, can, system_actor
from docgen.services import jobs
from docgen.services.clock import FixedClock

STALL = 30


def _new_job(app: Flask, clock: FixedClock, **kwargs) -> int:
    with get_db(app).session() as session:
        job = jobs.create_job(
            session, JobKind.VERIFY, actor=system_actor(), organisation=None, now=clock.now(),
            **kwargs,
        )  # fmt: skip
        session.commit()
        return job.id


def _claim(app: Flask, clock: FixedClock, job_id: int) -> int | None:
    with get_db(app).session() as session:
        attempt = jobs.claim(session, job_id, now=clock.now(), stall_after=STALL)
        session.commit()
        return attempt


def _state(app: Flask, clock: FixedClock, job_id: int) -> JobState:
    with get_db(app).session() as session:
        job = jobs.get_job(session, job_id)
        return jobs.effective_state(job, now=clock.now(), stall_after=STALL)


def test_a_job_runs_once_and_a_stalled_one_is_taken_over(app: Flask, loaded, clock):
    job_id = _new_job(app, clock, total=10)
    assert _state(app, clock, job_id) is JobState.QUEUED
    first = _claim(app, clock, job_id)
    assert first == 1
    assert _claim(app, clock, job_id) is None  # running with a live heartbeat: a duplicate
    clock.advance(timedelta(seconds=STALL - 1))
    with get_db(app).session() as session:
        jobs.progress(session, job_id, first, now=clock.now(), done=4, message="4/10")
        session.commit()
    clock.advance(timedelta(seconds=STALL - 1))
    assert _state(app, clock, job_id) is JobState.RUNNING  # the heartbeat kept it alive
    clock.advance(timedelta(seconds=2))
    assert _state(app, clock, job_id) is JobState.STALLED
    second = _claim(app, clock, job_id)  # the first worker died: another one takes over
    assert second == 2
    with get_db(app).session() as session, pytest.raises(jobs.JobTakenOver):
        jobs.finish(session, job_id, first, now=clock.now(), result={"x": 1}, message="xong")
    with get_db(app).session() as session:
        jobs.finish(session, job_id, second, now=clock.now(), result={"x": 2}, message="Xong.")
        session.commit()
    with get_db(app).session() as session, pytest.raises(jobs.JobTakenOver):
        jobs.finish(session, job_id, second, now=clock.now(), result={"x": 3}, message="lần 2")
    with get_db(app).session() as session:
        job = jobs.get_job(session, job_id)
        assert (job.state, job.result, job.done, job.attempts) == ("done", {"x": 2}, 10, 2)
        assert job.message == "Xong."
    assert _claim(app, clock, job_id) is None  # done is done


def test_failed_and_stalled_jobs_can_be_retried_done_ones_cannot(app: Flask, loaded, clock):
    failed = _new_job(app, clock)
    attempt = _claim(app, clock, failed)
    with get_db(app).session() as session:
        jobs.fail(session, failed, attempt, now=clock.now(), error="LibreOffice không chạy.")
        session.commit()
    assert _state(app, clock, failed) is JobState.FAILED
    with get_db(app).session() as session:
        job = jobs.retry(session, failed, now=clock.now(), stall_after=STALL)
        session.commit()
        assert (job.state, job.error) == ("queued", None)
    assert _claim(app, clock, failed) == 2
    with get_db(app).session() as session:
        with pytest.raises(Conflict) as refused:
            jobs.retry(session, failed, now=clock.now(), stall_after=STALL)  # running, alive
        assert refused.value.code == "job_not_retryable"
        assert "đang chạy" in refused.value.message
    clock.advance(timedelta(seconds=STALL + 1))
    with get_db(app).session() as session:
        assert jobs.retry(session, failed, now=clock.now(), stall_after=STALL).state == "queued"
        session.commit()
    with get_db(app).session() as session:
        assert jobs.dispatchable(session, now=clock.now(), stall_after=STALL) == [failed]


def test_a_guard_key_gives_one_job_per_thing_made(app: Flask, loaded, clock):
    first = _new_job(app, clock, guard_key="renditions:7")
    again = _new_job(app, clock, guard_key="renditions:7")
    other = _new_job(app, clock, guard_key="renditions:8")
    assert first == again != other


def test_jobs_are_visible_to_their_user_and_the_organisation_s_admins_only():
    mine = JobFacts(organisation="ubnd-tinh", user_id=5)
    clerk = Actor("a", "ubnd-tinh", frozenset({Role.REGISTRAR}), user_id=5)
    colleague = Actor("b", "ubnd-tinh", frozenset({Role.REGISTRAR}), user_id=6)
    admin = Actor("c", "ubnd-tinh", frozenset({Role.ADMIN}), user_id=7)
    stranger = Actor("d", "snv", frozenset({Role.ADMIN}), user_id=8)
    assert can(clerk, Action.READ_JOB, mine) and can(admin, Action.READ_JOB, mine)
    assert not can(colleague, Action.READ_JOB, mine)
    assert not can(stranger, Action.READ_JOB, mine)
