"""Rate limits per token (per user for the browser session, per address for
anonymous requests). The rate is ``API_RATE_LIMIT`` (default 1000/hour)."""

from rest_framework.throttling import SimpleRateThrottle

from registry.automation import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
