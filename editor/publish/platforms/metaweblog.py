"""MetaWeblog / Blogger XML-RPC: a blog or endpoint address, a user name and a password."""

from __future__ import annotations

from collections.abc import Mapping

from editor.publish import metaweblog, metaweblog_accounts
from editor.publish.accounts import Account, Blog
from editor.publish.base import BlogClient
from editor.publish.platform import (
    Clients,
    Progress,
    Provider,
    SignInField,
    SignInForm,
    SignInResult,
)


def _client(clients: Clients, blog: Blog) -> BlogClient:
    return metaweblog_accounts.client_of(
        clients.session,
        blog,
        clients.secret(blog),
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )


def _blogs(clients: Clients, account: Account, known: list[Blog]) -> list[Blog]:
    # The blogs of the account's endpoint; one added from its home page stays the only one.
    endpoint, user = metaweblog_accounts.account_parts(account.key)
    probe = Blog(metaweblog_accounts.blog_key(endpoint, ""), account.label, endpoint, account.key)
    client = metaweblog.MetaWeblogClient(
        clients.session,
        endpoint,
        user,
        clients.secret(known[0] if known else probe),
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )
    ids = {metaweblog_accounts.split_remote_id(b.remote_id)[1] for b in known}
    return [
        Blog(metaweblog_accounts.blog_key(endpoint, b.id), b.name, b.url or endpoint, account.key)
        for b in client.list_blogs()
        if not ids or b.id in ids
    ]


def _sign_in(clients: Clients, values: Mapping[str, str], progress: Progress) -> SignInResult:
    account, blogs = metaweblog_accounts.sign_in(
        clients.session,
        values["site"],
        values["user"],
        values["password"],
        progress,
        timeout=clients.timeout,
        max_attempts=clients.max_attempts,
        sleep=clients.sleep,
    )
    return clients.remember(account, blogs, values["password"])


METAWEBLOG_STEPS = """
<p><b>Connect a blog that speaks MetaWeblog</b> (XML-RPC): WordPress, Movable Type,
b2evolution, Serendipity, dasBlog and many older platforms.</p>
<ol>
<li>Type the address of your blog; Broadsheet finds its XML-RPC endpoint from the page. If
it cannot, type the endpoint itself (often ending in <i>xmlrpc.php</i>).</li>
<li>Type the user name and password you sign in to the blog with. On WordPress use an
application password (<i>Users ▸ Profile ▸ Application Passwords</i>) rather than your
login password.</li>
</ol>
<p style="color:{muted}">The password is kept in your system keyring and only sent over https
(or to this computer).</p>
"""

METAWEBLOG_FORM = SignInForm(
    steps=METAWEBLOG_STEPS,
    fields=(
        SignInField("site", "Blog or endpoint address", placeholder="https://example.com"),
        SignInField("user", "User name"),
        SignInField("password", "Password", secret=True),
    ),
    button="Connect to MetaWeblog",
    run=_sign_in,
)


PLATFORM = Provider(
    metaweblog.PROVIDER,
    "MetaWeblog",
    metaweblog.MetaWeblogClient.capabilities,
    _client,
    _blogs,
    METAWEBLOG_FORM,
)
