"""What a blog platform is to Broadsheet: how to build its client, read an account's blogs,
sign in with a form, what it can do and what the writer calls it (`Provider`). Each platform
declares one in editor/publish/platforms/<name>.py; editor/publish/providers.py lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from editor.publish.accounts import Account, Blog
from editor.publish.base import BlogClient, Capabilities

if TYPE_CHECKING:
    import requests

    from editor.publish.blogger import BloggerClient
    from editor.publish.wordpress import WordPressClient

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SignInResult:
    """The account that signed in and the blogs it may post to."""

    account: Account
    blogs: list[Blog]


class Clients(Protocol):
    """What building a client or signing in needs: the publish service's HTTP settings, the
    keyring and the accounts file. `PublishService` is the one implementation."""

    session: requests.Session
    timeout: float | tuple[float, float]
    max_attempts: int
    sleep: Callable[[float], None]

    def blogger_for(self, account_key: str) -> BloggerClient:
        """The Blogger client of a signed-in Google account."""
        ...

    def wordpress_for(self, blog: Blog) -> WordPressClient:
        """The client of a WordPress site, with its application password from the keyring."""
        ...

    def sign_in_wordpress(
        self, site_url: str, user: str, app_password: str, progress: Progress | None = None
    ) -> SignInResult:
        """Check a WordPress user and application password; remember the site."""
        ...

    def secret(self, blog: Blog) -> str:
        """The secret kept for the blog's account (SignedOutError when there is none)."""
        ...

    def remember(self, account: Account, blogs: list[Blog], secret: str) -> SignInResult:
        """Keep the account's secret in the keyring and the account and its blogs in
        accounts.json (replacing what was kept for the same account)."""
        ...


@dataclass(frozen=True)
class SignInField:
    """One line of a platform's sign-in form (the Connect a Blog dialog and `broadsheet login`).

    The field named "site" is the command line's positional address and "user" its `--user`;
    other fields are asked for, secrets at a hidden prompt (or read from piped stdin)."""

    name: str  # the key in the values handed to `SignInForm.run`
    label: str  # what the writer reads: "Site address"
    secret: bool = False  # hidden while typed, kept in the keyring only
    placeholder: str = ""
    required: bool = True


@dataclass(frozen=True)
class SignInForm:
    """How the writer connects a blog of one platform with what he types (no browser)."""

    steps: str  # a few HTML paragraphs shown above the form; `{muted}` is a muted text colour
    fields: tuple[SignInField, ...]
    button: str  # "Connect to WordPress"
    # Checks what was typed with the platform and remembers the account (Clients.remember);
    # raises the typed errors of editor.publish.errors with one sentence for the writer.
    run: Callable[[Clients, Mapping[str, str], Progress], SignInResult]

    def missing(self, values: Mapping[str, str]) -> str | None:
        """The sentence asking for the required fields left empty, or None."""
        empty = [f.label.lower() for f in self.fields if f.required and not values.get(f.name)]
        if not empty:
            return None
        listed = ", ".join(empty[:-1]) + (" and " if len(empty) > 1 else "") + empty[-1]
        return f"Fill in the {listed}."


@dataclass(frozen=True)
class Provider:
    """One blog platform Broadsheet publishes to."""

    name: str  # as in blog keys: "blogger:<id>"
    display_name: str  # what the writer calls it
    capabilities: Capabilities
    client: Callable[[Clients, Blog], BlogClient]
    # The account's blogs as the platform lists them now (`known`: those configured before).
    blogs: Callable[[Clients, Account, list[Blog]], list[Blog]]
    # How to connect with typed values; None where sign-in goes another way (Blogger's
    # browser sign-in with the writer's own OAuth client).
    sign_in_form: SignInForm | None = None
