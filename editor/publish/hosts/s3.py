"""S3-compatible storage (AWS S3, Cloudflare R2, Backblaze B2, Wasabi, MinIO, …) as an image host.

Requests are signed with our SigV4 signer over an injected session. Each upload first asks
(HEAD) whether the content-addressed key is already there and skips the PUT when it is. Readers
fetch images at `public_base_url/<key>` (a custom domain, an r2.dev/B2 friendly URL, or the
bucket's own address), which may differ from the API endpoint.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    ImageHostError,
    ImageHostServerError,
)
from editor.publish.hosts.settings import Settings
from editor.publish.hosts.sigv4 import SigV4Auth
from editor.publish.hosts.transport import DEFAULT_TIMEOUT, HostHttp
from editor.publish.secure_url import require_secure

# A year: keys are content-addressed, so an object never changes under its name.
CACHE_CONTROL = "public, max-age=31536000, immutable"
_AUTH_CODES = {"SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidToken", "ExpiredToken"}


def _xml_field(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}>([^<]*)</{tag}>", text)
    return match.group(1).strip() if match else ""


class S3Host(ImageHost):
    """One bucket (and key prefix) on an S3-compatible service."""

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        access_key: str,
        secret_key: str,
        public_base_url: str,
        region: str = "us-east-1",
        prefix: str = "broadsheet/{year}/{month}/",
        path_style: bool = True,
        public_read: bool = False,
        label: str = "",
        session: requests.Session,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.bucket = bucket
        self.region = region
        self.prefix = prefix
        self.path_style = path_style
        # SigV4 never sends the secret key, but over plain http the signed requests and the
        # access key id can be read and the answers forged (secure_url.py says why). The
        # address checked is the one requests go to (virtual-hosted: bucket.endpoint).
        require_secure(
            self.object_url(""),
            "requests signed with its secret access key",
            where=f"The S3 endpoint of {label}" if label else "",
            error=ImageHostConfigError,
        )
        self.public_read = public_read
        self.public_base_url = public_base_url.rstrip("/")
        self.label = label or f"the S3 bucket {bucket}"
        self.session = session
        self.auth = SigV4Auth(access_key, secret_key, region)
        self.http = HostHttp(session, self.label, timeout=timeout, sleep=sleep)

    @classmethod
    def from_settings(
        cls, label: str, values: Mapping[str, Any], secret: str | None, **kwargs: Any
    ) -> S3Host:
        """Build from the settings dict (see FIELDS) and the secret access key."""
        s = Settings(label, values)
        if not secret:
            raise ImageHostConfigError(
                f"The image host {label} has no secret access key; enter it in its settings."
            )
        return cls(
            endpoint=s.url("endpoint"),
            bucket=s.text("bucket"),
            access_key=s.text("access_key_id"),
            secret_key=secret,
            public_base_url=s.url("public_base_url"),
            region=s.text("region", "us-east-1"),
            prefix=s.prefix(),
            path_style=s.flag("path_style", FLAGS["path_style"]),
            public_read=s.flag("public_read", FLAGS["public_read"]),
            label=label,
            **kwargs,
        )

    def object_url(self, key: str) -> str:
        """The API address of `key`: path style (endpoint/bucket/key) or virtual-hosted."""
        quoted = quote(key, safe="/-_.~")
        if self.path_style:
            return f"{self.endpoint}/{quote(self.bucket)}/{quoted}"
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{self.bucket}.{parts.netloc}{parts.path}/{quoted}"

    def public_url(self, key: str) -> str:
        """Where readers fetch `key`."""
        return f"{self.public_base_url}/{quote(key, safe='/-_.~')}"

    def owns_url(self, url: str) -> bool:
        return url.startswith(self.public_base_url + "/")

    def exists(self, key: str, size: int | None = None) -> bool:
        """Whether the bucket already holds `key` (with `size` bytes, when given)."""
        response = self.http.request("HEAD", self.object_url(key), auth=self.auth)
        if response.status_code == 200:
            length = response.headers.get("Content-Length")
            return size is None or length is None or int(length) == size
        # AWS answers 403 for a missing key when the credentials may not list the bucket;
        # HEAD has no body to tell that from a bad signature, so the PUT decides.
        if response.status_code in (403, 404):
            return False
        raise self.error(response, "check for")

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        if self.exists(key, len(data)):
            return self.public_url(key)
        headers = {"Content-Type": content_type, "Cache-Control": CACHE_CONTROL}
        if self.public_read:
            headers["x-amz-acl"] = "public-read"
        response = self.http.request(
            "PUT", self.object_url(key), data=data, headers=headers, auth=self.auth
        )
        if response.status_code != 200:
            raise self.error(response, "store")
        return self.public_url(key)

    def delete(self, key: str) -> None:
        response = self.http.request("DELETE", self.object_url(key), auth=self.auth)
        if response.status_code not in (200, 204, 404):
            raise self.error(response, "delete")

    def error(self, response: requests.Response, action: str) -> ImageHostError:
        """S3's XML error -> one sentence."""
        status = response.status_code
        code = _xml_field(response.text, "Code") if response.content else ""
        if code in _AUTH_CODES or (status == 401):
            return ImageHostAuthError(
                f"{self.label} did not accept the access key and secret ({code or status});"
                " check both in the host's settings."
            )
        if code == "AuthorizationHeaderMalformed":
            return ImageHostConfigError(
                f"{self.label} rejected the region {self.region!r}"
                f" ({_xml_field(response.text, 'Message') or code}); fix the region."
            )
        if code == "RequestTimeTooSkewed":
            return ImageHostAuthError(
                f"{self.label} refused the request because this computer's clock is wrong;"
                " set the correct time."
            )
        if code == "NoSuchBucket":
            return ImageHostConfigError(
                f"The bucket {self.bucket!r} does not exist at {self.endpoint}; check the bucket"
                " name and endpoint."
            )
        if code in ("AccessControlListNotSupported", "NotImplemented") or (
            self.public_read and code == "InvalidArgument" and "acl" in response.text.lower()
        ):
            return ImageHostConfigError(
                f"{self.label} does not accept the public-read ACL ({code}); turn off"
                " “public-read” and make the bucket (or its domain) public instead."
            )
        if code in ("PermanentRedirect", "TemporaryRedirect") or status in (301, 307):
            return ImageHostConfigError(
                f"The bucket {self.bucket!r} lives at another endpoint"
                f" ({_xml_field(response.text, 'Endpoint') or 'another region'}); fix the"
                " endpoint and region."
            )
        if code == "AccessDenied" or status == 403:
            return ImageHostAuthError(
                f"{self.label} denied access ({code or status}): the key may not {action}"
                f" files in the bucket {self.bucket!r}."
            )
        if status >= 500:
            return ImageHostServerError(
                f"{self.label} had a server problem (HTTP {status}); try again later."
            )
        return ImageHostError(
            f"{self.label} refused to {action} the file ({code or f'HTTP {status}'})."
        )


FIELDS = {
    "endpoint": "API address, e.g. https://s3.eu-central-1.amazonaws.com or"
    " https://<account>.r2.cloudflarestorage.com",
    "region": "signing region (us-east-1; R2: auto)",
    "bucket": "bucket name",
    "access_key_id": "access key id (the secret key goes to the keyring)",
    "public_base_url": "address readers fetch images from (custom domain or bucket URL)",
    "prefix": "folder for images, may use {year} {month} {day}",
    "path_style": "bucket in the path: endpoint/bucket/key (off: bucket.endpoint/key)",
    "public_read": "send x-amz-acl: public-read (off for R2 and buckets without ACLs)",
}

#: the yes/no settings and their defaults
FLAGS = {"path_style": True, "public_read": False}
