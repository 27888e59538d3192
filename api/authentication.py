"""Personal API tokens: ``Authorization: Bearer <token>``.

Only the token's SHA-256 is stored (``registry.automation.ApiToken``); a token
that is unknown, revoked or expired, or whose user is inactive, is refused with
401. Each request records the token's last use, at most once a minute.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from registry.automation import ApiToken, hash_token

KEYWORDS = (b"bearer", b"token")
LAST_USE_GRANULARITY = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """2 queries: the token with its user, and the last-use update (which
    writes a row only when the recorded use is over a minute old)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("The Authorization header must be “Bearer <token>”."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_GRANULARITY)
        ).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": str(_("A personal API token."))}
