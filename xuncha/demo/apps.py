from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Every demo loader, outside the product's layers, behind one `load_demo` command."""

    name = "xuncha.demo"
    label = "demo"
    verbose_name = "演示数据"
