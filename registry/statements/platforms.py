"""Which platforms a text names, in English or Chinese (simplified or traditional)."""

from __future__ import annotations

import re

__all__ = ["PLATFORM_NAMES", "detect_platforms", "platform_mentions"]

_PLATFORM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (slug, re.compile(pattern, flags))
    for slug, pattern, flags in (
        ("wechat-channels", r"(?<![A-Za-z])wechat[\s-]+channels?(?![A-Za-z])|视频号|視頻號|視訊號", re.I),
        ("wechat", r"(?<![A-Za-z])(?:wechat|weixin)(?![A-Za-z])(?![\s-]+channels?\b)|微信(?!视频号|視頻號)", re.I),
        ("weibo", r"(?<![A-Za-z])(?:sina\s+)?weibo(?![A-Za-z])|\bmicroblog(?:s|ging)?\b|微博", re.I),
        ("douyin", r"(?<![A-Za-z])douyin(?![A-Za-z])|抖音", re.I),
        ("tiktok", r"(?<![A-Za-z])tiktok(?![A-Za-z])", re.I),
        ("kuaishou", r"(?<![A-Za-z])kuaishou(?![A-Za-z])|快手", re.I),
        ("bilibili", r"(?<![A-Za-z])bilibili(?![A-Za-z])|哔哩哔哩|嗶哩嗶哩|(?<![A-Za-z])B站", re.I),
        ("toutiao", r"(?<![A-Za-z])toutiao(?![A-Za-z])|今日头条|今日頭條|头条号|頭條號", re.I),
        ("xiaohongshu", r"(?<![A-Za-z])xiaohongshu(?![A-Za-z])|\blittle\s+red\s+book\b|小红书|小紅書", re.I),
        # "RED" only in capitals: the colour is far more common than the app.
        ("xiaohongshu", r"(?<![\w-])RED(?![\w-])", 0),
        ("livestreaming", r"\blive[\s-]?stream(?:s|ing|ed|ers?)?\b|\blive\s+broadcast(?:s|ing)?\b|直播", re.I),
        ("short-video", r"\bshort[\s-](?:form\s+)?videos?\b|短视频|短視頻", re.I),
        ("facebook", r"(?<![A-Za-z])facebook(?![A-Za-z])|脸书|臉書", re.I),
        ("twitter", r"(?<![A-Za-z])twitter(?![A-Za-z])|推特", re.I),
        # A bare capital X counts only where it plainly names the platform.
        ("twitter", r"(?<![\w-])X(?=\s*[(,]\s*(?:formerly|previously)\b)|\b(?:on|via)\s+X(?![\w-])", 0),
        ("youtube", r"(?<![A-Za-z])youtube(?![A-Za-z])|油管", re.I),
        ("linkedin", r"(?<![A-Za-z])linkedin(?![A-Za-z])|领英|領英", re.I),
        ("instagram", r"(?<![A-Za-z])instagram(?![A-Za-z])", re.I),
    )
)

# The platform's usual English name, as published figures and the corpus name it.
PLATFORM_NAMES = {
    "wechat-channels": "WeChat Channels",
    "wechat": "WeChat",
    "weibo": "Weibo",
    "douyin": "Douyin",
    "tiktok": "TikTok",
    "kuaishou": "Kuaishou",
    "bilibili": "Bilibili",
    "toutiao": "Toutiao",
    "xiaohongshu": "Xiaohongshu",
    "facebook": "Facebook",
    "twitter": "X",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
}


def platform_mentions(text: str) -> list[tuple[int, int, str]]:
    """Every (start, end, slug) platform mention in ``text``, in order. Linear in the text."""
    found = []
    for slug, pattern in _PLATFORM_PATTERNS:
        found.extend((m.start(), m.end(), slug) for m in pattern.finditer(text))
    found.sort()
    return found


def detect_platforms(text: str) -> tuple[str, ...]:
    """Return the platform slugs mentioned in ``text``, in order of first mention.

    Matching is case-insensitive and word-boundary aware ("RED" for Xiaohongshu and a bare
    "X" for Twitter are the two case-sensitive exceptions). "WeChat Channels" (视频号) is the
    ``wechat-channels`` slug only; "TikTok" is ``tiktok``, not ``douyin``.
    """
    first_seen: dict[str, int] = {}
    for slug, pattern in _PLATFORM_PATTERNS:
        match = pattern.search(text)
        if match and (slug not in first_seen or match.start() < first_seen[slug]):
            first_seen[slug] = match.start()
    return tuple(sorted(first_seen, key=first_seen.__getitem__))
