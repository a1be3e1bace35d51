"""Google sign-in (OAuth 2.0 installed-app flow with PKCE) and access tokens that refresh.

The flow is google-auth-oauthlib's: a one-shot loopback server on 127.0.0.1 receives the
redirect; the library generates the PKCE S256 challenge and requests-oauthlib checks `state`
(a mismatch raises before any code is exchanged). Endpoints are configurable so tests can put a
loopback server in Google's place. This module never sets OAUTHLIB_INSECURE_TRANSPORT: plain
http token endpoints only work where the environment (a test) explicitly allows them.
"""

from __future__ import annotations

import os
import threading
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from editor.publish.errors import AuthError, OfflineError, SignedOutError
from editor.publish.logmask import register_secret
from editor.publish.secure_url import require_secure

SCOPE = "https://www.googleapis.com/auth/blogger"
AUTH_URL_ENV = "BROADSHEET_GOOGLE_AUTH_URL"
TOKEN_URL_ENV = "BROADSHEET_GOOGLE_TOKEN_URL"
CLIENT_ID_ENV = "BROADSHEET_GOOGLE_CLIENT_ID"
CLIENT_SECRET_ENV = "BROADSHEET_GOOGLE_CLIENT_SECRET"
DEFAULT_AUTH_URL = "https://accounts.google.com/o/oauth2/auth"
DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token"
# What each endpoint would expose over plain http (editor/publish/secure_url.py).
AUTH_WORDS = "your Google sign-in"
TOKEN_WORDS = "your sign-in tokens and client secret"
TOKEN_TIMEOUT = 30.0  # seconds; the token endpoint answers in well under a second normally

SIGNED_OUT = (
    "Your Blogger sign-in has expired or was revoked; sign in again with"
    " `broadsheet login blogger`."
)


@dataclass(frozen=True)
class GoogleClient:
    """The writer's own OAuth client ("Desktop app") and the endpoints to use."""

    client_id: str
    client_secret: str
    auth_url: str = DEFAULT_AUTH_URL
    token_url: str = DEFAULT_TOKEN_URL

    def __post_init__(self) -> None:
        """Refuse endpoints that would carry the sign-in or the tokens in clear."""
        require_secure(self.auth_url, AUTH_WORDS, where="The Google sign-in address")
        require_secure(self.token_url, TOKEN_WORDS, where="The Google token address")

    @classmethod
    def from_env(
        cls, client_id: str, client_secret: str, env: Mapping[str, str] | None = None
    ) -> GoogleClient:
        """A client with endpoints from BROADSHEET_GOOGLE_AUTH_URL/_TOKEN_URL (or Google's)."""
        env = os.environ if env is None else env
        register_secret(client_secret)
        for variable, words in ((AUTH_URL_ENV, AUTH_WORDS), (TOKEN_URL_ENV, TOKEN_WORDS)):
            if env.get(variable):  # name the variable: that is what the writer can fix
                require_secure(env[variable], words, where=variable)
        return cls(
            client_id=client_id,
            client_secret=client_secret,
            auth_url=env.get(AUTH_URL_ENV) or DEFAULT_AUTH_URL,
            token_url=env.get(TOKEN_URL_ENV) or DEFAULT_TOKEN_URL,
        )

    def flow_config(self) -> dict[str, Any]:
        """The client in Google's client-secrets format, for google-auth-oauthlib."""
        return {
            "installed": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": self.auth_url,
                "token_uri": self.token_url,
                "redirect_uris": ["http://127.0.0.1"],
            }
        }


@dataclass(frozen=True)
class SignInTokens:
    """What a completed sign-in yields. The refresh token goes straight to the keyring."""

    access_token: str
    refresh_token: str


