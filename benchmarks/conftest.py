import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Benchmarks get their own test database (test_reflect_bench), so `make bench` can run while
    `make test` holds test_reflect on the same local server."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    test = db.setdefault("TEST", {})
    test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_bench"


@pytest.fixture(autouse=True)
def _quiet_job_log():
    """Each deferred job logs "Deferred 1 job" at INFO: keep the printed tables readable."""
    import logging

    logger = logging.getLogger("procrastinate")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _compiled_queries_unchecked(settings):
    """The tests check each compiled query against a fresh compile (core.compiled); a benchmark
    measures what production runs, without that check."""
    settings.COMPILED_QUERIES_CHECK = False
