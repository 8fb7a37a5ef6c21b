"""Reflect settings: the only settings module.

Everything that differs between machines comes from the environment. Defaults are safe for
production (DEBUG off, HTTPS on); `make run` switches on the development conveniences and
`make test`/pytest set the few switches tests need (see pyproject.toml, [tool.pytest_env]).
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accounts import sso_settings  # single sign-on from the environment (plain Python; registers its check)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- Core ---
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("SITE_NAME", "Reflect")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # Single sign-on (accounts/sso.py, docs/sso.md): OpenID Connect and SAML organisations.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "markdownx",
    "template_partials",
    "django_htmx",
    "csp",
    "django_ratelimit",
    "core",
    "accounts",
    "lessons",
    "community",
    "moderation",
    "procrastinate.contrib.django",
    "notifications",
    "search",
    "insights",
    "journal",
    "learning_records",  # learning records (xAPI): a leaf
    # LTI 1.3 (lti/, docs/lti.md): django-lti's models (registrations, deployments, keys), then ours.
    "lti_tool",
    "lti",
    "django_eventstream",  # its stored events: a reconnecting stream catches up (Last-Event-ID)
    "live",  # live news: the space's news bar, the header's count (live/, issue 24)
    "facilitation",  # follow-through: every reflection heard, summaries, the prompt library (issue 25)
    "followthrough",  # follow-through: come back to this, how my reflections landed, read by (issue 25)
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.PrivatePagesMiddleware",  # Cache-Control: private for members, no-store for downloads
    "core.middleware.DevelopmentNotFoundMiddleware",  # DEBUG: the real 404 page, not the list of routes
    "core.middleware.RejectNulMiddleware",  # 400 for NUL in the URL or a form, before the database
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # LTI: a launched session may be framed by its platform (lti/frames.py); here, so that on the way
    # out it runs after the session cookie and X-Frame-Options are set and before the CSP is written.
    "lti.frames.LaunchedFrameMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language), else LANGUAGE_CODE; no language prefix in URLs.
    # accounts.middleware.UserTimezoneMiddleware then activates the member's own language if set.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",  # last: a view's database outage → 503 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database: PostgreSQL only ---
# `make run` and `make test` start a project-local PostgreSQL (scripts/localdb.py) and set
# DATABASE_URL when none is given, so the settings always read it from the environment.
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "Set DATABASE_URL to a PostgreSQL server, or run through `make run` / `make test`, "
        "which start a local one."
    )
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Reflect runs on PostgreSQL only: DATABASE_URL must be postgres://…")
# Behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer), consecutive transactions may run
# on different server connections, so nothing may outlive a transaction: no server-side cursors
# (QuerySet.iterator() would otherwise open a named cursor that vanishes). Django's queries carry no
# other session state (time zone and encoding are tracked by PgBouncer itself), and Django binds
# parameters client-side, so no prepared statements. The worker connects directly (docs/deploy.md).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "pgbouncer"}:
    raise ImproperlyConfigured('DATABASE_POOLER must be empty or "pgbouncer".')
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (shared by every app server), else per-process memory ---
# The cache holds the rate-limit counters (django-ratelimit, allauth) and nothing else that matters:
# if Redis goes away, core.cache.FailOpenRedisCache turns every call into a logged miss, so limits
# fail open and members keep posting and signing in (docs/decisions.md, docs/reliability.md).
# Security counters (sign-in lockouts, rate limits) live in their own alias, "ratelimits", never
# beside cached fragments: a cache flood under allkeys-lru must not evict them (issue 21, item 23).
# REDIS_RATELIMIT_URL is a Redis with maxmemory-policy noeviction (docs/deploy.md); without it the
# counters share REDIS_URL and `check --deploy` warns (core.W002).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_RATELIMIT_URL = os.environ.get("REDIS_RATELIMIT_URL", "")
RATELIMIT_USE_CACHE = "ratelimits"  # django-ratelimit; allauth's limits are pointed here by core/apps.py
if REDIS_URL:
    # Seconds; a Redis that stops answering must not hold a request for long.
    _REDIS_OPTIONS = {
        "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
        "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "1")),
    }
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_OPTIONS,
        },
        "ratelimits": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_RATELIMIT_URL or REDIS_URL,
            "KEY_PREFIX": "rl",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
    # django-ratelimit's list of supported backends predates Django's own Redis backend, which
    # increments atomically (Redis INCR), so its "not officially supported" warning is noise.
    _SILENCED_CACHE_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimits"},
    }
    # Per-process memory is not shared between app servers, so each process counts rate limits on
    # its own (limits become per-process, never off). Fine for one server. django-ratelimit calls
    # that an error (E003), which would stop the app starting, so it is silenced here and replaced
    # by our own deploy check, core.W001, which `manage.py check --deploy` reports (core/checks.py).
    _SILENCED_CACHE_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Sessions: in the cache, written through to the database ---
# Every app server reads the same Redis, so a sign-in made on one is valid on all of them, and a
# session read costs no query while Redis is up. "cached_db" writes each session to the database
# too, so a Redis restart (or the fail-open cache's outage window) signs nobody out: a miss falls
# back to the database row and refills the cache (docs/decisions.md, docs/deploy.md).
# accounts.sessions: cached_db, and a sign-out the cache dropped is retried by a job (issue 21,
# item 25), so a stalled Redis cannot keep an ended session alive.
SESSION_ENGINE = "accounts.sessions"

# --- Auth / allauth ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, each reading the member's standing with their row (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER"):  # tests only: hashing is deliberately slow otherwise
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "handle"
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# Single sign-on: sign-in and sign-up refuse an address whose organisation requires its own sign-in.
ACCOUNT_FORMS = {"login": "accounts.sso.LoginForm", "signup": "accounts.sso.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 2
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.handle_validators"
# Handles that could pass for the site, its staff or a placeholder (compared case-insensitively);
# accounts.validators also refuses "former_…", the shape of a deleted member's name.
ACCOUNT_USERNAME_BLACKLIST = [
    "admin", "admins", "administrator", "administrators", "staff", "moderator", "moderators",
    "facilitator", "facilitators", "reflect", "support", "help", "helpdesk", "system", "root",
    "security", "abuse", "postmaster", "webmaster", "noreply", "no_reply", "official", "me",
    "null", "none", "nil", "undefined", "anonymous", "unknown", "deleted", "former", "everyone",
]  # fmt: skip
ACCOUNT_PRESERVE_USERNAME_CASING = False

# allauth's rate limits, "count/period/per" joined by commas, per "ip", "key" (the email or account)
# or "user". Sized for a classroom: 40 people behind one office address can all sign up and sign
# in within minutes, while the per-account limit still stops guessing one member's password.
# Each is overridable, e.g. ACCOUNT_RATE_LIMIT_SIGNUP="100/h/ip" (README, settings table).
_ALLAUTH_RATE = re.compile(r"\d+/\d*[smhd](/(ip|key|user))?")


def env_allauth_rates(action: str, default: str) -> str:
    name = f"ACCOUNT_RATE_LIMIT_{action.upper()}"
    rates = os.environ.get(name, default).replace(" ", "")
    if rates and not all(_ALLAUTH_RATE.fullmatch(rate) for rate in rates.split(",")):
        raise ImproperlyConfigured(
            f'{name} must look like "60/m/ip,5/5m/key" (count/period/per, comma-separated).'
        )
    return rates


ACCOUNT_RATE_LIMITS = {
    action: env_allauth_rates(action, default)
    for action, default in {
        "login": "60/m/ip",  # every sign-in attempt; allauth's default is 30
        "login_failed": "60/m/ip,5/5m/key",  # a room of typos per address; five guesses per account
        "signup": "60/h/ip",  # a cohort behind one address; one account per email anyway
        "confirm_email": "1/3m/key",
        "reset_password": "20/m/ip,5/m/key",
        "reset_password_from_key": "20/m/ip",
        "change_password": "5/m/user",
        "manage_email": "10/m/user",
    }.items()
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

# --- Single sign-on (accounts/sso.py, docs/sso.md) ---
# Organisations whose members sign in with their own identity provider: each variable a JSON list
# (README, settings table). What cannot be read is left out and `manage.py check` says why
# (accounts.E101); nothing here stops the site starting.
SSO_OIDC_PROVIDERS = os.environ.get("SSO_OIDC_PROVIDERS", "")
SSO_SAML_PROVIDERS = os.environ.get("SSO_SAML_PROVIDERS", "")
SOCIALACCOUNT_PROVIDERS = sso_settings.parse(SSO_OIDC_PROVIDERS, SSO_SAML_PROVIDERS).socialaccount_providers()
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
# An SSO sign-in whose address belongs to an existing account signs into it only where the
# organisation says "link_by_email" and its provider marks the address verified (allauth's
# default: never); linking then connects the identity, so later sign-ins need no address match.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False  # the identity is all Reflect needs; no provider tokens kept
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in button POSTs (with its CSRF token)
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SSO_REQUESTS_TIMEOUT", 5)  # seconds per call to a provider

# --- Email ---
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds to wait for the mail server; a failed send is logged and never fails the request.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if os.environ.get("EMAIL_FILE_PATH"):  # for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Reflect <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---
LANGUAGE_CODE = "en-gb"
# The languages a member can choose (accounts.User.language) and a course is written in
# (lessons.Course.language). Adding one: docs in README, "Languages and time zones".
LANGUAGES = [
    ("en-gb", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# Timestamps in each language's own form (config/formats/<locale>/formats.py: DATETIME_FORMAT),
# shown in the viewer's own time zone: "17 Jan, 2020 10:43" in English, "17/01/2020 10:43" in
# Spanish, "17 يناير 2020، 10:43" in Arabic. A language without its own uses the English one.
FORMAT_MODULE_PATH = ["config.formats"]
DATETIME_FORMAT = "j M, Y H:i"

# --- Static files and uploads ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Markdown (django-markdownx editor; rendering is ours, see community/markdown.py) ---
MARKDOWNX_MARKDOWNIFY_FUNCTION = "core.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_SERVER_CALL_LATENCY = 600
MARKDOWNX_EDITOR_RESIZABLE = True

# --- Security ---
# HTTPS is on unless told otherwise; `make run` and the tests switch it off for plain http.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain http
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"  # links in account emails
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"  # other sites never learn which lesson or profile linked them
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Features no page needs, refused for every page (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = os.environ.get("PERMISSIONS_POLICY", "camera=(), microphone=(), geolocation=()")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS") + _SILENCED_CACHE_CHECKS

# Content Security Policy (django-csp 4): scripts only from our own static files, so an injected
# <script> or on* attribute never runs. htmx is told not to eval or inject styles (<meta
# name="htmx-config"> in base.html). Styles allow 'unsafe-inline' because Django's admin and
# markdownx set style attributes; see docs/decisions.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: everything to stderr, where a process manager collects it ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Procrastinate logs each job's arguments, and an email job's arguments hold sign-in and
    # reset links: the filter keeps the task, job id and ids, on the loggers (so every handler
    # gets the redacted record) and on the handler (a named worker logs on a child logger).
    "filters": {"hide_job_arguments": {"()": "core.jobs.HideJobArguments"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_job_arguments"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Procrastinate says at every start which tasks and periodic jobs it registered: noise.
    "loggers": {
        "procrastinate.worker": {"filters": ["hide_job_arguments"]},
        "procrastinate.worker.worker": {"filters": ["hide_job_arguments"]},  # the default worker name
        "procrastinate.jobs": {"filters": ["hide_job_arguments"]},
        "procrastinate.manager": {"filters": ["hide_job_arguments"]},
        "procrastinate.periodic": {"level": "WARNING", "filters": ["hide_job_arguments"]},
        "procrastinate.blueprints": {"level": "WARNING"},
        # fpdf2 subsets the PDF's fonts with fontTools, which logs every table it prunes.
        "fontTools": {"level": "WARNING"},
    },
}

# --- Reflect ---
REFLECTION_MAX_LENGTH = env_int("REFLECTION_MAX_LENGTH", 20_000)
# Most links (Markdown links, <autolinks> and bare addresses) and distinct @mentions in one post.
MAX_LINKS_PER_POST = env_int("MAX_LINKS_PER_POST", 50)
MAX_MENTIONS_PER_POST = env_int("MAX_MENTIONS_PER_POST", 20)
REFLECTIONS_PER_PAGE = env_int("REFLECTIONS_PER_PAGE", 20)
# A space page shows each thread's first few replies, then "Show all N replies" (the thread page).
REPLIES_SHOWN_PER_THREAD = env_int("REPLIES_SHOWN_PER_THREAD", 3)
# How long a post's rendered fragment stays in the cache (seconds). Its key holds everything the
# fragment shows, so a change is never served stale; the TTL only bounds the cache's memory.
POST_FRAGMENT_TTL = env_int("POST_FRAGMENT_TTL", 24 * 3600)
# Check each query run from its compiled SQL against the queryset compiled afresh (core.compiled): on in the tests.
COMPILED_QUERIES_CHECK = env_bool("COMPILED_QUERIES_CHECK", False)
# Off: only signed-in members read community spaces. On: anyone may read; posting still needs an account.
COMMUNITY_PUBLIC_READING = env_bool("COMMUNITY_PUBLIC_READING", False)
# Facilitator insight: a reflection with no reply from anyone but its author this long is "unheard".
UNHEARD_AFTER_HOURS = env_int("UNHEARD_AFTER_HOURS", 48)

# --- Search ---
# PostgreSQL's text-search configuration for courses in English: "english" stems English words
# (reflect, reflected and reflecting match each other) and skips stop words; "simple" only
# lower-cases. After changing it on an existing database, run `manage.py rebuild_search_columns`.
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")
if not re.fullmatch(r"[a-z_]+", SEARCH_CONFIG):
    raise ImproperlyConfigured(
        'SEARCH_CONFIG must name a text-search configuration, e.g. "english" or "simple".'
    )
# Per course language (lessons.Course.language; decision 112): each post, activity and lesson is
# indexed and searched with its course's configuration. English: SEARCH_CONFIG; Spanish stems with
# "spanish"; Arabic with "arabic" (a Snowball stemmer, see `SELECT cfgname FROM pg_ts_config`;
# else set "simple"). Changing these on an existing database: `manage.py rebuild_search_columns`.
SEARCH_CONFIGS = {
    "en-gb": SEARCH_CONFIG,
    "es": os.environ.get("SEARCH_CONFIG_ES", "spanish"),
    "ar": os.environ.get("SEARCH_CONFIG_AR", "arabic"),
}
if set(SEARCH_CONFIGS) != {code for code, _name in LANGUAGES} or not all(
    re.fullmatch(r"[a-z_]+", config) for config in SEARCH_CONFIGS.values()
):
    raise ImproperlyConfigured("SEARCH_CONFIGS needs a text-search configuration for each of LANGUAGES.")
SEARCH_RESULTS_PER_PAGE = env_int("SEARCH_RESULTS_PER_PAGE", 20)
# Longer queries are cut to this many characters (and the page says so).
SEARCH_MAX_QUERY_LENGTH = env_int("SEARCH_MAX_QUERY_LENGTH", 200)
# Posts are ranked among the newest this many that match: a word found in tens of thousands of
# posts costs the same as one found in a thousand (docs/decisions.md).
SEARCH_MAX_POSTS = env_int("SEARCH_MAX_POSTS", 1_000)

# --- Rate limits for members' actions (django-ratelimit; see community/ratelimits.py) ---
# "count/period", period s, m, h or d. Each is per member and per action. Real learners never reach
# these; scripts do. Accounts younger than a day get the stricter NEW_ACCOUNT_RATE_LIMITS. Override
# one with e.g. RATE_LIMIT_POST="30/h" or NEW_ACCOUNT_RATE_LIMIT_LIKE="60/h".
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)  # django-ratelimit's own switch
# If the cache (Redis) is unreachable, let members keep posting rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True
_RATE = re.compile(r"\d+/\d*[smhd]")


def env_rate(name: str, default: str) -> str:
    rate = os.environ.get(name, default).strip()
    if not _RATE.fullmatch(rate):
        raise ImproperlyConfigured(f'{name} must look like "20/h" (a count, "/", a period s, m, h or d).')
    return rate


_DEFAULT_RATES = {  # action: (normal rate, new-account rate)
    # A live workshop: a participant who joined that morning posts a few reflections and a burst of
    # replies within the hour (30 posts and replies in two hours is busy, not spam); a script posts
    # hundreds.
    "post": ("30/h", "15/h"),
    "reply": ("60/h", "30/h"),
    "like": ("120/h", "30/h"),
    "report": ("20/h", "5/h"),
    # The editor's live preview asks after each 600 ms pause in typing: half an hour of writing is
    # a few hundred previews, a script thousands.
    "preview": ("300/h", "120/h"),
    # Drafts: the composer saves after each pause in typing (at most every few seconds), so an
    # evening of writing is a few hundred saves.
    "draft": ("600/h", "240/h"),
    # Searches (/search/): a member looking hard for something makes dozens an hour; a visitor is
    # counted by address (public reading only), so a class behind one address shares that limit.
    "search": ("600/h", "300/h"),
    # Facilitators' reminders (each learner hears at most one per activity a day anyway).
    "nudge": ("30/h", "10/h"),
    # Learning-log downloads (/me/learning-log/: Markdown, CSV, PDF); each reads the whole log.
    "export": ("30/h", "10/h"),
}
RATE_LIMITS = {
    action: env_rate(f"RATE_LIMIT_{action.upper()}", normal) for action, (normal, _) in _DEFAULT_RATES.items()
}
NEW_ACCOUNT_RATE_LIMITS = {
    action: env_rate(f"NEW_ACCOUNT_RATE_LIMIT_{action.upper()}", new)
    for action, (_, new) in _DEFAULT_RATES.items()
}
NEW_ACCOUNT_AGE_HOURS = env_int("NEW_ACCOUNT_AGE_HOURS", 24)

# --- Moderation ---
# Open reports from this many distinct members hide a post until a moderator reviews it.
FLAG_HIDE_THRESHOLD = env_int("FLAG_HIDE_THRESHOLD", 3)
# The site's public address, for links in emails sent outside a request (e.g. "your post was hidden").
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Notifications and the background worker (Procrastinate; jobs live in PostgreSQL) ---
# Immediate emails wait this long so that a lively conversation sends one email, not ten.
NOTIFY_EMAIL_DELAY_SECONDS = env_int("NOTIFY_EMAIL_DELAY_SECONDS", 120)
# Digests go out in each member's morning: the hourly digest jobs send to members whose local time
# is in this hour (weekly: on a Monday), in their zone (accounts.locale.recipient_zone).
DIGEST_LOCAL_HOUR = env_int("DIGEST_LOCAL_HOUR", 7)
# Run background jobs in the request, right after the commit, instead of in a worker (the test
# suite's default, so a test sees the email its request caused; never in production).
JOBS_INLINE = env_bool("JOBS_INLINE", False)
# A learning-log PDF takes about 6 s per 500 posts in the worker; longer logs are offered as
# Markdown or CSV instead (journal.services.LogTooLongForPdf; issue 21, item 24).
LOG_PDF_MAX_POSTS = env_int("LOG_PDF_MAX_POSTS", 1000)

# --- Follow-through (facilitation; issue 25) ---
# "Every reflection gets a response": members not seen (signed in or in the course's spaces) for
# this many days are not offered posts, nor those who already answered this many in the activity.
FACILITATION_ACTIVE_DAYS = env_int("FACILITATION_ACTIVE_DAYS", 14)
FACILITATION_MAX_ANSWERS = env_int("FACILITATION_MAX_ANSWERS", 3)

# --- Learning records (xAPI; learning_records) ---
# The Learning Record Store's xAPI endpoint (e.g. https://lrs.example.org/xAPI/); empty: nothing is
# recorded. Basic credentials (an LRS "key" and "secret" are these), or a bearer token instead.
LRS_URL = os.environ.get("LRS_URL", "").strip()
LRS_USERNAME = os.environ.get("LRS_USERNAME", "")
LRS_PASSWORD = os.environ.get("LRS_PASSWORD", "")
LRS_TOKEN = os.environ.get("LRS_TOKEN", "")
# Statements per request to the LRS, and how long one request may take before it counts as failed.
LRS_BATCH_SIZE = env_int("LRS_BATCH_SIZE", 50)
LRS_TIMEOUT_SECONDS = env_int("LRS_TIMEOUT_SECONDS", 10)

# --- LTI 1.3 (lti/, docs/lti.md) ---
# A tool signing key replaced by `manage.py lti_rotate_keys` stays in /.well-known/jwks.json this
# many days, so platforms that cached the old key set still check what was signed before.
LTI_KEY_GRACE_DAYS = env_int("LTI_KEY_GRACE_DAYS", 7)

# --- Live news (live/, issue 24) ---
# The space's "N new reflections" bar and the header's unread count without a reload. Off: the pages
# are as without JavaScript. The browser asks every LIVE_POLL_SECONDS (a 304 when nothing changed);
# with LIVE_STREAMS it also listens to the ASGI worker's nudges (docs/deploy.md) and asks at once.
LIVE_NEWS = env_bool("LIVE_NEWS", True)
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 30)
LIVE_STREAMS = env_bool("LIVE_STREAMS", False)
LIVE_STREAM_WATCH_SECONDS = float(os.environ.get("LIVE_STREAM_WATCH_SECONDS", "1"))  # live/streams.py
EVENTSTREAM_CHANNELMANAGER_CLASS = "live.streams.ChannelManager"
# Nudges are stored (a day, trimmed as they are written): a browser whose stream dropped sends the
# last id it saw (Last-Event-ID) and is told what it missed before anything new.
EVENTSTREAM_STORAGE_CLASS = "django_eventstream.storage.DjangoModelStorage"
if LIVE_STREAMS and REDIS_URL:  # nudges reach every ASGI process (django-eventstream's fan-out)
    from redis.connection import parse_url as _redis_url

    # No read timeout: the ASGI process's subscription waits for messages (live/streams.py).
    EVENTSTREAM_REDIS = {**_redis_url(REDIS_URL), "socket_connect_timeout": 0.5}

# --- Benchmarks ---
# /bench/trivial: a near-empty page behind the same middleware as every page (session, user, CSRF,
# CSP…), which `make bench-http` compares the space page with. 404 unless switched on.
BENCH_TRIVIAL_VIEW = env_bool("BENCH_TRIVIAL_VIEW", False)
