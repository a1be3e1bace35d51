"""Micropub (W3C): a site address, and an access token or the site's IndieAuth sign-in."""

from __future__ import annotations

from editor.publish import micropub, micropub_sign_in
from editor.publish.accounts import Account, Blog
from editor.publish.base import BlogClient
from editor.publish.platform import Clients, Provider, SignInField, SignInForm


def _client(clients: Clients, blog: Blog) -> BlogClient:
    return micropub_sign_in.client_for(
        clients.session,
        blog,
        lambda: clients.secret(blog),
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )


def _blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # One site per account: its title may have changed, its address is the account's.
    return [
        Blog(old.key, _client(clients, old).list_blogs()[0].name, old.url, account.key)
        for old in known
    ]


MICROPUB_FORM = SignInForm(
    steps=micropub_sign_in.STEPS,
    fields=(
        SignInField("site", "Site address", placeholder="https://example.com"),
        SignInField(
            "token",
            "Access token",
            secret=True,
            placeholder="empty: sign in on your site in the browser",
            required=False,
        ),
    ),
    button="Connect with Micropub",
    run=lambda clients, values, progress: clients.remember(
        *micropub_sign_in.connect(
            clients.session,
            values["site"],
            values.get("token", ""),
            progress=progress,
            timeout=clients.timeout,
        )
    ),
)


PLATFORM = Provider(
    micropub.PROVIDER,
    "Micropub",
    micropub.MicropubClient.capabilities,
    _client,
    _blogs,
    MICROPUB_FORM,
)
