"""Fixtures for the records tests: the real records, and broken copies of them in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgen.errors import RecordsError
from docgen.records import RecordProblem, Records, load_records

PROJECT = Path(__file__).resolve().parents[2]
RECORDS = PROJECT / "records"
TEMPLATES = PROJECT / "templates"
# A copy of the shared seed (../shared/seed/ke-hoach-2017-kien-giang.txt), so the plan record
# is compared word for word with its source.
SEED = Path(__file__).parents[1] / "data" / "ke-hoach-2017-kien-giang.txt"


@pytest.fixture(scope="session")
def records() -> Records:
    return load_records(RECORDS)


@pytest.fixture(scope="session")
def seed_body() -> list[str]:
    """Return the plan's body paragraphs in the seed, "Thực hiện …" to "Trên đây là …".

    The only correction inside the body is the stray "/ *Đào*" (seed README).
    """
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if line.startswith("Thực hiện Kế hoạch số 5"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Trên đây là Kế hoạch"))
    body = lines[start : end + 1]
    body[-1] = body[-1].replace(" / *Đào*", "")
    return body


class RecordsCopy:
    """A copy of ``records/`` to break one way, then load and inspect the problems."""

    def __init__(self, root: Path) -> None:
        self.root = root / "records"
        shutil.copytree(RECORDS, self.root)

    def text(self, file: str) -> str:
        return (self.root / file).read_text(encoding="utf-8")

    def write(self, file: str, text: str) -> None:
        (self.root / file).write_text(text, encoding="utf-8")

    def edit(self, file: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in ``file``."""
        text = self.text(file)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        self.write(file, text.replace(old, new))

    def data(self, file: str) -> Any:
        return yaml.safe_load(self.text(file))

    def mutate(self, file: str, change: Callable[[Any], None]) -> None:
        """Load ``file``, let ``change`` modify the data in place, write it back."""
        data = self.data(file)
        change(data)
        self.write(file, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))

    def index(self, file: str, key: str, code: str) -> int:
        """Return the position of record ``code`` in the list under ``key``."""
        return next(i for i, r in enumerate(self.data(file)[key]) if r["code"] == code)

    def load(self) -> Records:
        return load_records(self.root, templates=TEMPLATES)

    def problems(self) -> list[RecordProblem]:
        """Return the problems loading reports; loading must fail and return nothing."""
        with pytest.raises(RecordsError) as caught:
            self.load()
        problems = caught.value.problems
        assert problems and all(isinstance(p, RecordProblem) for p in problems)
        return problems

    def problem(self, file: str, path: str) -> RecordProblem:
        """Return the one problem reported at ``file`` / ``path`` (fails listing all of them)."""
        problems = self.problems()
        found = [p for p in problems if p.file == f"records/{file}" and p.path == path]
        assert len(found) == 1, "\n".join(str(p) for p in problems)
        return found[0]


@pytest.fixture
def broken(tmp_path: Path) -> RecordsCopy:
    return RecordsCopy(tmp_path)
