"""Placeholder: filled by issue 9 work."""

from __future__ import annotations
