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

from docgen.errors import NotFound, RecordsError
from docgen.records.checks import CODE, Checker
from docgen.records.types import (
    Campaign,
    DocumentRecord,
    Organisation,
    RecipientList,
    RegisterSpec,
    Signer,
)
from docgen.records.validate import INVALID, RecordProblem, Report, build, check_nfc, join

T = TypeVar("T")

# (file name, top-level key, record type, what Vietnamese users call one record)
KINDS: tuple[tuple[str, str, type, str], ...] = (
    ("organisations.yaml", "organisations", Organisation, "cơ quan, tổ chức"),
    ("signers.yaml", "signers", Signer, "người ký"),
    ("registers.yaml", "registers", RegisterSpec, "sổ đăng ký văn bản"),
    ("recipient-lists.yaml", "recipient_lists", RecipientList, "danh sách nơi nhận"),
    ("campaigns.yaml", "campaigns", Campaign, "đợt thi đua"),
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
            f"Không có {what} mã “{code}” trong dữ liệu tham chiếu.", record=what, code=code
        ) from None


class _UniqueKeyLoader(yaml.SafeLoader):
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


def load_records(path: Path, *, templates: Path | Iterable[str] | None = None) -> Records:
    """Return the records in folder ``path``; raise ``RecordsError`` listing every problem.

    ``templates`` is the folder of template schemas (or their codes) that documents may name;
    by default the ``templates`` folder beside ``path``, as in the project layout.
    """
    folder = Path(path)
    problems: list[RecordProblem] = []

    def reporter(file: Path) -> Report:
        label = f"{folder.name}/{file.relative_to(folder).as_posix()}"
        return lambda where, message: problems.append(RecordProblem(label, where, message))

    if not folder.is_dir():
        raise RecordsError([RecordProblem(str(folder), "", "không tìm thấy thư mục dữ liệu")])
    expected = {name for name, *_ in KINDS}
    for extra in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        if extra.name not in expected:
            reporter(extra)("", f"tệp không được dùng (các tệp: {', '.join(sorted(expected))})")

    entries: dict[str, list[_Entry]] = {}
    known: dict[str, set[str] | None] = {}
    for name, key, _, _ in KINDS:
        report = reporter(folder / name)
        data = _read(folder / name, report)
        check_nfc(data, "", report)
        items = _items(data, key, report)
        entries[key] = [_Entry(p, raw, report) for p, raw in items or ()]
        known[key] = None if items is None else {_raw_code(e.raw) for e in entries[key]}
    entries["documents"] = []
    for file in sorted((folder / DOCUMENTS_DIR).glob("*.yaml")):
        report = reporter(file)
        data = _read(file, report)
        check_nfc(data, "", report)
        if data is not INVALID:
            entries["documents"].append(_Entry("", data, report))
            code = data.get("code") if isinstance(data, Mapping) else None
            if isinstance(code, str) and code != file.stem:
                report("code", f"mã văn bản phải trùng tên tệp “{file.stem}”")
    known["documents"] = {_raw_code(e.raw) for e in entries["documents"]}

    types_by_key = {key: cls for _, key, cls, _ in KINDS} | {"documents": DocumentRecord}
    maps: dict[str, dict[str, Any]] = {}
    for key, items in entries.items():
        maps[key] = {}
        for entry in items:
            entry.record = build(types_by_key[key], entry.raw, entry.path, entry.report)
            _check_code(entry, maps[key])

    template_report = reporter(folder / DOCUMENTS_DIR)
    checker = Checker(
        organisations=maps["organisations"],
        signers=maps["signers"],
        templates=_template_codes(
            folder.parent / "templates" if templates is None else templates, template_report
        ),
        known=known,
    )
    taken: dict[tuple[str, str], str] = {}  # (organisation, doctype) → register code
    checks: dict[str, Callable[[Any, str, Report], None]] = {
        "organisations": checker.organisation,
        "signers": checker.signer,
        "registers": lambda r, p, rep: checker.register(r, p, rep, taken),
        "recipient_lists": checker.recipient_list,
        "campaigns": checker.campaign,
        "documents": checker.document,
    }
    for key, items in entries.items():
        for entry in items:
            if entry.record is not None:
                checks[key](entry.record, entry.path, entry.report)

    if problems:
        raise RecordsError(problems)
    return Records(**{key: MappingProxyType(found) for key, found in maps.items()})


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
