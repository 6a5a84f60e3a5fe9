"""Load the recorded reference data in ``records/`` into typed records, or report every problem.

One YAML file per kind (``organisations.yaml``, ``signers.yaml``, ``registers.yaml``,
``recipient-lists.yaml``, ``campaigns.yaml``) holds a list under a key of the same name;
``documents/<code>.yaml`` holds one document record each. Loading is all or nothing: every
problem in every file is collected, then ``RecordsError`` lists them and nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from docgen.domain import (
    Campaign,
    DocumentRecord,
    Organisation,
    RecipientList,
    RegisterSpec,
    Signer,
)
from docgen.errors import NotFound, RecordsError
from docgen.records.checks import CODE, Checker
from docgen.records.validate import INVALID, RecordProblem, Report, build, check_nfc, join

T = TypeVar("T")

# (file name, top-level key = Records attribute, record type)
KINDS: tuple[tuple[str, str, type], ...] = (
    ("organisations.yaml", "organisations", Organisation),
    ("signers.yaml", "signers", Signer),
    ("registers.yaml", "registers", RegisterSpec),
    ("recipient-lists.yaml", "recipient_lists", RecipientList),
    ("campaigns.yaml", "campaigns", Campaign),
)
DOCUMENTS_DIR = "documents"


@dataclass(frozen=True)
class Records:
    """Every recorded reference, by code in file order; implements ``RecordLookup``."""

    organisations: Mapping[str, Organisation]
    signers: Mapping[str, Signer]
    registers: Mapping[str, RegisterSpec]
    recipient_lists: Mapping[str, RecipientList]
    campaigns: Mapping[str, Campaign]
    documents: Mapping[str, DocumentRecord]

    def organisation(self, code: str) -> Organisation:
        """Return the organisation ``code`` or raise ``NotFound``."""
        return _get(self.organisations, code, "cơ quan, tổ chức")

    def signer(self, code: str) -> Signer:
        """Return the signer ``code`` or raise ``NotFound``."""
        return _get(self.signers, code, "người ký")

    def recipient_list(self, code: str) -> RecipientList:
        """Return the recipient list ``code`` or raise ``NotFound``."""
        return _get(self.recipient_lists, code, "danh sách nơi nhận")

    def campaign(self, code: str) -> Campaign:
        """Return the campaign ``code`` or raise ``NotFound``."""
        return _get(self.campaigns, code, "đợt thi đua")

    def document(self, code: str) -> DocumentRecord:
        """Return the document record ``code`` or raise ``NotFound``."""
        return _get(self.documents, code, "văn bản mẫu")


def _get(mapping: Mapping[str, T], code: str, what: str) -> T:
    try:
        return mapping[code]
    except KeyError:
        raise NotFound(
            f"Không có {what} mã “{code}” trong dữ liệu tham chiếu.", record=what, key=code
        ) from None


# libyaml's parser when PyYAML was built with it (about 4× faster); the safe constructor either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key written twice (PyYAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"khóa “{key}” được viết hai lần", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read(path: Path, report: Report) -> Any:
    """Return the YAML document in ``path``, or INVALID after reporting why it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        report("", "thiếu tệp")
        return INVALID
    except UnicodeDecodeError as exc:
        report("", f"tệp không phải UTF-8 (byte {exc.start})")
        return INVALID
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"dòng {mark.line + 1}" if mark else ""
        report(where, f"lỗi cú pháp YAML: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        report("", f"lỗi cú pháp YAML: {exc}")
    return INVALID


def _items(data: Any, key: str, report: Report) -> list[tuple[str, Any]] | None:
    """Return (path, raw record) pairs under the file's top-level ``key``, or None if unusable."""
    if data is INVALID:
        return None
    if not isinstance(data, Mapping) or set(data) != {key}:
        report("", f"tệp phải có đúng một khóa “{key}:” chứa danh sách")
        return None
    items = data[key]
    if items is None:
        return []
    if not isinstance(items, list):
        report(key, "phải là một danh sách")
        return None
    return [(join(key, i), raw) for i, raw in enumerate(items)]


def _template_codes(templates: Path | Iterable[str], report: Report) -> frozenset[str] | None:
    if not isinstance(templates, Path):
        return frozenset(templates)
    if not templates.is_dir():
        report("", f"không tìm thấy thư mục mẫu văn bản “{templates}”")
        return None
    return frozenset(p.stem for p in templates.glob("*.yaml"))


@dataclass
class _Entry:
    """One raw record on its way to being built and checked."""

    path: str
    raw: Any
    report: Report
    record: Any = None


Reporter = Callable[[Path], Report]  # the report function of one file


def load_records(path: Path, *, templates: Path | Iterable[str] | None = None) -> Records:
    """Return the records in folder ``path``; raise ``RecordsError`` listing every problem.

    ``templates`` is the folder of template schemas (or their codes) that documents may name;
    by default the ``templates`` folder beside ``path``, as in the project layout.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise RecordsError([RecordProblem(str(folder), "", "không tìm thấy thư mục dữ liệu")])
    problems: list[RecordProblem] = []

    def reporter(file: Path) -> Report:
        label = f"{folder.name}/{file.relative_to(folder).as_posix()}"
        return lambda where, message: problems.append(RecordProblem(label, where, message))

    entries, known = _read_kinds(folder, reporter)
    entries["documents"], known["documents"] = _read_documents(folder / DOCUMENTS_DIR, reporter)
    found = {key: _build(key, items) for key, items in entries.items()}
    template_codes = _template_codes(
        folder.parent / "templates" if templates is None else templates,
        reporter(folder / DOCUMENTS_DIR),
    )
    checker = Checker(
        organisations=found["organisations"],
        signers=found["signers"],
        templates=template_codes,
        known=known,
    )
    _check(checker, entries)
    if problems:
        raise RecordsError(problems)
    return Records(**{key: MappingProxyType(records) for key, records in found.items()})


def _read_kinds(
    folder: Path, reporter: Reporter
) -> tuple[dict[str, list[_Entry]], dict[str, set[str] | None]]:
    """Return the raw entries of each kind's file, and the codes they name (None: unreadable)."""
    expected = [name for name, _, _ in KINDS]
    for extra in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        if extra.name not in expected:
            reporter(extra)("", f"tệp không được dùng (các tệp: {', '.join(expected)})")
    entries: dict[str, list[_Entry]] = {}
    known: dict[str, set[str] | None] = {}
    for name, key, _ in KINDS:
        report = reporter(folder / name)
        data = _read(folder / name, report)
        check_nfc(data, "", report)
        items = _items(data, key, report)
        entries[key] = [_Entry(p, raw, report) for p, raw in items or ()]
        known[key] = None if items is None else {_raw_code(e.raw) for e in entries[key]}
    return entries, known


def _read_documents(folder: Path, reporter: Reporter) -> tuple[list[_Entry], set[str]]:
    """Return the raw document records, one per file, and their codes (the file names)."""
    for stray in sorted(folder.glob("*.yml")):
        reporter(stray)("", "tệp văn bản phải có đuôi .yaml")
    entries: list[_Entry] = []
    codes: set[str] = set()
    for file in sorted(folder.glob("*.yaml")):
        report = reporter(file)
        codes.add(file.stem)  # known even if the file is broken: its problem is reported once
        data = _read(file, report)
        check_nfc(data, "", report)
        if data is INVALID:
            continue
        entries.append(_Entry("", data, report))
        code = data.get("code") if isinstance(data, Mapping) else None
        if isinstance(code, str) and code != file.stem:
            report("code", f"mã văn bản phải trùng tên tệp “{file.stem}”")
    return entries, codes


def _build(key: str, entries: list[_Entry]) -> dict[str, Any]:
    """Return the records built from ``entries`` by code (the first of a repeated code)."""
    record_type = {k: cls for _, k, cls in KINDS}.get(key, DocumentRecord)
    found: dict[str, Any] = {}
    for entry in entries:
        entry.record = build(record_type, entry.raw, entry.path, entry.report)
        _check_code(entry, found)
    return found


def _check(checker: Checker, entries: dict[str, list[_Entry]]) -> None:
    """Apply the rules and reference checks to every record that was built."""
    taken: dict[tuple[str, str], str] = {}  # (organisation, doctype) → register code
    checks: dict[str, Callable[[Any, str, Report], None]] = {
        "organisations": checker.organisation,
        "signers": checker.signer,
        "registers": lambda r, path, report: checker.register(r, path, report, taken),
        "recipient_lists": checker.recipient_list,
        "campaigns": checker.campaign,
        "documents": checker.document,
    }
    for key, items in entries.items():
        for entry in items:
            if entry.record is not None:
                checks[key](entry.record, entry.path, entry.report)


def _raw_code(raw: Any) -> str:
    code = raw.get("code") if isinstance(raw, Mapping) else None
    return code if isinstance(code, str) else ""


def _check_code(entry: _Entry, found: dict[str, Any]) -> None:
    """Report a malformed or repeated code; keep the first record of each code."""
    record = entry.record
    if record is None:
        return
    where = join(entry.path, "code")
    if not CODE.match(record.code):
        entry.report(where, f"mã “{record.code}” chỉ gồm chữ thường không dấu, số và dấu “-”")
    if record.code in found:
        entry.report(where, f"mã “{record.code}” bị trùng")
        return
    found[record.code] = record
