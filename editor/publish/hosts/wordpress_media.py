"""A WordPress site's media library as an image host for posts published elsewhere (Blogger).

Deliberately small and self-contained: POST /wp-json/wp/v2/media with Basic auth (the user's
application password, kept in the keyring). The full WordPress client lives in
editor/publish/wordpress.py; to reuse its session and error mapping later, pass its upload
function as `uploader` (filename, bytes, content type -> public URL).

WordPress picks the public URL itself (wp-content/uploads/<year>/<month>/<name>), so the key's
folder part is not used, only its file name (the content hash), which is also what an earlier
upload is found by: a POST is not idempotent, so before creating a second copy the library is
searched for that name.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.errors import (
    ImageHostAuthError,
    ImageHostConfigError,
    ImageHostError,
    ImageHostOfflineError,
    ImageHostServerError,
)
from editor.publish.hosts.settings import Settings
from editor.publish.hosts.transport import DEFAULT_TIMEOUT, HostHttp
from editor.publish.logmask import mask, register_secret
from editor.publish.secure_url import require_secure

Uploader = Callable[[str, bytes, str], str]


class WordPressMediaHost(ImageHost):
    """Uploads images to one WordPress site's media library."""

    def __init__(
        self,
        *,
        site_url: str,
        username: str,
        app_password: str,
        label: str = "",
        session: requests.Session,
        uploader: Uploader | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.site_url = site_url.rstrip("/")
        require_secure(
            self.site_url,
            "its application password",
            where=f"The WordPress address of {label}" if label else "",
            error=ImageHostConfigError,
        )
        self.api = f"{self.site_url}/wp-json/wp/v2"
        register_secret(app_password)
        # WordPress shows application passwords in groups ("abcd efgh …"); spaces are optional.
        self.auth = (username, app_password.replace(" ", ""))
        self.label = label or f"the WordPress site {urlsplit(self.site_url).netloc}"
        self.session = session
        self.uploader = uploader
        self.http = HostHttp(session, self.label, timeout=timeout, sleep=sleep)

    @classmethod
    def from_settings(
        cls, label: str, values: Mapping[str, Any], secret: str | None, **kwargs: Any
    ) -> WordPressMediaHost:
        """Build from the settings dict (see FIELDS) and the application password."""
        s = Settings(label, values)
        if not secret:
            raise ImageHostConfigError(
                f"The image host {label} has no application password; create one under"
                " Users → Profile → Application Passwords and enter it in its settings."
            )
        return cls(
            site_url=s.url("site_url"),
            username=s.text("username"),
            app_password=secret,
            label=label,
            **kwargs,
        )

    def upload(self, key: str, data: bytes, content_type: str) -> str:
        name = key.rsplit("/", 1)[-1]
        if self.uploader is not None:
            return self.uploader(name, data, content_type)
        found = self.find(name)
        if found:
            return str(found["source_url"])
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        try:
            response = self.http.request(
                "POST",
                f"{self.api}/media",
                data=data,
                headers=headers,
                auth=self.auth,
                idempotent=False,
            )
        except ImageHostOfflineError:
            found = self.find(name)  # the answer may have been lost after WordPress saved it
            if found:
                return str(found["source_url"])
            raise
        if response.status_code != 201:
            raise self.error(response, "upload")
        url = str(self._json(response).get("source_url") or "")
        if not url.startswith(("http://", "https://")):
            raise ImageHostError(f"{self.label} accepted the image but sent no address for it.")
        return url

    def find(self, name: str) -> dict[str, Any] | None:
        """The media item stored under file name `name`, if the library has one."""
        stem = name.rsplit(".", 1)[0]
        response = self.http.request(
            "GET",
            f"{self.api}/media",
            params={"search": stem, "per_page": "20"},
            auth=self.auth,
        )
        if response.status_code != 200:
            raise self.error(response, "search")
        items = self._json(response)
        for item in items if isinstance(items, list) else []:
            url = str(item.get("source_url") or "")
            if url.rsplit("/", 1)[-1] == name:
                return item
        return None

    def delete(self, key: str) -> None:
        found = self.find(key.rsplit("/", 1)[-1])
        if not found:
            return
        response = self.http.request(
            "DELETE", f"{self.api}/media/{found['id']}", params={"force": "true"}, auth=self.auth
        )
        if response.status_code not in (200, 404, 410):
            raise self.error(response, "delete")

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise ImageHostError(
                f"{self.label} answered with something that is not the WordPress API; check the"
                " site address."
            ) from exc

    def error(self, response: requests.Response, action: str) -> ImageHostError:
        """WordPress's JSON error -> one sentence."""
        status = response.status_code
        code, message = "", ""
        try:
            body = response.json()
            code, message = str(body.get("code") or ""), str(body.get("message") or "")
        except (ValueError, AttributeError):
            pass
        detail = mask(" ".join(message.split()))[:160].rstrip(".")
        if status == 401:
            return ImageHostAuthError(
                f"{self.label} did not accept the user name and application password; check"
                " them in the host's settings."
            )
        if status == 403:
            return ImageHostAuthError(
                f"{self.label} does not allow this user to {action} media ({code or status})."
            )
        if status == 404 and not code:
            return ImageHostConfigError(
                f"{self.label} has no WordPress API at {self.api}; check the site address."
            )
        if status == 413:
            return ImageHostError(f"{self.label} refused the image as too large.")
        if status >= 500 and code != "rest_upload_sideload_error":
            return ImageHostServerError(
                f"{self.label} had a server problem (HTTP {status}); try again later."
            )
        return ImageHostError(
            f"{self.label} refused to {action} the image: {detail or code or f'HTTP {status}'}."
        )


FIELDS = {
    "site_url": "the site's address, e.g. https://blog.example.com",
    "username": "WordPress user name (the application password goes to the keyring)",
}
