"""The ``soffice`` processes behind the PDF converter: finding, launching and killing them.

No UNO here: this module starts LibreOffice on its own profile directory, in its own process
group (one ``killpg`` ends everything it spawned), cleans up what a killed office leaves in
``/tmp``, and runs the one-shot ``--convert-to pdf`` reference path.

Each office has a guardian: a tiny ``sh`` that waits on a pipe whose only writer is the Python
process that started the office. When that process dies in any way — SIGKILL and OOM kills
included, which run no ``atexit`` — the pipe closes and the guardian kills the office's
process group and deletes its profile and sockets, so no ``soffice.bin`` outlives its owner.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

INSTALL_HINT = "apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2"

# Flags for an office nobody looks at: no window, no restore dialogue, no template picker,
# no lock check (each profile is private to one process anyway).
_QUIET_FLAGS = (
    "--headless",
    "--invisible",
    "--nocrashreport",
    "--nodefault",
    "--nofirststartwizard",
    "--nolockcheck",
    "--nologo",
    "--norestore",
)

# The guardian: "read" returns at end of file (the owner died) or on a line (never written).
_GUARDIAN = 'read _ ; kill -s KILL -- -"$1" 2>/dev/null; shift; rm -rf -- "$@"'

# PDF/A-2b for the command line (LibreOffice ≥ 7.4 reads JSON filter options).
_PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def find_soffice(configured: str | os.PathLike[str] | None = None) -> str | None:
    """Return the path of the ``soffice`` executable to use, or None when there is none."""
    if configured is not None:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        return shutil.which(str(configured))
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_binary(soffice: str) -> str:
    """Return ``soffice.bin`` beside the ``soffice`` launcher, or ``soffice`` itself.

    Warm workers run ``soffice.bin`` as our direct child: the launcher (a shell script that
    execs ``oosplash``) would leave ``soffice.bin`` orphaned and unreaped when killed.
    """
    binary = Path(os.path.realpath(soffice)).with_name("soffice.bin")
    return str(binary) if binary.is_file() and os.access(binary, os.X_OK) else soffice


def soffice_command(soffice: str, profile: Path, *args: str) -> list[str]:
    """Return the argv that starts ``soffice`` headless on the private ``profile`` directory."""
    return [soffice, f"-env:UserInstallation={profile.as_uri()}", *_QUIET_FLAGS, *args]


class SofficeProcess:
    """One launched office in its own session and work directory (profile + log).

    ``pipe`` names the UNO pipe the office accepts on, so ``discard()`` can remove its socket.
    """

    RESTART_REQUESTED = 81  # soffice.bin's exit code after initialising a fresh profile

    def __init__(
        self,
        executable: str,
        args: Sequence[str],
        *,
        prefix: str = "docgen-lo-",
        pipe: str | None = None,
    ) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        self.profile = self.workdir / "profile"
        self._log_path = self.workdir / "soffice.log"
        self._argv = soffice_command(executable, self.profile, *args)
        self._pipe = pipe
        self._popen = self._spawn()
        self._guardian = self._guard()

    def _spawn(self) -> subprocess.Popen[bytes]:
        # LibreOffice's own temp files (lu*.tmp) go inside the work directory, so a killed
        # office leaves nothing behind in /tmp.
        temp = self.workdir / "tmp"
        temp.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(temp)}
        with self._log_path.open("ab") as log:
            return subprocess.Popen(
                self._argv,
                cwd=self.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches every child
            )

    def _guard(self) -> subprocess.Popen[bytes]:
        # Its own session: a Ctrl-C meant for the owner does not reach it. close_fds (the
        # default) keeps the pipe's write end out of every other child, so only our death
        # closes it.
        paths = [str(self.workdir), *(str(p) for p in self._socket_paths())]
        return subprocess.Popen(
            ["/bin/sh", "-c", _GUARDIAN, "docgen-guardian", str(self._popen.pid), *paths],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _dismiss_guardian(self) -> None:
        # Killed, not released: after we reap the office its pid may be reused, and the
        # guardian must never kill a process group that is no longer ours.
        with contextlib.suppress(ProcessLookupError):
            self._guardian.kill()
        self._guardian.wait()
        if self._guardian.stdin is not None:
            self._guardian.stdin.close()

    def respawn(self) -> None:
        """Start the office again on the same profile (after it asked for a restart)."""
        self._popen.wait()
        self._dismiss_guardian()
        self._popen = self._spawn()
        self._guardian = self._guard()

    @property
    def pid(self) -> int:
        """Return the pid of the process we started, the leader of its process group."""
        return self._popen.pid

    @property
    def returncode(self) -> int | None:
        """Return the exit status of the process we started, or None while it runs."""
        return self._popen.poll()

    def state(self, pid: int | None = None) -> str | None:
        """Return the Linux state letter of ``pid`` (default: the process we started): "R",
        "S", "T" (stopped), "Z" (zombie)…, or None when there is no such process."""
        try:
            stat = Path(f"/proc/{pid or self._popen.pid}/stat").read_text()
        except OSError:
            return None
        return stat[stat.rindex(")") + 2]

    def office_pid(self) -> int | None:
        """Return the pid of ``soffice.bin`` in this process group (Linux ``/proc``), or None."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Fields after the parenthesised name: state, ppid, pgrp, ...
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            if name == "soffice.bin" and int(fields[2]) == self._popen.pid:
                return int(entry.name)
        return None

    def kill(self) -> None:
        """Send SIGKILL to the whole process group; safe from any thread, at any time."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self._popen.pid, signal.SIGKILL)

    def wait(self, timeout: float) -> bool:
        """Return True when the process we started exited within ``timeout`` seconds."""
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def log_tail(self, limit: int = 600) -> str:
        """Return the last characters soffice printed (for error messages)."""
        try:
            text = self._log_path.read_bytes()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""
        return text.strip()

    def discard(self) -> None:
        """Kill what is left of the process group, reap it, delete its directory and sockets."""
        self._dismiss_guardian()
        self.kill()
        self.wait(10)
        shutil.rmtree(self.workdir, ignore_errors=True)
        for socket in self._socket_paths():
            socket.unlink(missing_ok=True)

    def _socket_paths(self) -> list[Path]:
        # A killed office leaves its pipes in /tmp: the UNO pipe we named, and the
        # single-instance pipe LibreOffice names after an MD5 of the profile URL (UTF-16,
        # each byte in hex without zero padding; desktop/source/app/officeipcthread.cxx).
        prefix = f"/tmp/OSL_PIPE_{os.getuid()}_"
        url = self.profile.as_uri().encode("utf-16-le")
        digest = hashlib.md5(url, usedforsecurity=False).digest()
        names = ["SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)]
        if self._pipe:
            names.append(self._pipe)
        return [Path(prefix + name) for name in names]


class OneShotFailed(Exception):
    """The one-shot ``soffice --convert-to pdf`` run produced no PDF."""


def convert_once(soffice: str, docx: bytes, *, pdfa: bool, timeout: float) -> bytes:
    """Return PDF bytes from a fresh ``soffice --convert-to pdf`` run on a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="docgen-lo-once-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        outdir = Path(tmp) / "out"
        target = _PDFA_FILTER if pdfa else "pdf"
        args = ["--convert-to", target, "--outdir", str(outdir), str(source)]
        process = SofficeProcess(soffice, args, prefix="docgen-lo-once-profile-")
        try:
            finished = process.wait(timeout)
            log = process.log_tail()
        finally:
            process.discard()
        if not finished:
            raise OneShotFailed(f"quá {timeout:g} giây")
        result = outdir / "document.pdf"
        if not result.is_file():
            raise OneShotFailed(log or f"mã thoát {process.returncode}")
        return result.read_bytes()
