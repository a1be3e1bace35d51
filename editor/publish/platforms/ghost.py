"""Ghost (Admin API): a site address and an Admin API key."""

from __future__ import annotations

from editor.publish import ghost
from editor.publish.accounts import Account, Blog
from editor.publish.ghost import GhostClient
from editor.publish.platform import Clients, Provider, SignInField, SignInForm


def _client(clients: Clients, blog: Blog) -> GhostClient:
    return GhostClient(
        clients.session,
        blog.url,
        clients.secret(blog),
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )


def _blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # One site per Admin API key: its title may have changed, its address is the account's.
    return [
        Blog(old.key, _client(clients, old).site_info().name, old.url, account.key) for old in known
    ]


GHOST_STEPS = """
<p><b>Connect a Ghost site</b> (Ghost 5 or newer, over https).</p>
<ol>
<li>In Ghost open <i>Settings ▸ Integrations</i> and press <i>Add custom integration</i>;
name it “Broadsheet”.</li>
<li>Copy its <b>Admin API key</b> (not the Content API key) into the field below, with the
address of your site (the one Ghost's admin opens at, without <i>/ghost</i>).</li>
</ol>
<p style="color:{muted}">The Admin API key is kept in your system keyring. It can write and
publish posts; delete the integration in Ghost to revoke it.</p>
"""

GHOST_FORM = SignInForm(
    steps=GHOST_STEPS,
    fields=(
        SignInField("site", "Site address", placeholder="https://example.com"),
        SignInField("key", "Admin API key", secret=True, placeholder="id:secret"),
    ),
    button="Connect to Ghost",
    run=ghost.sign_in,
)


PLATFORM = Provider(
    ghost.PROVIDER,
    "Ghost",
    GhostClient.capabilities,
    _client,
    _blogs,
    GHOST_FORM,
)