def run_sign_in(
    client: GoogleClient,
    *,
    open_browser: bool = True,
    on_url: Callable[[str], None] | None = None,
    timeout_seconds: float | None = 300,
) -> SignInTokens:
    """Run the browser sign-in and return the tokens, or raise AuthError/OfflineError.

    `on_url` receives the authorization URL before the loopback server waits (the CLI prints
    it; the GUI can show it when no browser opens). Blocks until the redirect arrives or
    `timeout_seconds` pass: call it from a worker thread, never the GUI thread.
    """
    from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
    from oauthlib.oauth2.rfc6749 import errors as oauth_errors

    class _Flow(InstalledAppFlow):
        # Hooks: hand the URL to the caller instead of print(), and bound the token request.
        def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
            url, state = super().authorization_url(**kwargs)
            if on_url is not None:
                on_url(url)
            if open_browser:
                # webbrowser.open reports failure instead of raising (the library's
                # webbrowser.get() raises on machines without a browser); the URL was shown.
                webbrowser.open(url, new=1, autoraise=True)
            return url, state

        def fetch_token(self, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", TOKEN_TIMEOUT)
            return super().fetch_token(**kwargs)

    flow = _Flow.from_client_config(client.flow_config(), scopes=[SCOPE])
    try:
        credentials = flow.run_local_server(
            host="127.0.0.1",
            port=0,
            open_browser=False,  # opened in authorization_url above
            authorization_prompt_message=None,
            success_message="Broadsheet is signed in to Blogger. You may close this window.",
            timeout_seconds=timeout_seconds,
            access_type="offline",  # a refresh token, so publishing works without a browser
            prompt="consent",  # Google only re-issues a refresh token when consent is asked
        )
    except WSGITimeoutError as exc:
        raise AuthError("Sign-in timed out waiting for the browser; try again.") from exc
    except oauth_errors.MismatchingStateError as exc:
        raise AuthError(
            "The sign-in answer did not belong to this sign-in attempt (state mismatch); try again."
        ) from exc
    except oauth_errors.AccessDeniedError as exc:
        raise AuthError("Access to Blogger was not granted; sign in again to allow it.") from exc
    except oauth_errors.InvalidGrantError as exc:
        raise AuthError("Google rejected the sign-in code; try signing in again.") from exc
    except oauth_errors.InvalidClientError as exc:
        raise AuthError(
            "Google rejected the OAuth client id or secret; check them and sign in again."
        ) from exc
    except oauth_errors.InsecureTransportError as exc:
        raise AuthError("The Google token endpoint must use https.") from exc
    except oauth_errors.OAuth2Error as exc:
        raise AuthError(f"Google sign-in failed ({exc.error}); try again.") from exc
    except requests.RequestException as exc:
        raise OfflineError(
            "Could not reach Google to finish signing in; check the network."
        ) from exc
    except OSError as exc:
        raise AuthError(f"Could not start the local sign-in receiver: {exc.strerror}.") from exc
    if not credentials.refresh_token:
        raise AuthError(
            "Google did not return a refresh token; remove Broadsheet's access in your Google"
            " account settings and sign in again."
        )
    register_secret(credentials.token)
    register_secret(credentials.refresh_token)
    return SignInTokens(access_token=credentials.token, refresh_token=credentials.refresh_token)


class _TimedRequest:
    """google-auth's transport with a bounded timeout (its default is 120 s) on our session."""

    def __init__(self, session: requests.Session) -> None:
        from google.auth.transport.requests import Request

        self._request = Request(session)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["timeout"] = min(float(kwargs.get("timeout") or TOKEN_TIMEOUT), TOKEN_TIMEOUT)
        return self._request(*args, **kwargs)


class GoogleTokens:
    """Access tokens for one account, refreshed from its refresh token when needed.

    Access tokens stay in memory only. `on_new_refresh_token` is called if Google rotates the
    refresh token, so the caller can put the new one in the keyring.
    """

    def __init__(
        self,
        client: GoogleClient,
        refresh_token: str,
        session: requests.Session,
        *,
        access_token: str | None = None,
        on_new_refresh_token: Callable[[str], None] | None = None,
    ) -> None:
        from google.oauth2.credentials import Credentials

        register_secret(refresh_token)
        self._credentials = Credentials(
            token=access_token,
            refresh_token=refresh_token,
            token_uri=client.token_url,
            client_id=client.client_id,
            client_secret=client.client_secret,
            scopes=[SCOPE],
        )
        self._request = _TimedRequest(session)
        self._on_new_refresh_token = on_new_refresh_token
        self._lock = threading.Lock()  # one refresh at a time when workers share an account

    def token(self) -> str:
        """A valid access token, refreshing first when there is none or it expired."""
        with self._lock:
            if not self._credentials.valid:
                self._refresh()
            return str(self._credentials.token)

    def refresh(self, rejected: str | None = None) -> None:
        """Get a new access token (after a 401), unless another thread already did."""
        with self._lock:
            if rejected is None or self._credentials.token == rejected:
                self._refresh()

    def _refresh(self) -> None:
        from google.auth import exceptions as gexc

        old_refresh = self._credentials.refresh_token
        try:
            self._credentials.refresh(self._request)
        except gexc.RefreshError as exc:
            details = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else {}
            error = details.get("error") or ("invalid_grant" if "invalid_grant" in str(exc) else "")
            if error in ("invalid_grant", "unauthorized_client"):
                raise SignedOutError(SIGNED_OUT) from None
            if error == "invalid_client":
                raise AuthError(
                    "Google rejected the OAuth client id or secret; sign in again with"
                    " `broadsheet login blogger`."
                ) from None
            raise AuthError(
                f"Could not renew the Blogger sign-in ({error or 'token endpoint error'});"
                " try again later."
            ) from None
        except gexc.TransportError as exc:
            raise OfflineError(
                "Could not reach Google to renew the sign-in; check the network."
            ) from exc
        register_secret(self._credentials.token)
        new_refresh = self._credentials.refresh_token
        if new_refresh and new_refresh != old_refresh:
            register_secret(new_refresh)
            if self._on_new_refresh_token is not None:
                self._on_new_refresh_token(new_refresh)
