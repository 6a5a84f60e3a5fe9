"""Rendering: template + data → DOCX bytes (docxtpl), and DOCX → PDF (LibreOffice).

``documents`` is the public face (prepare, render); ``docx`` is the docxtpl layer under it;
``schema`` reads the field schema beside each template; ``builder`` makes the DOCX templates
from the shared blocks in ``blocks``.
"""
