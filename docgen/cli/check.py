"""``docgen check``: list a DOCX's deviations from Decree 30 Appendix I (exit 1 on errors)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from docgen.checker import Finding, NotDocxError, Severity, check_docx
from docgen.uploads import PackageRejected

EXIT_OK, EXIT_ERRORS, EXIT_NOT_DOCX = 0, 1, 2


def format_finding(finding: Finding) -> str:
    """Return the one-line form: "[rule] location: message" (warnings marked as such)."""
    lead = "Cảnh báo — " if finding.severity is Severity.WARNING else ""
    return f"[{finding.rule}] {finding.location}: {lead}{finding.message}"


def summary_line(findings: list[Finding], *, checked: int = 1, unreadable: int = 0) -> str:
    """Return the closing line in Vietnamese: counts of errors and warnings, and the verdict."""
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    scope = "Kết quả"
    if checked != 1 or unreadable:
        scope = f"Tổng cộng {checked} tệp đã kiểm tra"
        if unreadable:
            scope += f", {unreadable} tệp không đọc được"
    if not findings:
        return f"{scope}: không phát hiện sai lệch thể thức."
    verdict = "chưa đúng thể thức" if errors else "không có lỗi thể thức"
    return f"{scope}: {errors} lỗi, {warnings} cảnh báo — {verdict}."


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In danh sách sai lệch dạng JSON.")
def check(files: tuple[Path, ...], as_json: bool) -> None:
    """Kiểm tra thể thức văn bản DOCX theo Phụ lục I Nghị định 30/2020/NĐ-CP.

    In mỗi sai lệch trên một dòng “[quy tắc] vị trí: nội dung”; mã thoát 1 khi có lỗi,
    2 khi một tệp không phải DOCX hoặc quá lớn để mở.
    """
    status = EXIT_OK
    found: list[tuple[Path, Finding]] = []
    unreadable = 0
    for path in files:
        try:
            findings = check_docx(path)
        except (NotDocxError, PackageRejected) as exc:
            click.echo(f"Lỗi: {exc.message}", err=True)
            status, unreadable = EXIT_NOT_DOCX, unreadable + 1
            continue
        found += [(path, f) for f in findings]
        if not as_json:
            if len(files) > 1:
                click.echo(f"== {path} ==")
            for finding in findings:
                click.echo(format_finding(finding))
            click.echo(summary_line(findings))
    if as_json:
        rows = [{"file": str(path), **f.to_dict()} for path, f in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif len(files) > 1:
        click.echo(
            summary_line(
                [f for _, f in found], checked=len(files) - unreadable, unreadable=unreadable
            )
        )
    if status == EXIT_OK and any(f.severity is Severity.ERROR for _, f in found):
        status = EXIT_ERRORS
    click.get_current_context().exit(status)


COMMANDS = [check]
