"""The ``drafting`` area: the clerks' desk (issue 9).

``routes`` holds the draft lists and the form, ``preview`` the live page images and format
check, ``workflow`` trình ký → duyệt/trả lại → ban hành, ``recipients`` the named recipient
lists, ``dispatch`` the sending of issued documents (phát hành: envelopes, Sổ gửi).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("drafting", __name__)

from docgen.web.drafting import (  # noqa: E402, F401  (attach the views to ``bp``)
    dispatch,
    preview,
    recipients,
    routes,
    workflow,
)
