"""Two interface languages: the machinery (default language, Accept-Language,
the switcher), Chinese pages and admin, translated model labels, and the
zh-Hans catalogue itself (complete, compiled, and covering every marked string).

The rest of the suite runs in English (tests/conftest.py); these tests ask for
Chinese explicitly."""

import gettext as gnu_gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from registry.models import AccountStatus, Organisation, Ownership, Sector
from tests.factories import administrator, make_cohort_with_adoption, viewer

BASE_DIR = Path(__file__).resolve().parent.parent
PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _msgfmt():
    """The path of msgfmt, or a skip (a failure in CI, where .ci/run installs gettext)."""
    path = shutil.which("msgfmt")
    if path is None:
        message = "msgfmt is missing: install Debian's gettext package (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


# --------------------------------------------------------------------------- settings and machinery


def _settings_in_subprocess(**environ):
    code = "from django.conf import settings; print(settings.LANGUAGE_CODE)"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_default_language_is_chinese_and_comes_from_the_environment():
    assert _settings_in_subprocess().stdout.strip() == "zh-hans"
    assert _settings_in_subprocess(LANGUAGE_CODE="en").stdout.strip() == "en"
    bad = _settings_in_subprocess(LANGUAGE_CODE="fr")
    assert bad.returncode != 0 and "LANGUAGE_CODE must be one of" in bad.stderr


def test_languages_and_middleware_order():
    assert settings.LANGUAGES == [("zh-hans", "简体中文"), ("en", "English")]
    middleware = settings.MIDDLEWARE
    session = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert middleware[session + 1] == "django.middleware.locale.LocaleMiddleware"


@pytest.mark.django_db
def test_without_accept_language_the_configured_default_is_used(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html and "Log in" not in html


@pytest.mark.django_db
def test_the_browser_language_is_honoured(client):
    zh = client.get(reverse("login"), **ZH).content.decode()
    assert "<h1>登录</h1>" in zh and "用户名" in zh and "密码" in zh
    en = client.get(reverse("login"), **EN).content.decode()
    assert "<h1>Log in</h1>" in en and "用户名" not in en


@pytest.mark.django_db
def test_the_switcher_works_before_logging_in_and_the_choice_survives(client):
    """An anonymous visitor on the login page presses the other language; the
    cookie set by set_language wins over the browser's Accept-Language."""
    page = client.get(reverse("login"), **EN).content.decode()
    form = re.search(
        r'<form method="post" action="(/i18n/setlang/)" class="inline language-switch">(.*?)</form>', page, re.S
    )
    assert form, "the login page has no language switcher"
    assert 'name="language" value="zh-hans"' in form.group(2) and ">简体中文</button>" in form.group(2)
    response = client.post(form.group(1), {"language": "zh-hans", "next": reverse("login")}, **EN)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    again = client.get(reverse("login"), **EN).content.decode()
    assert "<h1>登录</h1>" in again
    assert 'value="en"' in again and ">English</button>" in again  # now offers the way back


@pytest.mark.django_db
def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}, **EN)
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_signed_in_pages_speak_chinese(client):
    make_cohort_with_adoption(members=4, wechat=3, weibo=1)
    client.force_login(viewer())
    html = client.get(reverse("dashboard:overview"), **ZH).content.decode()
    for words in ("总览", "企业", "人员", "发言", "来源", "公开数据", "简报", "传播力指数", "退出登录", "筛选", "重置"):
        assert words in html, words
    for words in (">Overview<", ">Companies<", ">Log out<", ">Apply<", ">Reset<"):
        assert words not in html, words


@pytest.mark.django_db
def test_the_admin_follows_the_chosen_language(client):
    client.force_login(administrator())
    zh = client.get(reverse("admin:index"), **ZH).content.decode()
    assert "企业新媒体名录" in zh  # our site header
    assert "机构" in zh and "名单成员" in zh  # model names from the catalogue
    assert "最近动作" in zh or "我的动作" in zh  # Django's own zh-Hans admin catalogue
    assert 'class="inline language-switch"' in zh and ">English</button>" in zh  # the switcher, in the admin too
    en = client.get(reverse("admin:index"), **EN).content.decode()
    assert "New-media registry" in en and "Organisations" in en and "企业新媒体名录" not in en


