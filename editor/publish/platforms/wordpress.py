"""WordPress (REST API): a site address, a user name and an application password."""

from __future__ import annotations

from editor.publish import wordpress
from editor.publish.accounts import Account, Blog
from editor.publish.platform import Clients, Provider, SignInField, SignInForm
from editor.publish.wordpress import WordPressClient


def _blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
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


PLATFORM = Provider(
    wordpress.PROVIDER,
    "WordPress",
    WordPressClient.capabilities,
    lambda clients, blog: clients.wordpress_for(blog),
    _blogs,
    WORDPRESS_FORM,
)
