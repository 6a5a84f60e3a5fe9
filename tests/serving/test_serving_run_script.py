"""``scripts/run.sh`` serves docgen the way ``make run`` does: gunicorn and a job worker reach
``/readyz`` = ready on a temp instance folder and a free port, and Ctrl-C leaves nothing
running — LibreOffice included."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import terminal_signals

ROOT = Path(__file__).resolve().parents[2]
DOCGEN = str(Path(sys.executable).with_name("docgen"))

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """Return status, headers and body of a GET (an HTTP error status is a result too)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def descendants(root: int) -> dict[int, str]:
    """Return every live descendant of process ``root`` (Linux ``/proc``): pid → name."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        parents[int(entry.name)], names[int(entry.name)] = int(fields[1]), name
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = names[pid]
                frontier.append(pid)
    return found


def alive(pid: int) -> bool:
    """Return whether ``pid`` runs (a zombie waiting for its reaper does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Return the environment of a server on a temp instance folder and a free port."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    return {
        **clean,
        "DOCGEN_INSTANCE_DIR": str(tmp_path / "instance"),
        "DOCGEN_BIND": f"127.0.0.1:{free_port()}",
        "DOCGEN_CONVERTER_WORKERS": "1",
        "DOCGEN_RENDITIONS_ON_ISSUE": "1",
    }


@pytest.mark.parametrize(
    ("target", "signum"),
    [("group", signal.SIGINT), ("script", signal.SIGTERM)],
    ids=["ctrl-c", "sigterm-to-script"],
)
def test_run_script_serves_until_stopped_and_leaves_no_process(env, tmp_path, target, signum):
    for command in (["init-db"], ["load-records"]):  # what `make run` does before run.sh
        done = subprocess.run([DOCGEN, *command], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    base = f"http://{env['DOCGEN_BIND']}"
    log = (tmp_path / "run.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "run.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
        preexec_fn=terminal_signals,  # and Ctrl-C neither blocked nor ignored
    )
    try:

        def ready():
            try:
                status, headers, body = get(f"{base}/readyz")
            except OSError:
                return None
            return (status, headers, json.loads(body)) if status == 200 else None

        status, headers, body = wait_until(ready, 120, "/readyz = 200")
        assert body["status"] == "ready"
        assert all(body["checks"][name]["ok"] for name in ("database", "migrations", "queue"))
        assert headers["Server"] == "docgen"  # no version banner
        status, _, health = get(f"{base}/healthz")
        assert (status, json.loads(health)) == (200, {"status": "ok"})
        assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600

        # An issuance queues its renditions: the worker starts LibreOffice to make them.
        issued = subprocess.run(
            [DOCGEN, "issue", "--record", "ke-hoach-2017"], env=env, capture_output=True, text=True
        )
        assert issued.returncode == 0, issued.stderr
        wait_until(
            lambda: "soffice.bin" in descendants(server.pid).values(), 180, "soffice.bin to run"
        )
        running = descendants(server.pid)
        names = sorted(running.values())
        assert names.count("gunicorn") >= 3 or names.count("python") >= 3, names

        if target == "group":
            os.killpg(server.pid, signum)  # Ctrl-C: the whole foreground group
        else:
            os.kill(server.pid, signum)  # a supervisor stopping the script alone
        assert server.wait(timeout=120) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    left = {pid: name for pid, name in running.items() if alive(pid)}
    assert not left, f"left running: {left}\n{(tmp_path / 'run.log').read_text()[-3000:]}"
    group = subprocess.run(
        ["ps", "-o", "pid=,stat=,comm=", "-g", str(server.pid)], capture_output=True, text=True
    )
    assert [line for line in group.stdout.splitlines() if " Z" not in line] == []
