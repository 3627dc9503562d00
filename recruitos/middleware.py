"""Request logging: one structured line per request, for operators and log search."""

import logging
import time

logger = logging.getLogger("recruitos.requests")


class RequestLogMiddleware:
    """Log method, path, status and duration of every request; never headers or the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        logger.info(
            "%s %s %s %.2fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
