"""Dependencies between the server's apps point downward only (DESIGN.md):

    core  <-  accounts  <-  projects  <-  tickets  <-  feature apps  <-  portal  <-  demo

A feature app never imports another feature app: it reacts to the other's domain
events, and what it adds to shared pages goes through the module registry. Type-only
imports count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import snagdesk_server

PACKAGE = Path(snagdesk_server.__file__).parent
LAYERS = {"core": 0, "accounts": 1, "projects": 2, "tickets": 3, "portal": 5, "demo": 6}
FEATURE_LAYER = 4


def _apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists())


def _layer(app: str) -> int:
    return LAYERS.get(app, FEATURE_LAYER)


def _imported_apps(path: Path, apps: list[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "snagdesk_server" and len(parts) > 1 and parts[1] in apps:
                found.add(parts[1])
    return found


def _upward_imports() -> set[tuple[str, str, str]]:
    apps = _apps()
    upward = set()
    for app in apps:
        for path in (PACKAGE / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for other in _imported_apps(path, apps) - {app}:
                same_layer_features = _layer(app) == _layer(other) == FEATURE_LAYER
                if _layer(other) > _layer(app) or same_layer_features:
                    upward.add((app, other, str(path.relative_to(PACKAGE))))
    return upward


def test_apps_import_only_the_apps_below_them() -> None:
    assert _upward_imports() == set()


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text("from snagdesk_server.portal import views\nimport snagdesk_server.core\n")

    assert _imported_apps(module, _apps()) == {"portal", "core"}
