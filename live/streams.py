"""Server-sent nudges (filled in below when streams are on)."""

urlpatterns: list = []


def connect() -> None:
    pass
