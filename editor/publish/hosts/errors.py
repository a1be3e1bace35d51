"""Errors of the image hosts: each carries one sentence the writer can act on.

Hosts raise `ImageHostError` (or a subclass) whose message says what the host answered; the
upload step wraps it in `ImageUploadError`, which also names the image and the host.
"""

from __future__ import annotations

from editor.publish.errors import AuthError, PublishError


class ImageHostError(PublishError):
    """An image host refused or failed a request."""


class ImageHostAuthError(ImageHostError, AuthError):
    """The image host did not accept the credentials (wrong key, secret or password)."""


class ImageHostOfflineError(ImageHostError):
    """The image host could not be reached or did not answer in time."""

    transient = True


class ImageHostConfigError(ImageHostError):
    """The host's settings are incomplete or invalid (no bucket, a non-http URL, …)."""


class ImageUploadError(ImageHostError):
    """An image could not be uploaded; nothing was sent to the blog.

    `image` is the image as the draft names it, `host` the host's label, `cause` the host's
    own error (its `transient` is copied so the UI can offer "try again").
    """

    def __init__(self, image: str, host: str, cause: PublishError) -> None:
        reason = cause.message.rstrip(".")
        super().__init__(
            f"Could not upload {image} to {host}: {reason}. Nothing was sent to the blog.",
            retry_after=cause.retry_after,
        )
        self.image = image
        self.host = host
        self.cause = cause
        self.transient = cause.transient


class MissingImageError(PublishError):
    """The draft refers to an image file that is not on the disk (any more)."""


class ImageHostServerError(ImageHostError):
    """The image host failed on its side (5xx) even after retrying."""

    transient = True
