"""Rendering: template + data → DOCX bytes (docxtpl), and DOCX → PDF (LibreOffice).

``documents`` is the public face (prepare, render); ``docx`` is the docxtpl layer under it;
``schema`` reads the field schema beside each template, whose field types (parsing, allowed
characters, form widget) are the table in ``fields``; ``builder`` makes the DOCX templates
from the shared blocks in ``blocks``.
"""
