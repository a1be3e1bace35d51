"""WebDAV (Nextcloud, ownCloud, Apache/nginx mod_dav, …) as an image host.

PUT stores a file; a PUT into a folder that does not exist yet answers 409 Conflict, and only
then are the folders created (MKCOL, one level at a time), so a publish into an existing month
costs one HEAD and one PUT per new image. Readers fetch `public_base_url/<key>` (a share link
base, or the web server's public folder), which need not be the DAV address.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    ImageHostError,
    ImageHostServerError,
)
from editor.publish.hosts.settings import Settings
from editor.publish.hosts.transport import DEFAULT_TIMEOUT, HostHttp
from editor.publish.secure_url import require_secure


class WebDavHost(ImageHost):
    """A folder on a WebDAV server, below `url`."""

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        public_base_url: str,
        prefix: str = "broadsheet/{year}/{month}/",
        label: str = "",
        session: requests.Session,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        # Basic auth sends the password itself with every request: https only (or loopback).
        require_secure(
            self.url,
            "its password",
            where=f"The WebDAV address of {label}" if label else "",
            error=ImageHostConfigError,
        )
        self.auth = (username, password)
        self.public_base_url = public_base_url.rstrip("/")
        self.prefix = prefix
        self.label = label or f"the WebDAV folder {self.url}"
        self.session = session
        self.http = HostHttp(session, self.label, timeout=timeout, sleep=sleep)

    @classmethod
    def from_settings(
        cls, label: str, values: Mapping[str, Any], secret: str | None, **kwargs: Any
    ) -> WebDavHost:
        """Build from the settings dict (see FIELDS) and the password."""
        s = Settings(label, values)
        if not secret:
            raise ImageHostConfigError(
                f"The image host {label} has no password; enter it in its settings."
            )
        return cls(
            url=s.url("url"),
            username=s.text("username"),
            password=secret,
            public_base_url=s.url("public_base_url"),
            prefix=s.prefix(),
            label=label,
            **kwargs,
        )

    def dav_url(self, path: str) -> str:
        """The DAV address of a key or folder below the base folder."""
        return f"{self.url}/{quote(path, safe='/-_.~')}"

    def public_url(self, key: str) -> str:
        """Where readers fetch `key`."""
        return f"{self.public_base_url}/{quote(key, safe='/-_.~')}"

    def owns_url(self, url: str) -> bool:
        return url.startswith(self.public_base_url + "/")

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        head = self.http.request("HEAD", self.dav_url(key), auth=self.auth)
        if head.status_code == 200 and head.headers.get("Content-Length") == str(len(data)):
            return self.public_url(key)
        if head.status_code not in (200, 404):
            raise self.error(head, "check for")
        response = self._put(key, data, content_type)
        if response.status_code in (404, 409):  # a parent folder is missing
            self.make_folders(key.rsplit("/", 1)[0] if "/" in key else "")
            response = self._put(key, data, content_type)
        if response.status_code not in (200, 201, 204):
            raise self.error(response, "store")
        return self.public_url(key)

    def _put(self, key: str, data: bytes, content_type: str) -> requests.Response:
        return self.http.request(
            "PUT",
            self.dav_url(key),
            data=data,
            headers={"Content-Type": content_type},
            auth=self.auth,
        )

    def make_folders(self, folder: str) -> None:
        """Create `folder` and its parents below the base folder (existing ones are fine)."""
        path = ""
        for part in [p for p in folder.split("/") if p]:
            path = f"{path}{part}/"
            response = self.http.request("MKCOL", self.dav_url(path), auth=self.auth)
            # 405: it exists already; 301: a server redirecting to the same folder.
            if response.status_code not in (200, 201, 301, 405):
                raise self.error(response, "create a folder for")

    def delete(self, key: str) -> None:
        response = self.http.request("DELETE", self.dav_url(key), auth=self.auth)
        if response.status_code not in (200, 204, 404):
            raise self.error(response, "delete")

    def error(self, response: requests.Response, action: str) -> ImageHostError:
        """A WebDAV status -> one sentence."""
        status = response.status_code
        if status == 401:
            return ImageHostAuthError(
                f"{self.label} did not accept the user name and password; check them (Nextcloud"
                " needs an app password when two-factor sign-in is on)."
            )
        if status == 403:
            return ImageHostAuthError(f"{self.label} does not allow this user to {action} files.")
        if status == 507:
            return ImageHostError(f"{self.label} is full (HTTP 507 Insufficient Storage).")
        if status in (301, 302, 307, 308):
            return ImageHostConfigError(
                f"{self.label} redirects to {response.headers.get('Location', 'elsewhere')};"
                " use that address as the WebDAV URL."
            )
        if status >= 500:
            return ImageHostServerError(
                f"{self.label} had a server problem (HTTP {status}); try again later."
            )
        return ImageHostError(f"{self.label} refused to {action} the file (HTTP {status}).")


FIELDS = {
    "url": "WebDAV folder, e.g. https://cloud.example.com/remote.php/dav/files/alice/Blog",
    "username": "user name (the password goes to the keyring)",
    "public_base_url": "address readers fetch that folder's files from",
    "prefix": "folder for images, may use {year} {month} {day}",
}
