"""Findings of the format checker, the Decree references they cite, and number formatting."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One deviation from Decree 30 Appendix I."""

    rule: str  # stable id: "PL1.I.margins.left", "PL1.II.3.number"
    message: str  # Vietnamese: what was found, what the rule requires, the Decree reference
    location: str  # "trang 1, Quốc hiệu", "đoạn 14 (“Thực hiện…”)", "bảng chữ ký"
    severity: Severity

    def to_dict(self) -> dict[str, str]:
        """Return the finding as a JSON-ready mapping."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "location": self.location,
            "message": self.message,
        }


_PL1 = "Phụ lục I Nghị định 30/2020/NĐ-CP"
# Longest matching prefix wins: rule ids name the part of Appendix I they come from.
_REFERENCES: dict[str, str] = {
    "PL1.I.paper": "Phần I, mục I, khoản 1",
    "PL1.I.orientation": "Phần I, mục I, khoản 2",
    "PL1.I.margins": "Phần I, mục I, khoản 3",
    "PL1.I.font": "Phần I, mục I, khoản 4",
    "PL1.I.color": "Phần I, mục I, khoản 4",
    "PL1.I.page-number": "Phần I, mục I, khoản 7",
    "PL1.II.1": "Phần I, mục II, khoản 1",
    "PL1.II.2": "Phần I, mục II, khoản 2",
    "PL1.II.3": "Phần I, mục II, khoản 3",
    "PL1.II.4": "Phần I, mục II, khoản 4",
    "PL1.II.5a": "Phần I, mục II, khoản 5, điểm b",
    "PL1.II.5b": "Phần I, mục II, khoản 5, điểm b",
    "PL1.II.6": "Phần I, mục II, khoản 6, điểm e",
    "PL1.II.6.can-cu": "Phần I, mục II, khoản 6, điểm a",
    "PL1.II.6.heading": "Phần I, mục II, khoản 6, điểm đ",
    "PL1.II.6.end-mark": "mẫu trình bày tại Phụ lục III",
    "PL1.II.7": "Phần I, mục II, khoản 7",
    "PL1.II.9a": "Phần I, mục II, khoản 9, điểm b và d",
    "PL1.II.9b": "Phần I, mục II, khoản 9, điểm d",
    "PL1.III.1": "Phần I, mục III, khoản 1",
}


def reference(rule: str) -> str:
    """Return the Decree reference of ``rule``: "Phụ lục I …, Phần I, mục I, khoản 3"."""
    best = max(
        (
            p
            for p in _REFERENCES
            if rule == p or rule.startswith(p + ".") or rule.startswith(p + "-")
        ),
        key=len,
        default=None,
    )
    where = _REFERENCES.get(best or "", "")
    if where.startswith("mẫu"):
        return f"{where} Nghị định 30/2020/NĐ-CP"
    return f"{_PL1}, {where}" if where else _PL1


class Report:
    """Collects findings; every message gets the Decree reference of its rule appended."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def error(self, rule: str, location: str, message: str) -> None:
        """Record an ERROR finding."""
        self.add(rule, location, message, Severity.ERROR)

    def warning(self, rule: str, location: str, message: str) -> None:
        """Record a WARNING finding (a doubt, or a draft, not a breach)."""
        self.add(rule, location, message, Severity.WARNING)

    def add(self, rule: str, location: str, message: str, severity: Severity) -> None:
        """Record a finding, appending the Decree reference of ``rule`` to ``message``."""
        text = f"{message} ({reference(rule)})"
        self.findings.append(Finding(rule, text, location, severity))


def num(value: float, digits: int = 1) -> str:
    """Return a number the Vietnamese way: "12", "12,5" (decimal comma, no trailing zeros)."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def mm(value: float) -> str:
    """Return millimetres with one decimal: "25,0 mm"."""
    return f"{value:.1f}".replace(".", ",") + " mm"


def sizes_text(sizes: list[float]) -> str:
    """Return font sizes for a message: "12 pt", "12 và 14 pt"."""
    parts = [num(s) for s in sorted(set(sizes))]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
    return f"{joined} pt"


def span_range(low: float, high: float) -> str:
    """Return a size range for a message: "13–14 pt", or "12 pt" when both ends agree."""
    return f"{num(low)} pt" if low == high else f"{num(low)}–{num(high)} pt"
