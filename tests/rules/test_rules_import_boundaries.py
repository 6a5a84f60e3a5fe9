"""Import boundaries, checked in a fresh interpreter: what importing a module really loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import docgen

PACKAGE = Path(docgen.__file__).parent


def _modules(package: str) -> list[str]:
    folder = PACKAGE / package
    return sorted(f"docgen.{package}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__")


def _loaded_after(module: str) -> set[str]:
    """Return the names in ``sys.modules`` after a fresh interpreter imports ``module``."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout))


def _tops(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("module", [*_modules("rules"), "docgen.domain"])
def test_rules_and_domain_types_load_no_framework_yaml_or_records(module):
    loaded = _loaded_after(module)
    assert not _tops(loaded) & {"flask", "werkzeug", "sqlalchemy", "yaml", "docx", "docxtpl"}
    assert not {n for n in loaded if n.startswith(("docgen.records", "docgen.rendering"))}


@pytest.mark.parametrize("module", _modules("services"))
def test_services_load_no_flask(module):
    assert not _tops(_loaded_after(module)) & {"flask", "werkzeug", "flask_login"}


def test_the_database_module_loads_no_flask():
    loaded = _loaded_after("docgen.database")
    assert "sqlalchemy" in _tops(loaded)
    assert not _tops(loaded) & {"flask", "werkzeug"}


def test_the_boundaries_cover_the_rule_and_service_modules():
    assert {"docgen.rules.signers", "docgen.rules.recipients"} <= set(_modules("rules"))
    assert {"docgen.services.issuance", "docgen.services.verify"} <= set(_modules("services"))
