from django.apps import AppConfig


class FindingsConfig(AppConfig):
    """What the inspection found: problems (问题底稿), immediate fixes (立行立改) and problem leads (问题线索)."""

    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题与线索"

    def ready(self) -> None:
        from xuncha.findings import hooks

        hooks.register()
