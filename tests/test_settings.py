"""Settings from the environment: typed readers, production defaults, and
start-up refusing unusable values. Production cases run in a subprocess with a
clean environment, as a deployment would start."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
PROD_SECRET = secrets.token_urlsafe(50)


# --------------------------------------------------------------------------- readers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("true", True),
        ("1", True),
        (" YES ", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env.env_bool("FLAG", not expected) is expected


def test_env_bool_default_and_bad_value(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env.env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean.*'maybe'"):
        env.env_bool("FLAG", False)


def test_env_int(monkeypatch):
    monkeypatch.delenv("N", raising=False)
    assert env.env_int("N", 7) == 7
    monkeypatch.setenv("N", " 42 ")
    assert env.env_int("N", 7, minimum=1) == 42
    monkeypatch.setenv("N", "")
    assert env.env_int("N", 7) == 7
    monkeypatch.setenv("N", "4.5")
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number, got '4.5'"):
        env.env_int("N", 7)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="N must be at least 1, got 0"):
        env.env_int("N", 7, minimum=1)


def test_env_str_and_list(monkeypatch):
    monkeypatch.setenv("S", "  value ")
    assert env.env_str("S") == "value"
    monkeypatch.delenv("S")
    assert env.env_str("S", "fallback") == "fallback"
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ,")
    assert env.env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert env.env_list("HOSTS", ["x"]) == ["x"]


def test_env_choice(monkeypatch):
    monkeypatch.setenv("LEVEL", "warning")
    assert env.env_choice("LEVEL", "INFO", {"INFO", "WARNING"}, upper=True) == "WARNING"
    monkeypatch.setenv("LEVEL", "loud")
    with pytest.raises(ImproperlyConfigured, match="LEVEL must be one of .*'LOUD'"):
        env.env_choice("LEVEL", "INFO", {"INFO", "WARNING"}, upper=True)


# --------------------------------------------------------------------------- DATABASE_URL


def test_sqlite_urls(tmp_path):
    relative = env.database_from_url("DATABASE_URL", "sqlite:///db.sqlite3", base_dir=tmp_path)
    assert relative["ENGINE"] == "django.db.backends.sqlite3"
    assert relative["NAME"] == str(tmp_path / "db.sqlite3")
    absolute = env.database_from_url("DATABASE_URL", "sqlite:////var/lib/app/db.sqlite3", base_dir=tmp_path)
    assert absolute["NAME"] == "/var/lib/app/db.sqlite3"
    memory = env.database_from_url("DATABASE_URL", "sqlite:///:memory:", base_dir=tmp_path)
    assert memory["NAME"] == ":memory:"


def test_postgres_url_with_everything(tmp_path):
    config = env.database_from_url(
        "DATABASE_URL",
        "postgresql://reg%40user:p%3Ass@db.internal:6543/news%20db?sslmode=require&conn_max_age=0&connect_timeout=3",
        base_dir=tmp_path,
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "reg@user",
        "p:ss",
        "db.internal",
        "6543",
        "news db",
    )
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"] == {"connect_timeout": 3, "sslmode": "require", "options": "-c jit=off"}


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://u@h/db", "must start with sqlite:// or postgres://, got scheme 'mysql'"),
        ("db.sqlite3", "got scheme '(none)'"),
        ("sqlite://", "must name a SQLite file"),
        ("postgres://u@h:5432/", "must name a database"),
        ("postgres://u@h:port/db", "invalid port"),
        ("postgres://u@h:99999/db", "invalid port"),
        ("postgres://u@h/db?conn_max_age=forever", "conn_max_age must be a whole number, got 'forever'"),
        ("postgres://u@h/db?connect_timeout=-1", "connect_timeout must not be negative"),
        ("postgres://u@h/db?sslmode", "unreadable query string"),
    ],
)
def test_bad_database_urls_name_the_variable(tmp_path, url, message):
    with pytest.raises(ImproperlyConfigured, match="^DATABASE_URL") as error:
        env.database_from_url("DATABASE_URL", url, base_dir=tmp_path)
    assert message in str(error.value)


# --------------------------------------------------------------------------- the test settings


def test_accounts_settings():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_ADDRESS_FAILURE_LIMIT == 30
    # Failures counted per username and address, and per address across usernames (config/login_throttle.py).
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], ["ip_address"]]
    assert settings.AXES_HANDLER == "config.login_throttle.AddressAwareHandler"


def test_content_security_policy_allows_no_inline_or_remote_script():
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in settings.CONTENT_SECURITY_POLICY.split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in settings.CONTENT_SECURITY_POLICY


# --------------------------------------------------------------------------- production start-up


def _run(code: str, **environ) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


_DUMP = """
import json
from django.conf import settings
keys = ["DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS", "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF", "AXES_COOLOFF_TIME"]
print(json.dumps({k: getattr(settings, k, None) for k in keys}, default=str))
"""


def _prod(**extra) -> dict:
    return {"DEBUG": "false", "SECRET_KEY": PROD_SECRET, "ALLOWED_HOSTS": "example.org", **extra}


def test_check_deploy_reports_nothing_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **_prod()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_defaults_are_secure():
    result = _run(_DUMP, **_prod())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["ALLOWED_HOSTS"] == ["example.org"]


def test_behind_a_proxy_the_forwarded_scheme_is_trusted_and_redirect_can_be_left_to_the_proxy():
    result = _run(_DUMP, **_prod(BEHIND_PROXY="true", SECURE_SSL_REDIRECT="false", AXES_COOLOFF_MINUTES="30"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["AXES_COOLOFF_TIME"] == "0:30:00"


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY must be set when DEBUG is false"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is false"),
        ({"SECRET_KEY": "short-but-not-empty-0123456789-abcdef"}, "SECRET_KEY must be a random value of at least 50"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY must be a random value"),
        # Long and varied enough, but an example value, not a secret.
        ({"SECRET_KEY": "change-me-to-a-long-random-string-of-50-characters-or-more"}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "CHANGE_ME_please_" + "Zq9xW2vB7nK4" * 4}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "your-secret-key-here-" + "a8Jk2LmQ9pX" * 4}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "replace me with something long and random 0123456789"}, "SECRET_KEY is a placeholder"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list the host names"),
        ({"DEBUG": "sometimes"}, "DEBUG must be a boolean"),
        ({"SESSION_COOKIE_AGE": "eight hours"}, "SESSION_COOKIE_AGE must be a whole number"),
        ({"SESSION_COOKIE_AGE": "10"}, "SESSION_COOKIE_AGE must be at least 60"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT must be at least 1"),
        ({"SECURE_HSTS_SECONDS": "-5"}, "SECURE_HSTS_SECONDS must be at least 0"),
        ({"BEHIND_PROXY": "nginx"}, "BEHIND_PROXY must be a boolean"),
        ({"SECURE_COOKIES": "2"}, "SECURE_COOKIES must be a boolean"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be one of"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone name"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must start with sqlite:// or postgres://"),
        ({"DATABASE_REPLICA_URL": "postgres://u@h:x/db"}, "DATABASE_REPLICA_URL has an invalid port"),
        ({"CHART_RENDER_TIMEOUT": "soon"}, "CHART_RENDER_TIMEOUT must be a whole number"),
    ],
)
def test_unusable_environment_stops_start_up_with_a_clear_message(environ, message):
    base = _prod()
    if "DEBUG" in environ and "SECRET_KEY" not in environ and environ["DEBUG"] == "false":
        base.pop("SECRET_KEY")
    result = _run("import django; django.setup()", **{**base, **environ})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr[-2000:]
    assert message in last_line


def _manage(*args, **environ):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_code_only_commands_run_in_a_bare_checkout():
    # No DEBUG, no SECRET_KEY: inspecting the code needs no production secrets.
    assert _manage("check").returncode == 0
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("args", [("migrate", "--plan"), ("check", "--deploy"), ("dumpdata", "registry.platform")])
def test_commands_that_touch_data_or_serve_still_need_the_secret(args):
    result = _manage(*args)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_the_env_example_secret_stops_start_up_with_debug_off():
    """The value a new user copies from .env.example must not serve production."""
    example = dict(
        line.split("=", 1)
        for line in (BASE_DIR / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    result = _run("import django; django.setup()", **_prod(SECRET_KEY=example["SECRET_KEY"]))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: SECRET_KEY is a placeholder")
    assert "secrets.token_urlsafe(50)" in last_line
    # With DEBUG on (local development) the same file works.
    assert (
        _run("import django; django.setup()", **_prod(SECRET_KEY=example["SECRET_KEY"], DEBUG="true")).returncode == 0
    )


@pytest.mark.parametrize("secret", [secrets.token_urlsafe(50) for _ in range(20)])
def test_random_secrets_are_not_taken_for_placeholders(secret):
    from config.env import looks_like_placeholder

    assert not looks_like_placeholder(secret)


def test_a_lost_admin_password_can_be_reset_in_a_local_checkout(tmp_path):
    """No DEBUG, no SECRET_KEY, a SQLite database: `manage.py changepassword`
    works (it hashes a password and signs nothing), so a local administrator can
    always get back in."""
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/local.sqlite3"}
    assert _manage("migrate", "--no-input", "-v", "0", DEBUG="true", **database).returncode == 0
    created = _manage(
        "createsuperuser",
        "--no-input",
        "--username",
        "boss",
        "--email",
        "",
        DJANGO_SUPERUSER_PASSWORD="first-password-4821",
        **database,
    )
    assert created.returncode == 0, created.stderr[-2000:]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), **database}
    changed = subprocess.run(
        [sys.executable, "manage.py", "changepassword", "boss"],
        cwd=BASE_DIR,
        env=env,
        input="a-new-password-7734\na-new-password-7734\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert changed.returncode == 0, changed.stderr[-2000:]
    assert "Password changed successfully for user 'boss'" in changed.stdout
    check = _manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "print(User.objects.get(username='boss').check_password('a-new-password-7734'))",
        DEBUG="true",
        **database,
    )
    assert check.stdout.strip().endswith("True"), check.stdout + check.stderr


def test_password_reset_against_postgresql_still_needs_the_production_secret():
    result = _manage("changepassword", "boss", DATABASE_URL="postgres://postgres@127.0.0.1:5432/nowhere")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_postgres_connections_run_without_jit_unless_the_url_says_otherwise():
    from config.env import database_from_url

    plain = database_from_url("DATABASE_URL", "postgres://u@h/db", base_dir=Path("/app"))
    assert plain["OPTIONS"]["options"] == "-c jit=off"
    chosen = database_from_url("DATABASE_URL", "postgres://u@h/db?options=-c%20jit%3Don", base_dir=Path("/app"))
    assert chosen["OPTIONS"]["options"] == "-c jit=on"
    other = database_from_url(
        "DATABASE_URL", "postgres://u@h/db?options=-c%20statement_timeout%3D5000", base_dir=Path("/app")
    )
    assert other["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
