"""Every audit action the code can record has a Chinese name: the audit log and its filter never show a code."""

import re
from pathlib import Path

from django.conf import settings

from xuncha.core.audit_labels import action_labels

ACTION = re.compile(r"""action=(?:f?)["']([a-z_]+\.[a-z_{}.]+)["']""")


def _recorded_actions() -> set[str]:
    found = set()
    for path in Path(settings.BASE_DIR, "xuncha").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= {a for a in ACTION.findall(path.read_text(encoding="utf-8")) if "{" not in a}
    return found


def _machine_actions() -> set[str]:
    from xuncha.accounts.resets import RESET_MACHINE
    from xuncha.core.transitions import Machine
    from xuncha.petitions.machines import PETITION_MACHINE
    from xuncha.planning.machines import APPROVAL_MACHINE, ASSIGNMENT_MACHINE

    machines: list[Machine] = [ASSIGNMENT_MACHINE, APPROVAL_MACHINE, PETITION_MACHINE, RESET_MACHINE]
    return {f"{m.audit_prefix}{code}" for m in machines if m.audit_prefix is not None for code in m.transitions}


def test_every_recorded_action_has_a_chinese_label():
    labels = action_labels()
    actions = _recorded_actions() | _machine_actions()
    assert len(actions) > 40
    missing = sorted(a for a in actions if a not in labels)
    assert missing == []
    assert all(re.search(r"[\u4e00-\u9fff]", labels[a]) for a in actions)
