"""A real issuing process for the backup tests: ``docgen issue`` in a loop until told to stop.

Run as ``python tests/backup/issuer.py FOLDER NAME`` with ``DOCGEN_DATABASE_URL`` set. Each
issued DOCX is written as ``FOLDER/NAME-<n>.docx`` only after the command returned, that is
after its commit: a file there is a document the database has committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docgen import create_app


def main(folder: Path, name: str, limit: int = 200) -> int:
    """Return 0 after issuing until ``FOLDER/stop`` exists (or ``limit`` documents)."""
    app = create_app()
    runner = app.test_cli_runner()
    for n in range(limit):
        if (folder / "stop").exists():
            break
        partial = folder / f"{name}-{n}.part"
        result = runner.invoke(args=["issue", "--record", "ke-hoach-2017", "--out", str(partial)])
        if result.exit_code != 0:
            print(result.output, result.exception, file=sys.stderr)
            return 1
        partial.rename(folder / f"{name}-{n}.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
