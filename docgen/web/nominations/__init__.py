"""The ``nominations`` area: an addressed organisation's desk for its nominees (issue 10).

``pages`` lists the campaigns addressing the organisation and shows its package, ``nominees``
the trích ngang form and attachments, ``importing`` the XLSX template, dry run and import,
``sending`` the cover công văn ("Gửi hồ sơ"), its update, and the recall.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("nominations", __name__)

from docgen.web.nominations import (  # noqa: E402, F401  (attach the views to ``bp``)
    importing,
    nominees,
    pages,
    sending,
)
from docgen.web.nominations.common import addressed  # noqa: E402
from docgen.web.shell import NAVIGATION_WHEN  # noqa: E402

NAVIGATION_WHEN["nominations.index"] = addressed
