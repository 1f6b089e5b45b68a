"""What findings hangs on lower layers, registered once: observers and gates on their machines, labels, navigation."""


def register() -> None:
    from xuncha.findings.leads_hooks import register as register_leads
    from xuncha.findings.problems_hooks import register as register_problems

    register_leads()
    register_problems()
