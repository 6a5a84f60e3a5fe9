"""Render context that belongs to one template, in a small module named after it.

``build_context`` (``docgen.rendering.context``) makes every key the templates share; the
template-specific keys (labels printed by one template only, rows shaped for its table) are
added by the function registered here under the template's code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from docgen.rendering.per_template import bao_cao, danh_sach, trich_ngang

ExtraContext = Callable[[Mapping[str, Any], str], dict[str, Any]]  # (fields, summary) → keys

EXTRA_CONTEXT: Mapping[str, ExtraContext] = {
    "bao-cao": bao_cao.context,
    "danh-sach": danh_sach.context,
    "trich-ngang": trich_ngang.context,
}
