"""E-mail settings from the environment (config/env.py email_from_env)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_from_env

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "EMAIL_URL",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_BACKEND",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_email_url_with_credentials_and_tls(clean_env):
    clean_env.setenv("EMAIL_URL", "smtp://mailer%40corp:p%2Fss@mail.example.org:587?tls=1")
    assert email_from_env() == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@corp",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtps_means_ssl_on_465(clean_env):
    clean_env.setenv("EMAIL_URL", "smtps://mail.example.org")
    config = email_from_env()
    assert (config["EMAIL_PORT"], config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (465, True, False)


def test_host_variables(clean_env):
    clean_env.setenv("EMAIL_HOST", "relay.local")
    clean_env.setenv("EMAIL_PORT", "2525")
    clean_env.setenv("EMAIL_USE_TLS", "true")
    config = email_from_env()
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        SMTP,
        "relay.local",
        2525,
        True,
    )


def test_nothing_set_prints_to_the_console(clean_env):
    assert email_from_env()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    "name, value",
    [("EMAIL_URL", "http://mail.example.org"), ("EMAIL_URL", "smtp://host:notaport"), ("EMAIL_PORT", "x")],
)
def test_bad_values_name_the_variable(clean_env, name, value):
    clean_env.setenv(name, value)
    if name == "EMAIL_PORT":
        clean_env.setenv("EMAIL_HOST", "relay.local")
    with pytest.raises(ImproperlyConfigured, match=name):
        email_from_env()


def test_tls_and_ssl_together_are_refused(clean_env):
    clean_env.setenv("EMAIL_USE_TLS", "1")
    clean_env.setenv("EMAIL_USE_SSL", "1")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS"):
        email_from_env()
