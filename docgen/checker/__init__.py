"""The Decree-30 format checker: ``check_docx`` lists a DOCX's deviations from Appendix I.

It reads any DOCX, docgen's own or one typed in Word, resolves the formatting Word would
show, finds the elements by their text, and returns one ``Finding`` per deviation, with
the rule's id, a Vietnamese message citing the Decree, and where it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from docgen.checker.body import check_body
from docgen.checker.docx_read import NotDocxError, open_docx, read
from docgen.checker.elements import check_header
from docgen.checker.model import Finding, Report, Severity
from docgen.checker.page import check_fonts, check_page, check_page_numbers, header_footer_paras
from docgen.checker.signer import check_noi_nhan, check_signer
from docgen.checker.structure import locate
from docgen.checker.title import check_kinh_gui, check_title, check_trailing_appendix

__all__ = ["Finding", "NotDocxError", "Severity", "check_docx", "has_errors"]


def check_docx(source: bytes | str | Path | IO[bytes]) -> list[Finding]:
    """Return the deviations of a DOCX (bytes, a path or a binary stream) from Decree 30.

    Raises NotDocxError when ``source`` is not a readable DOCX, ``PackageRejected`` when it
    is larger than docgen opens (``docgen.uploads``), before anything is parsed.
    """
    view = read(open_docx(source))
    structure = locate(view)
    report = Report()
    check_page(view, structure, report)
    check_fonts(view, header_footer_paras(view), report)
    parsed = check_header(view, structure, report)
    check_title(view, structure, parsed, report)
    check_kinh_gui(structure, report)
    check_body(structure, report)
    check_signer(structure, report)
    check_noi_nhan(structure, report)
    check_trailing_appendix(structure, report)
    check_page_numbers(view, report)
    return report.findings


def has_errors(findings: list[Finding]) -> bool:
    """Return True when any finding is an error (not only warnings)."""
    return any(f.severity is Severity.ERROR for f in findings)
