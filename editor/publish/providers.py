"""The one place that knows the blog platforms by name: for each provider (the first part of a
blog's key in accounts.json), how to build its client, read an account's blogs, what it can do
and what the writer calls it. Everything else asks a client's or a blog's `Capabilities`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from editor.core.caption_style import caption_style_for
from editor.core.settings import Settings
from editor.publish import blogger, micropub, micropub_sign_in, wordpress
from editor.publish.accounts import Account, Blog
from editor.publish.base import BlogClient, Capabilities
from editor.publish.blogger import BloggerClient
from editor.publish.errors import ConfigError
from editor.publish.wordpress import WordPressClient

if TYPE_CHECKING:
    import requests

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


def _blogger_blogs(clients: Clients, account: Account, _known: list[Blog]) -> list[Blog]:
    infos = clients.blogger_for(account.key).list_blogs()
    return [Blog(blogger.blog_key(b.id), b.name, b.url, account.key) for b in infos]


def _wordpress_blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # One site per account: its name may have changed, its address is the account's.
    return [
        Blog(old.key, clients.wordpress_for(old).site_info().name, old.url, account.key)
        for old in known
    ]


WORDPRESS_STEPS = """
<p><b>Connect a WordPress site</b> (WordPress 5.6 or newer, over https).</p>
<ol>
<li>In your site's dashboard open <i>Users ▸ Profile</i> and scroll to
<b>Application Passwords</b>.</li>
<li>Type a name such as “Broadsheet” and press <i>Add New Application Password</i>.</li>
<li>Copy the password WordPress shows (it is shown once) into the field below, with your
user name and the address of your site.</li>
</ol>
<p style="color:{muted}">The application password is kept in your system keyring. It can publish
but cannot change your login password, and you can revoke it in the same place.</p>
"""

WORDPRESS_FORM = SignInForm(
    steps=WORDPRESS_STEPS,
    fields=(
        SignInField("site", "Site address", placeholder="https://example.com"),
        SignInField("user", "User name"),
        SignInField(
            "password",
            "Application password",
            secret=True,
            placeholder="abcd efgh ijkl mnop qrst uvwx",
        ),
    ),
    button="Connect to WordPress",
    run=lambda clients, values, progress: clients.sign_in_wordpress(
        values["site"], values["user"], values["password"], progress
    ),
)


def _micropub_client(clients: Clients, blog: Blog) -> BlogClient:
    return micropub_sign_in.client_for(
        clients.session,
        blog,
        lambda: clients.secret(blog),
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )


def _micropub_blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # One site per account: its title may have changed, its address is the account's.
    return [
        Blog(old.key, _micropub_client(clients, old).list_blogs()[0].name, old.url, account.key)
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

PROVIDERS: dict[str, Provider] = {
    blogger.PROVIDER: Provider(
        blogger.PROVIDER,
        "Blogger",
        BloggerClient.capabilities,
        lambda clients, blog: clients.blogger_for(blog.account),
        _blogger_blogs,
    ),
    wordpress.PROVIDER: Provider(
        wordpress.PROVIDER,
        "WordPress",
        WordPressClient.capabilities,
        lambda clients, blog: clients.wordpress_for(blog),
        _wordpress_blogs,
        WORDPRESS_FORM,
    ),
    micropub.PROVIDER: Provider(
        micropub.PROVIDER,
        "Micropub",
        micropub.MicropubClient.capabilities,
        _micropub_client,
        _micropub_blogs,
        MICROPUB_FORM,
    ),
}


def provider(name: str) -> Provider:
    """The platform called `name` in accounts.json; ConfigError when Broadsheet has none."""
    try:
        return PROVIDERS[name]
    except KeyError:
        names = [p.display_name for p in PROVIDERS.values()]
        known = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        raise ConfigError(
            f"Broadsheet cannot publish to “{name}” blogs; it publishes to {known}."
        ) from None


def sign_in_forms() -> dict[str, tuple[str, SignInForm]]:
    """Platforms connected with a form: name -> (what the writer calls it, its form)."""
    return {
        p.name: (p.display_name, p.sign_in_form)
        for p in PROVIDERS.values()
        if p.sign_in_form is not None
    }


def caption_style_of(settings: Settings, blog_key: str | None) -> str:
    """The caption style for a blog: the writer's choice, else what its platform expects."""
    name = blog_key.split(":", 1)[0] if blog_key else ""
    platform = PROVIDERS[name].capabilities.caption_style if name in PROVIDERS else ""
    return caption_style_for(settings, blog_key, platform)


def capabilities_of(blog: Blog) -> Capabilities:
    """What the blog's platform can do (for code that has the blog but no client)."""
    return provider(blog.provider).capabilities


def blogs_where(blogs: Iterable[Blog], wanted: Callable[[Capabilities], bool]) -> list[Blog]:
    """The blogs whose platform can do what `wanted` asks; blogs of an unknown platform (a
    newer Broadsheet's accounts.json) can do nothing here and are left out."""
    return [b for b in blogs if b.provider in PROVIDERS and wanted(capabilities_of(b))]
