"""Small typed readers for settings that come from the environment.

Every reader raises ``ImproperlyConfigured`` naming the variable when its value
cannot be used, so a typo in a deployment fails at start-up, not at request time.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlparse, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no), got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str], *, upper: bool = False) -> str:
    value = (os.environ.get(name) or default).strip()
    if upper:
        value = value.upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}.")
    return value


def _pg_options(options: dict) -> dict:
    """Connection options from the URL, with ``-c jit=off`` added to the server
    options when the URL does not set ``jit`` itself."""
    server = options.get("options", "")
    if "jit" not in server:
        server = f"{server} -c jit=off".strip()
    return {**options, "options": server}


def database_from_url(name: str, url: str, *, base_dir: Path) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/db?opt=v`` into a
    Django DATABASES entry. PostgreSQL goes through psycopg 3."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        options = dict(parse_qsl(parts.query, strict_parsing=bool(parts.query)))
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an unreadable query string {parts.query!r}.") from None
    if scheme == "sqlite":
        path = unquote(parts.path)
        if path in ("", "/"):
            raise ImproperlyConfigured(f"{name} must name a SQLite file, e.g. sqlite:///db.sqlite3.")
        # sqlite:///relative.db -> relative to the project; sqlite:////abs/path.db -> absolute.
        path = path[1:]
        if path == ":memory:":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        file = Path(path)
        if not file.is_absolute():
            file = base_dir / file
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(file),
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host:5432/db.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port in {url!r}.") from None
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": _url_int(name, options, "conn_max_age", 60),
            "CONN_HEALTH_CHECKS": True,
            # JIT compilation off unless the URL says otherwise: the dashboard's
            # queries run in milliseconds, and compiling them cost up to 50 ms each
            # (docs/PERFORMANCE.md).
            "OPTIONS": {"connect_timeout": _url_int(name, options, "connect_timeout", 5), **_pg_options(options)},
        }
        return config
    raise ImproperlyConfigured(f"{name} must start with sqlite:// or postgres://, got scheme {scheme or '(none)'!r}.")


def _url_int(name: str, options: dict, key: str, default: int) -> int:
    value = options.pop(key, None)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} option {key} must be a whole number, got {value!r}.") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name} option {key} must not be negative, got {number}.")
    return number


# Words that give a value away as an example rather than a secret: the
# .env.example value ("change-me-to-a-long-random-string-...") and the ones
# tutorials and templates use. Compared without case, "-", "_" or spaces.
_PLACEHOLDER_WORDS = (
    "changeme",
    "changethis",
    "replaceme",
    "replacethis",
    "yoursecret",
    "secretkeyhere",
    "putyour",
    "placeholder",
    "example",
    "insecure",
    "notsecret",
    "dummy",
    "longrandomstring",
)


def looks_like_placeholder(value: str) -> bool:
    """Whether a secret is an example value (e.g. the one in .env.example)
    rather than a random one."""
    squashed = "".join(ch for ch in value.lower() if ch.isalnum())
    return any(word in squashed for word in _PLACEHOLDER_WORDS)


EMAIL_SCHEMES = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_from_env() -> dict:
    """Django's EMAIL_* settings from ``EMAIL_URL`` (``smtp://user:pass@host:587?tls=1``,
    ``smtps://...`` for implicit TLS, ``console://``, ``locmem://``) or, without it,
    from EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_HOST_USER and
    EMAIL_HOST_PASSWORD. Raises ``ImproperlyConfigured`` naming a bad value."""
    url = env_str("EMAIL_URL")
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in EMAIL_SCHEMES:
            raise ImproperlyConfigured(
                f"EMAIL_URL must start with one of {', '.join(sorted(EMAIL_SCHEMES))}://, got {parsed.scheme!r}."
            )
        query = parse_qs(parsed.query)
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
        flag = lambda key: query.get(key, ["0"])[0].lower() in {"1", "true", "yes", "on"}  # noqa: E731
        return {
            "EMAIL_BACKEND": EMAIL_SCHEMES[parsed.scheme],
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": port or (465 if parsed.scheme == "smtps" else 587 if parsed.scheme == "submission" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_TLS": flag("tls") or parsed.scheme == "submission",
            "EMAIL_USE_SSL": flag("ssl") or parsed.scheme == "smtps",
        }
    use_tls, use_ssl = env_bool("EMAIL_USE_TLS", False), env_bool("EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
    host = env_str("EMAIL_HOST")
    return {
        "EMAIL_BACKEND": (EMAIL_SCHEMES["smtp"] if host else env_str("EMAIL_BACKEND") or EMAIL_SCHEMES["console"]),
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": env_int("EMAIL_PORT", 25, minimum=1),
        "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER") or "",
        "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD") or "",
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
