"""The warm converter's lifecycle against real soffice processes: a killed, hung or worn-out
office is replaced; missing LibreOffice is reported at first use; no office outlives Python."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from docgen.errors import ConversionError
from docgen.rendering.pdf import (
    ConversionCrashed,
    ConversionTimeout,
    Converter,
    LibreOfficeMissing,
    soffice_convert,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SYMBOL_LINE = "Số: 05/KH-UBND"
DATE_LINE = "Kiên Giang, ngày 09 tháng 3 năm 2017"


def make_docx(paragraphs: int = 0) -> bytes:
    """Return a short DOCX with the number and date lines, plus ``paragraphs`` of filler."""
    document = docx.Document()
    document.add_paragraph(SYMBOL_LINE)
    document.add_paragraph(DATE_LINE)
    sentence = "Thường xuyên đẩy mạnh công tác tuyên truyền tư tưởng thi đua yêu nước. "
    for index in range(paragraphs):
        document.add_paragraph(f"{index}. " + sentence * 3)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Return once ``condition()`` holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        threading.Event().wait(0.01)


@pytest.fixture(scope="module")
def solo() -> Iterator[Converter]:
    """One worker, so the crash and hang tests know which office serves the next job."""
    pool = Converter(workers=1, timeout=30)
    pool.start()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def plan() -> bytes:
    return make_docx()


def _office_pid(pool: Converter) -> int:
    pool.start()  # waits for a worker that is restarting
    (status,) = pool.health()
    assert status["answered"] is True
    return status["office_pid"]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# --- crashes and hangs -----------------------------------------------------------------------


def test_sigkill_mid_conversion_fails_that_request_only(solo: Converter, plan: bytes) -> None:
    pid = _office_pid(solo)
    long_document = make_docx(paragraphs=800)  # ~35 pages: a while to convert
    outcome: list[BaseException] = []

    def convert() -> None:
        try:
            solo.to_pdf(long_document)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=convert)
    worker.start()
    wait_until(lambda: solo.health()[0]["state"] == "busy")
    os.kill(pid, signal.SIGKILL)
    worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ConversionCrashed)
    assert "LibreOffice dừng đột ngột" in outcome[0].message
    assert SYMBOL_LINE in pdf_text(solo.to_pdf(plan))  # the next job succeeds
    assert _office_pid(solo) != pid


def test_a_hung_office_times_out_and_is_replaced(solo: Converter, plan: bytes) -> None:
    pid = _office_pid(solo)
    outcome: list[BaseException] = []
    began = time.monotonic()

    def convert() -> None:
        try:
            solo.to_pdf(make_docx(paragraphs=800), timeout=2.0)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=convert)
    worker.start()
    # Stopped mid-job (an idle one is replaced before its next job: test_pdf_workers.py).
    wait_until(lambda: solo.health()[0]["state"] == "busy")
    os.kill(pid, signal.SIGSTOP)  # the office stops answering, as a hung one does
    worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ConversionTimeout)
    assert 2.0 <= time.monotonic() - began < 12
    assert "quá thời gian cho phép (2 giây)" in outcome[0].message
    assert outcome[0].http_status == 503
    assert SYMBOL_LINE in pdf_text(solo.to_pdf(plan))
    wait_until(lambda: _gone(pid))  # killed and reaped, stopped or not
    assert _office_pid(solo) != pid


def test_health_kills_and_replaces_an_office_that_does_not_answer(solo: Converter) -> None:
    pid = _office_pid(solo)
    os.kill(pid, signal.SIGSTOP)
    (status,) = solo.health(timeout=0.5)
    assert status["answered"] is False and status["state"] == "restarting"
    assert status["last_error"] == "không trả lời kiểm tra sức khỏe"
    assert _gone(pid)
    assert _office_pid(solo) != pid


def test_a_tiny_timeout_on_a_real_job_and_recovery(solo: Converter, plan: bytes) -> None:
    restarts = solo.health()[0]["restarts"]
    with pytest.raises(ConversionTimeout):
        solo.to_pdf(plan, timeout=0.01)
    assert DATE_LINE in pdf_text(solo.to_pdf(plan))
    assert solo.health()[0]["restarts"] == restarts + 1


def test_worker_restarts_after_max_conversions(plan: bytes) -> None:
    with Converter(workers=1, max_conversions=2) as pool:
        pool.to_pdf(plan)
        first = _office_pid(pool)
        pool.to_pdf(plan)  # the second job reaches the limit: the office is replaced
        second = _office_pid(pool)
        assert second != first and _gone(first)
        assert pool.health()[0]["restarts"] == 1
        assert SYMBOL_LINE in pdf_text(pool.to_pdf(plan))
        assert _office_pid(pool) == second
    assert pool.health()[0]["state"] == "stopped" and _gone(second)
    with pytest.raises(ConversionError, match="đã đóng"):
        pool.to_pdf(plan)


# --- lifecycle -------------------------------------------------------------------------------


def test_missing_libreoffice_is_reported_at_first_use(
    plan: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    configured = Converter(workers=1, soffice="/nonexistent/soffice")  # no error yet
    with pytest.raises(LibreOfficeMissing) as missing:
        configured.to_pdf(plan)
    assert "apt-get install libreoffice-writer-nogui python3-uno" in missing.value.message
    assert "/nonexistent/soffice" in missing.value.message
    configured.close()
    monkeypatch.setenv("PATH", "/nonexistent")
    with Converter(workers=1) as on_path, pytest.raises(LibreOfficeMissing, match="PATH"):
        on_path.to_pdf(plan)
    with pytest.raises(LibreOfficeMissing):
        soffice_convert(plan)


def test_an_office_that_cannot_start_is_a_conversion_error(plan: bytes) -> None:
    with Converter(workers=1, soffice="/bin/false") as broken:
        with pytest.raises(ConversionError, match="Không khởi động được LibreOffice") as failed:
            broken.to_pdf(plan)
        assert "mã 1" in failed.value.message
        assert broken.health()[0]["state"] == "stopped"  # the next job will try again


def test_offices_do_not_outlive_the_python_process(plan: bytes) -> None:
    script = (
        "import sys\n"
        "from docgen.rendering.pdf import Converter\n"
        "converter = Converter(workers=1)\n"
        "converter.to_pdf(sys.stdin.buffer.read())\n"
        "print(converter.health()[0]['office_pid'])\n"
    )  # no close(): the atexit hook must stop the office
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        input=plan,
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    pid = int(result.stdout)
    survived = not _gone(pid)
    if survived:
        os.kill(pid, signal.SIGKILL)  # clean up before failing
    assert not survived
    assert result.stderr == b""


def test_each_app_has_its_own_lazy_converter_and_renderer(tmp_path: Path) -> None:
    from docgen import create_app
    from docgen.runtime import close_converter, get_converter, get_renderer

    def make(name: str):
        return create_app({
            "DOCGEN_DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3",
            "DOCGEN_AUTO_MIGRATE": False,
            "DOCGEN_CONVERTER_WORKERS": 2,
            "DOCGEN_CONVERTER_TIMEOUT": 45,
        })  # fmt: skip

    first, second = make("a"), make("b")
    mine = get_converter(first)
    try:
        assert get_converter(first) is mine and get_converter(second) is not mine
        assert get_renderer(first) is not get_renderer(second)
        assert mine.workers == 2 and mine.timeout == 45
        assert [status["state"] for status in mine.health()] == ["stopped", "stopped"]  # lazy
        close_converter(first)
        assert mine.closed and get_converter(first) is not mine  # a closed one is replaced
    finally:
        close_converter(first)
        close_converter(second)
