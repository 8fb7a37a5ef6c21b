from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and ``manage.py load_demo``. It imports every other app; none imports it."""

    name = "demo"
    verbose_name = "Demo data"
