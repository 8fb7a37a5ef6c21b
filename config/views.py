"""Site-wide views: /healthz and /readyz (probes), /bench/trivial (benchmarks only), the favicon,
and the 500 handler (which turns a database outage met outside a view into the 503 page; see
core/middleware.py). Other error pages need no views: Django renders templates/40x.html."""

import secrets
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from core import jobs
from core.middleware import database_unavailable_response, is_database_outage

HEALTHZ_CACHE_KEY = "reflect:healthz"


def _cache_status() -> str:
    """Answer "ok" when the cache stores and returns a value. A cache that fails open (core.cache) never
    raises, so a round trip is the one way to tell."""
    token = secrets.token_hex(8)
    try:
        cache.set(HEALTHZ_CACHE_KEY, token, 10)
        return "ok" if cache.get(HEALTHZ_CACHE_KEY) == token else "unavailable"
    except Exception:  # any backend, any failure: report it, never fail the probe over it
        return "unavailable"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: database-only liveness. 200 when the database answers
    (whatever the cache says: the app works without it, rate limits fail open), 503 when not."""
    cache_status = _cache_status()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable", "cache": cache_status}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache_status})


# Once this process has seen every migration applied, it stops looking: migrations are only ever
# added by a deploy, which starts new processes.
_migrations_applied = False


def _unapplied_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_applied = not plan
    return len(plan)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """For a load balancer deciding whether to send this app server traffic (and a deploy deciding
    whether the new release may take over): 200 when the database answers and every migration this
    code knows is applied, else 503. The cache is reported but not required: without it the app
    still works (rate limits fail open, sessions fall back to the database), and failing every
    server's readiness because Redis restarted would take the whole site down (docs/deploy.md)."""
    body = {"status": "ok", "database": "ok", "migrations": "ok", "cache": _cache_status()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        unapplied = _unapplied_migrations()
    except DatabaseError:
        body.update(status="error", database="unavailable", migrations="unknown")
        return JsonResponse(body, status=503)
    if unapplied:
        body.update(status="error", migrations=f"{unapplied} unapplied")
        return JsonResponse(body, status=503)
    body["workers"] = _worker_status()
    return JsonResponse(body)


def _worker_status() -> str:
    """Reported, never a reason for 503: a worker down stops mail and notices, not the site (the
    supervisor restarts it; ``manage.py check_workers`` alerts)."""
    alive = jobs.workers_alive()
    return f"{alive} alive" if alive else f"none checked in within {jobs.WORKER_SILENCE_SECONDS} s"


@never_cache
@require_GET
def bench_trivial(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick (`make bench-http`): the same middleware as every page (session,
    user, CSRF, CSP, time zone…) and almost nothing else. 404 unless BENCH_TRIVIAL_VIEW is on."""
    if not settings.BENCH_TRIVIAL_VIEW:
        raise Http404
    who = "member" if request.user.is_authenticated else "visitor"
    return HttpResponse(f"ok {who}\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; point them at the real icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside its ``except`` block, so the exception is at hand: a
    database outage raised by a middleware (e.g. loading the signed-in member for their time zone)
    gets the 503 page that keeps the member's text; anything else the static 500 page, rendered
    without a context so it cannot fail the same way."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return database_unavailable_response(request, error)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
