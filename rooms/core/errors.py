"""Domain errors raised by services and turned into HTTP statuses or close codes by transports.

Every error has a stable machine-readable ``code`` that clients can branch on, and a ``detail``
for people. A ``field`` names the input that was wrong, where there was one.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.field = field


class Invalid(DomainError):
    """The request is well-formed but its values break a rule."""


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The caller is known and may see the object, but may not do this to it."""

    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a last owner leaving)."""

    status = 409
    code = "conflict"


class PreconditionFailed(DomainError):
    """``If-Match`` named a state that is no longer the current one."""

    status = 412
    code = "precondition_failed"


class DocumentTooLarge(DomainError):
    """The edit would take the document past ``COLLAB_MAX_DOCUMENT_BYTES``."""

    status = 413
    code = "document_too_large"


class AttachmentTooLarge(DomainError):
    """The upload is larger than ``COLLAB_ATTACHMENT_MAX_BYTES``."""

    status = 413
    code = "attachment_too_large"


class AttachmentTypeNotAllowed(DomainError):
    """The upload's content type is not in ``COLLAB_ATTACHMENT_CONTENT_TYPES``."""

    status = 415
    code = "file_type_not_allowed"


class ImageTooLarge(DomainError):
    """An image upload has more than ``COLLAB_MAX_IMAGE_BYTES`` bytes (``image_too_large``) or
    more than ``COLLAB_MAX_IMAGE_PIXELS`` pixels (``image_too_many_pixels``)."""

    status = 413
    code = "image_too_large"


class UnsupportedMediaType(DomainError):
    """The upload is not a PNG, JPEG, GIF or WebP image that decodes."""

    status = 415
    code = "unsupported_media_type"


class TooManyAttempts(DomainError):
    """The caller has failed too often and must wait ``retry_after`` seconds."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ImportTooLarge(DomainError):
    """A file to import is larger than ``COLLAB_IMPORT_MAX_BYTES``."""

    status = 413
    code = "import_too_large"


class UnsupportedFormat(DomainError):
    """A file to import is in a format Collab cannot read."""

    status = 415
    code = "unsupported_format"
