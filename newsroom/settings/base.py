"""Settings shared by every environment; overlays adjust them."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "briefs.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "markdownx",
    "csp",
    "axes",
    # Second factor for staff: authenticator apps (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Rate limits of the readers' feedback form, counted in the shared cache.
    "django_ratelimit",
    "briefs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before everything else: a cached public page skips all that follows.
    # It is stored with the headers the middleware below gave it (the
    # Content-Security-Policy included, which uses no nonce).
    "briefs.public.page_cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "briefs.public.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: tells whether the session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "briefs.ops.security.PermissionDeniedLogMiddleware",
    # Inside the 403 logging: staff pages wait for the second factor.
    "briefs.two_factor.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: turns a lockout into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "django.template.context_processors.i18n",
                "briefs.public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The server, cron commands and a shell share the file: readers never wait
    # for a writer (WAL), a writer waits for another instead of failing, and
    # takes its lock when its transaction starts rather than failing halfway.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("NEWSROOM_SQLITE_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata/loaddata (and so backups) keep datetimes to the microsecond.
SERIALIZATION_MODULES = {"json": "briefs.ops.exact_json"}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French is the source language of every text; English is the translation.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Paris")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# Language tabs load jQuery UI from our static files, never from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One cache that every process reads (the web server's workers, cron
# commands, a shell): public pages are never kept in one process's memory.
# The database's own table by default (created by migrate), Redis when set.
# Keys carry the release (briefs.public.freshness.cache_key): a deployment never
# serves what the previous one cached. NEWSROOM_RELEASE names it (a commit
# id); unset, a hash of the code, templates and translations does.
NEWSROOM_RELEASE = env_str("NEWSROOM_RELEASE")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsroom_cache",
        "KEY_FUNCTION": "briefs.public.freshness.cache_key",
        "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
    }
}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
        "KEY_FUNCTION": "briefs.public.freshness.cache_key",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }

# Readers' feedback (briefs.public.feedback): answers per address and
# period, counted in the default cache; the address itself is never stored.
NEWSROOM_FEEDBACK_RATE = env_str("NEWSROOM_FEEDBACK_RATE", "10/h")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "briefs.public.feedback.reader_address"
if CACHES["default"]["BACKEND"] != "django_redis.cache.RedisCache":
    # The database's cache increments a count by reading then writing it:
    # two answers in the same instant may both be counted once. For a
    # feedback form's limit that is close enough; Redis (production) is exact.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Public pages (briefs.public.page_cache): how long a page may stay in the cache at
# most (it is replaced as soon as what it shows changes; 0 turns the cache
# off), and the max-age browsers and CDNs are told.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 24 * 3600)
NEWSROOM_PUBLIC_MAX_AGE = env_int("NEWSROOM_PUBLIC_MAX_AGE", 60)

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "redaction@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
# Seconds an SMTP server may keep a sender waiting; the mail is retried later.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)

# Mail is written to an outbox in the transaction of what it announces
# (briefs.editorial.outbox). After the commit it is sent by a background thread of the
# process ("thread"), in the request itself ("inline", for tests), or only by
# the send_queued_mail command ("off"); that command retries failures.
NEWSROOM_MAIL_SEND_AFTER_COMMIT = env_str("NEWSROOM_MAIL_SEND_AFTER_COMMIT", "thread")
NEWSROOM_MAIL_MAX_ATTEMPTS = env_int("NEWSROOM_MAIL_MAX_ATTEMPTS", 10)
# Wait before the first retry; doubled after each failure, at most six hours.
NEWSROOM_MAIL_RETRY_SECONDS = env_int("NEWSROOM_MAIL_RETRY_SECONDS", 60)
# A sender that crashed mid-send leaves its claim; others take the row after this.
NEWSROOM_MAIL_CLAIM_SECONDS = env_int("NEWSROOM_MAIL_CLAIM_SECONDS", 300)
# Where the links in mail point: the public address of the site, no trailing slash.
NEWSROOM_SITE_URL = env_str("NEWSROOM_SITE_URL", "http://127.0.0.1:8000")

LOGIN_URL = "admin:login"

# Security headers sent in every environment (prod adds HTTPS-only ones).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp 4): scripts, styles and images from our
# own origin only. No page, public or admin, has inline scripts or style
# attributes; JSON-LD blocks are data and are not affected by script-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *env_list("NEWSROOM_CSP_IMG_HOSTS")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login brute-force protection (django-axes): after AXES_FAILURE_LIMIT failed
# attempts for one username from one IP address, that pair is locked out for
# the cool-off time (answer 429). A wrong second-factor code counts as a failed
# login too; only a complete sign-in (password, then the code when one is
# asked) resets the counter, which briefs.two_factor.attempts does itself:
# django-axes would reset it on the password alone.
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
# Submitted codes are never stored with the failed attempts.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_USERNAME_CALLABLE = "briefs.ops.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Client address: REMOTE_ADDR by default. Behind N trusted proxies that append
# to X-Forwarded-For, set NEWSROOM_PROXY_COUNT=N (ipware then takes the address
# the outermost of our proxies saw, which a client cannot forge); optionally
# NEWSROOM_TRUSTED_PROXIES lists the proxies' address prefixes.
AXES_IPWARE_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_PROXY_TRUSTED_IPS = env_list("NEWSROOM_TRUSTED_PROXIES") or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    if AXES_IPWARE_PROXY_COUNT or AXES_IPWARE_PROXY_TRUSTED_IPS
    else ("REMOTE_ADDR",)
)

# Markdown editing: one rendering function for preview and publication.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "briefs.editorial.revisions.markdownify"
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = env_int("NEWSROOM_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MARKDOWNX_EDITOR_RESIZABLE = True

# The demo brief and its BibTeX ship with the app; the variable points
# seed_demo (and the tests that read the demo files) at another copy.
NEWSROOM_FIXTURES_DIR = Path(
    env_str("NEWSROOM_FIXTURES_DIR", str(BASE_DIR / "briefs" / "demo_content"))
)
NEWSROOM_SITE_NAME = env_str("NEWSROOM_SITE_NAME", "Brèves myologie")
NEWSROOM_PREVIEW_MAX_AGE = env_int("NEWSROOM_PREVIEW_MAX_AGE", 7 * 24 * 3600)
NEWSROOM_PAGE_SIZE = env_int("NEWSROOM_PAGE_SIZE", 20)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
# Staff holding the review or publish permission (and superusers) must sign in
# with a second factor; on by default whenever DEBUG is off (the overlays
# set it again after their own DEBUG). Whoever enrolled uses it in any case.
NEWSROOM_2FA_REQUIRED = env_bool("NEWSROOM_2FA_REQUIRED", not DEBUG)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME
# Nobody reads a secret or a recovery code back from the admin, superusers
# included: resetting a second factor means deleting it.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
NEWSROOM_BACKUP_DIR = Path(env_str("NEWSROOM_BACKUP_DIR", str(BASE_DIR / "backups")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed logins, lockouts and permission denials (briefs.ops.security, axes).
        "newsroom.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint (a page's PDF) reports each step of every rendering.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
