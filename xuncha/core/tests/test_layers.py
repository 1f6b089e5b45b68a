"""The layer order holds for relations too: no model points to a higher app, not even by a string
foreign key (import-linter sees imports only), and `apps.get_model` hides no such link."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

# ADR 0017 (layer order): the product's layers, lowest first; ferry and dashboards arrive as independent top layers.
LAYERS = ["core", "orgs", "accounts", "planning", "fieldwork", "petitions", "findings", "ferry"]
OUTSIDE = {"demo"}  # the demo loaders sit above every layer and own no model
ROOT = Path(__file__).resolve().parents[2]


def _layer(label: str) -> int | None:
    return LAYERS.index(label) if label in LAYERS else None


def test_every_xuncha_app_is_placed_in_the_layer_order():
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("xuncha.")}
    assert ours == set(LAYERS) | OUTSIDE


def test_no_relation_field_points_to_a_higher_layer():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    offending = []
    for model in apps.get_models():
        own = _layer(model._meta.app_label)
        if own is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta
            # Authorship columns (created_by, actor…) use Django's swappable user model: ADR 0017 (layer order).
            if field.related_model is user_model:
                continue
            theirs = _layer(target.app_label)
            if theirs is not None and theirs > own:
                offending.append(f"{model._meta.label}.{field.name} → {target.label}")
    assert offending == []


def test_apps_get_model_is_used_only_in_migrations_and_data_seeding():
    allowed = {"xuncha/core/seed/reference.py"}
    pattern = re.compile(r"\bapps\.get_model\(")
    found = []
    for path in (ROOT / "xuncha").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or "/tests/" in rel or rel in allowed:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            found.append(rel)
    assert found == []


def test_no_view_opens_a_sealed_value_or_writes_the_audit_log():
    """Views render what selectors return; a reveal, a download, an export is audited inside its service."""
    forbidden = re.compile(
        r"audit_record\(|open_sealed|open_bytes|open_raw|\.sealed_\w+|\.open\(\)|from xuncha\.core\.audit "
    )
    views = [*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py")]
    assert len(views) > 10
    offending = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in views
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if forbidden.search(line)
    ]
    assert offending == []