@pytest.mark.django_db
def test_admin_change_form_labels_and_choices_are_chinese(client):
    client.force_login(administrator())
    html = client.get(reverse("admin:registry_organisation_add"), **ZH).content.decode()
    for words in ("英文名称", "中文名称", "所有制", "行业", "统一社会信用代码", "中央企业（国资委监管）", "分类"):
        assert words in html, words


def test_model_labels_and_choices_are_translated():
    with translation.override("zh-hans"):
        assert str(Organisation._meta.verbose_name) == "机构"
        assert str(Organisation._meta.get_field("name_zh").verbose_name) == "中文名称"
        assert str(Ownership.CENTRAL_SOE.label) == "中央企业（国资委监管）"
        assert str(Sector.PETROCHEMICALS.label) == "石油、天然气和化工"
        assert str(AccountStatus.CLOSED.label) == "已注销"
    with translation.override("en"):
        assert str(Organisation._meta.verbose_name) == "organisation"
        assert str(Ownership.CENTRAL_SOE.label) == "Central SOE (SASAC-supervised)"


@pytest.mark.django_db
def test_plural_forms_render_in_both_languages(client):
    """Counts go through ngettext: English says "1 row" and "3 rows", Chinese has one form."""
    make_cohort_with_adoption(members=3, wechat=3, weibo=1)
    client.force_login(viewer())
    en = client.get(reverse("dashboard:company_list"), **EN).content.decode()
    assert re.search(r"\b3 rows\.", en)
    zh = client.get(reverse("dashboard:company_list"), **ZH).content.decode()
    assert "共3条。" in zh


@pytest.mark.django_db
def test_error_pages_speak_the_visitors_language(client):
    client.force_login(viewer())
    zh = client.get("/no-such-page/", **ZH)
    assert zh.status_code == 404 and "页面不存在" in zh.content.decode()
    en = client.get("/no-such-page/", **EN)
    assert en.status_code == 404 and "Not found" in en.content.decode()


# --------------------------------------------------------------------------- the catalogue


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", os.devnull, str(PO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics


def _catalog(mo_path):
    with open(mo_path, "rb") as handle:
        return dict(gnu_gettext.GNUTranslations(handle)._catalog)


def test_committed_mo_matches_a_fresh_compile_of_the_po(tmp_path):
    """A fresh clone shows Chinese without gettext installed, so the .mo is
    committed; it must say exactly what the .po says."""
    fresh = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "-o", str(fresh), str(PO)], check=True, timeout=60)
    assert MO.exists(), "locale/zh_Hans/LC_MESSAGES/django.mo is missing: run `make messages`"
    committed, compiled = _catalog(MO), _catalog(fresh)
    stale = sorted(str(k) for k in set(committed) ^ set(compiled)) + sorted(
        str(k) for k in set(committed) & set(compiled) if committed[k] != compiled[k]
    )
    assert not stale, f"the committed .mo differs from the .po (run `make messages`): {stale[:10]}"


def _msgids(po_path):
    """(context, msgid) of every entry of a .po file, read with msgfmt-compatible rules."""
    entries, current, field = set(), {}, None
    for line in po_path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                entries.add((current.get("msgctxt"), current["msgid"]))
            current, field = {}, None
            continue
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            field = match.group(1)
            current[field] = match.group(2)
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
    return entries


def test_every_marked_string_in_the_sources_is_in_the_catalogue(tmp_path, settings):
    """makemessages on a copy of the sources: a string marked for translation
    but missing from the committed .po (a new string nobody translated) fails."""
    _msgfmt()
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "__pycache__", "*.mo", "backups")
    for name in ("config", "dashboard", "registry", "templates", "locale"):
        shutil.copytree(BASE_DIR / name, copy / name, ignore=ignore)
    shutil.copy(BASE_DIR / "manage.py", copy / "manage.py")
    before = _msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [copy / "locale"]  # makemessages writes into LOCALE_PATHS[0]: the copy, never the tree
    previous = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, no_location=True, verbosity=0)
    finally:
        os.chdir(previous)
    after = _msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = sorted(after - before, key=str)
    assert not missing, f"strings marked for translation but not in the catalogue (run `make messages`): {missing[:20]}"
