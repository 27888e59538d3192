"""JSON log lines, one object per record, with any ``extra`` fields kept."""

import json
import logging

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Objects Django attaches to records; ``RequestContextFilter`` summarises them.
_SKIPPED = {"request", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIPPED and not key.startswith("_"):
                payload[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
            payload.setdefault("error", f"{record.exc_info[0].__name__}: {record.exc_info[1]}"[:500])
        return json.dumps(payload, ensure_ascii=False)


class RequestContextFilter(logging.Filter):
    """Adds method, path and user to records that carry a request (Django's
    ``django.request`` and ``django.security`` errors), so a 500 says where and
    for whom it happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            from config.middleware import request_username

            record.method = getattr(request, "method", None)
            record.path = request.path
            record.user = request_username(request)
        return True
