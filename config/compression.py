"""gzip for the pages and data the app writes itself (HTML, CSV, JSON, SVG).

Django's ``GZipMiddleware`` with its BREACH mitigation (a random-length gzip
header field, so the compressed length does not give a secret away byte by
byte; CSRF tokens are masked per response as well). Responses that are already
compressed formats (PNG, PDF, XLSX, PPTX) are left alone: compressing them
again costs CPU and saves nothing. Static files never reach this middleware:
WhiteNoise, above it, serves their pre-compressed brotli and gzip copies."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
