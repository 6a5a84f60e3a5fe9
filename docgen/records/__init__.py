"""Recorded reference data: the validating YAML loader over the types of ``docgen.domain``."""

from __future__ import annotations

from docgen.records.loader import Records, load_records
from docgen.records.validate import RecordProblem

__all__ = ["RecordProblem", "Records", "load_records"]
