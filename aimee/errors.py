"""Domain errors shared by services and the API; each carries an HTTP status."""

from __future__ import annotations


class AimeeError(Exception):
    """Base error: a message a person understands (Japanese) and a status code."""

    status_code = 500

    def __init__(self, message: str, *, detail: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequest(AimeeError):
    status_code = 400


class Unauthorized(AimeeError):
    status_code = 401


class Forbidden(AimeeError):
    status_code = 403


class NotFound(AimeeError):
    status_code = 404


class Conflict(AimeeError):
    status_code = 409


class ServiceUnavailable(AimeeError):
    status_code = 503


class Busy(ServiceUnavailable):
    """Too much heavy work at once; ``retry_after_s`` is sent as the Retry-After header."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unprocessable(AimeeError):
    """Well-formed input whose content cannot be accepted (bad rows of a batch)."""

    status_code = 422


class TooManyRequests(AimeeError):
    """Over a rate limit; ``retry_after_s`` is sent as the Retry-After header."""

    status_code = 429

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
