"""Publishing, shared by the CLI and the GUI: sign in, list blogs, publish a draft file.

No Qt here. Every method blocks on the network: the GUI calls them from a worker and passes a
`progress` callback (one short sentence per step) that it turns into a signal.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from editor import version
from editor.core.atomic import WriteError
from editor.core.blog_labels import BlogLabels
from editor.core.blog_state import BlogStates
from editor.core.paths import AppPaths, app_paths
from editor.core.post import draft_fingerprint, has_labels_line, record_address
from editor.core.post_images import local_image_sources
from editor.core.post_records import load_records
from editor.core.render_problems import RenderError
from editor.core.settings import Settings
from editor.core.snippet_render import SnippetError, publishable_html
from editor.core.snippets import SnippetFolder
from editor.publish import blogger, credentials, wordpress
from editor.publish.accounts import Account, AccountsConfig, Blog, load_accounts, save_accounts
from editor.publish.base import (
    LIVE,
    POST,
    PRIVATE,
    SCHEDULED,
    TAGS_AND_CATEGORIES,
    BlogClient,
    PostContent,
    PublishMode,
    RemotePost,
)
from editor.publish.blogger import BloggerClient, api_url
from editor.publish.creator import PostCreator
from editor.publish.errors import (
    ConfigError,
    ConflictError,
    DraftError,
    PublishError,
    SignedOutError,
)
from editor.publish.google_auth import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    GoogleClient,
    GoogleTokens,
    run_sign_in,
)
from editor.publish.hosts.base import ImageHost
from editor.publish.hosts.config import HostsConfig, load_hosts
from editor.publish.hosts.registry import open_host
from editor.publish.hosts.uploader import prepare_images
from editor.publish.http import DEFAULT_TIMEOUT, LANDING_WINDOW
from editor.publish.images import local_images_warning
from editor.publish.logmask import install_secret_masking
from editor.publish.pending import PendingInserts
from editor.publish.platform import SignInResult
from editor.publish.providers import caption_style_of, provider
from editor.publish.recorded import recovered_record, update_recorded
from editor.publish.records import (
    keep_record,
    parse_draft,
    read_draft,
    record_of,
    take_theirs,
)
from editor.publish.schedule import (
    TIME_KEY,
    ZONE_KEY,
    ScheduleChange,
    change_schedule,
    writer_time,
)
from editor.publish.secure_url import require_secure
from editor.publish.wordpress import (
    WordPressClient,
    account_key,
    categories_of,
    user_of,
)
from editor.publish.wordpress_api import (
    PASSWORD_WORDS,
    RestRoot,
    normalize_site_url,
)

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class PublishResult:
    """The outcome of one publish: where the post is and what to tell the writer."""

    blog_key: str
    post_id: str
    url: str
    status: str
    updated: str
    created: bool  # a new post (False: an existing one was updated)
    warnings: list[str] = field(default_factory=list)
    record: dict[str, object] = field(default_factory=dict)  # what the draft keeps of the post


def _quiet(_message: str) -> None:
    pass


class PublishService:
    """Sign-in, blogs and publishing, over one injected `requests.Session`."""

    def __init__(
        self,
        *,
        paths: AppPaths | None = None,
        session: requests.Session | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        max_attempts: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        landing_window: float = LANDING_WINDOW,
    ) -> None:
        install_secret_masking()
        self.env = os.environ if env is None else env
        self.paths = paths or app_paths(self.env)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = f"Broadsheet/{version()}"
        self.session = session
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.sleep = sleep
        # How long after a create was sent its post may still appear (see LANDING_WINDOW).
        self.landing_window = landing_window
        self._stop = threading.Event()  # set by stop_waiting(): give up waiting for a post
        self._tokens: dict[str, GoogleTokens] = {}  # access tokens live in memory only
        self._wp_roots: dict[str, RestRoot] = {}  # site URL -> where its REST API answers
        self.snippets = SnippetFolder(self.paths.snippets_dir)  # `{% include NAME %}` lines

    # --- configuration -------------------------------------------------------------------

    def accounts(self) -> AccountsConfig:
        """Accounts, blogs and the default blog as saved."""
        return load_accounts(self.paths)

    def google_client_id(self) -> str | None:
        """The OAuth client id from the environment or the settings."""
        return self.env.get(CLIENT_ID_ENV) or self.accounts().google_client_id

    def has_google_client(self) -> bool:
        """True when both the client id and its secret are available."""
        client_id = self.google_client_id()
        return bool(client_id and self._client_secret(client_id))

    def set_google_client(self, client_id: str, client_secret: str) -> None:
        """Remember the writer's OAuth client: id in the settings, secret in the keyring."""
        client_id, client_secret = client_id.strip(), client_secret.strip()
        if not client_id or not client_secret:
            raise ConfigError("Both the OAuth client id and the client secret are needed.")
        credentials.store_secret(credentials.CLIENT_SECRET, client_id, client_secret)
        config = self.accounts()
        config.google_client_id = client_id
        save_accounts(config, self.paths)

    def google_client(self) -> GoogleClient:
        """The OAuth client to sign in and renew tokens with."""
        client_id = self.google_client_id()
        secret = self._client_secret(client_id) if client_id else None
        if not client_id or not secret:
            raise ConfigError(
                "No Google OAuth client is set up; run `broadsheet login blogger` (docs/blogger.md"
                " explains how to create one)."
            )
        return GoogleClient.from_env(client_id, secret, self.env)

    def _client_secret(self, client_id: str) -> str | None:
        return self.env.get(CLIENT_SECRET_ENV) or credentials.load_secret(
            credentials.CLIENT_SECRET, client_id
        )

    def take_theirs(self, path: Path | str, conflict: ConflictError, blog_key: str) -> Path:
        """Save the blog's side of a conflict as a new draft next to `path`; returns it."""
        return take_theirs(Path(path), conflict, blog_key)

    def set_default_blog(self, wanted: str) -> Blog:
        """Make a blog (key, id, name or URL) the default one."""
        config = self.accounts()
        blog = config.find_blog(wanted)
        config.default_blog = blog.key
        save_accounts(config, self.paths)
        return blog

    # --- sign-in and blogs -------------------------------------------------------------------

    def sign_in_blogger(
        self,
        *,
        open_browser: bool = True,
        on_url: Callable[[str], None] | None = None,
        timeout_seconds: float | None = 300,
        progress: Progress | None = None,
    ) -> SignInResult:
        """Sign in with Google in the browser and remember the account and its blogs."""
        report = progress or _quiet
        client = self.google_client()
        report("Waiting for Google sign-in in the browser…")
        tokens = run_sign_in(
            client, open_browser=open_browser, on_url=on_url, timeout_seconds=timeout_seconds
        )
        auth = GoogleTokens(
            client, tokens.refresh_token, self.session, access_token=tokens.access_token
        )
        api = self._blogger(auth)
        report("Reading your blogs…")
        user_id, name = api.current_user()
        blogs = api.list_blogs()
        account = Account(key=f"google:{user_id}", provider=blogger.PROVIDER, label=name)
        credentials.store_secret(credentials.REFRESH_TOKEN, account.key, tokens.refresh_token)
        self._tokens[account.key] = auth
        config = self.accounts()
        entries = [Blog(blogger.blog_key(b.id), b.name, b.url, account.key) for b in blogs]
        config.add_account(account, entries)
        save_accounts(config, self.paths)
        log.info("Signed in to Blogger as %s with %d blogs", name, len(entries))
        return SignInResult(account, entries)

    def sign_in_wordpress(
        self,
        site_url: str,
        user: str,
        app_password: str,
        progress: Progress | None = None,
    ) -> SignInResult:
        """Check a WordPress user and application password, then remember the site as a blog.

        The application password goes to the keyring only; accounts.json gets the site and
        user. Raises ConfigError (bad address, plain http), AuthError (wrong password, header
        stripped, no application passwords), OfflineError, PermissionError_ …
        """
        report = progress or _quiet
        site = normalize_site_url(site_url)
        user, app_password = user.strip(), app_password.strip()
        if not user or not app_password:
            raise ConfigError(
                "Both the WordPress user name and an application password are needed."
            )
        require_secure(site, PASSWORD_WORDS)
        report(f"Contacting {site}…")
        client = self._wordpress_client(site, user, app_password)
        info = client.site_info()
        report("Checking the user name and application password…")
        name = client.check_sign_in()
        site = client.root.site  # where it answered, after any redirect (http -> https)
        account = Account(
            key=account_key(site, user), provider=wordpress.PROVIDER, label=f"{name} on {info.name}"
        )
        blog = Blog(wordpress.blog_key(site), info.name, site, account.key)
        credentials.store_secret(credentials.APP_PASSWORD, account.key, app_password)
        config = self.accounts()
        config.add_account(account, [blog])
        save_accounts(config, self.paths)
        log.info("Signed in to WordPress at %s as %s", site, user)
        return SignInResult(account, [blog])

    def remember(self, account: Account, blogs: list[Blog], secret: str) -> SignInResult:
        """Keep a signed-in account: its secret in the keyring, the account and its blogs in
        accounts.json (what was kept for the same account is replaced)."""
        credentials.store_secret(credentials.ACCOUNT_SECRET, account.key, secret)
        config = self.accounts()
        config.add_account(account, blogs)
        save_accounts(config, self.paths)
        log.info("Signed in to %s with %d blogs", account.provider, len(blogs))
        return SignInResult(account, blogs)

    def secret(self, blog: Blog) -> str:
        """The secret kept for the blog's account by `remember` (SignedOutError if none)."""
        value = credentials.load_secret(credentials.ACCOUNT_SECRET, blog.account)
        if not value:
            raise SignedOutError(
                f"You are not signed in to {blog.name}; connect it again with Publish ▸"
                f" Connect a Blog… or `broadsheet login {blog.provider} {blog.url}`."
            )
        return value

    def sign_out(self, account_key: str) -> None:
        """Forget an account: its refresh token, password or key, its blogs."""
        credentials.delete_secret(credentials.REFRESH_TOKEN, account_key)
        credentials.delete_secret(credentials.APP_PASSWORD, account_key)
        credentials.delete_secret(credentials.ACCOUNT_SECRET, account_key)
        self._tokens.pop(account_key, None)
        config = self.accounts()
        config.remove_account(account_key)
        save_accounts(config, self.paths)

    def refresh_blogs(self, progress: Progress | None = None) -> list[Blog]:
        """Ask each signed-in account for its blogs, save and return them all."""
        report = progress or _quiet
        config = self.accounts()
        if not config.accounts:
            raise ConfigError("Not signed in to any blog; sign in with `broadsheet login blogger`.")
        for account in list(config.accounts.values()):
            report(f"Reading the blogs of {account.label}…")
            known = [b for b in config.blogs.values() if b.account == account.key]
            blogs = provider(account.provider).blogs(self, account, known)
            config.add_account(account, blogs)
        save_accounts(config, self.paths)
        return list(config.blogs.values())

    def client_for(self, blog: Blog) -> BlogClient:
        """The API client for a configured blog (ConfigError for a platform it does not know)."""
        return provider(blog.provider).client(self, blog)

    def blogger_for(self, account_key: str) -> BloggerClient:
        """The Blogger client of a signed-in Google account (SignedOutError if it is not)."""
        return self._blogger(self._auth(account_key))

    def wordpress_for(self, blog: Blog) -> WordPressClient:
        """The client for a WordPress blog, with the application password from the keyring."""
        user = user_of(blog.account, blog.url)
        password = credentials.load_secret(credentials.APP_PASSWORD, blog.account)
        if not password:
            raise SignedOutError(
                f"You are not signed in to {blog.name}; sign in with `broadsheet login"
                f" wordpress {blog.url} --user {user}`."
            )
        return self._wordpress_client(blog.url, user, password)

    def _wordpress_client(self, site: str, user: str, password: str) -> WordPressClient:
        client = WordPressClient(
            self.session,
            site,
            user,
            password,
            root=self._wp_roots.get(site),
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            sleep=self.sleep,
        )
        self._wp_roots.setdefault(site, client.root)  # finds the REST root on first use
        return client

    def _blogger(self, auth: GoogleTokens) -> BloggerClient:
        return BloggerClient(
            self.session,
            auth,
            base_url=api_url(dict(self.env)),
            timeout=self.timeout,
            max_attempts=self.max_attempts,
            sleep=self.sleep,
        )

    def _auth(self, account_key: str) -> GoogleTokens:
        if account_key in self._tokens:
            return self._tokens[account_key]
        refresh = credentials.load_secret(credentials.REFRESH_TOKEN, account_key)
        if not refresh:
            raise SignedOutError(
                "You are not signed in to Blogger for this blog; sign in with"
                " `broadsheet login blogger`."
            )

        def rotate(new: str) -> None:
            credentials.store_secret(credentials.REFRESH_TOKEN, account_key, new)

        auth = GoogleTokens(
            self.google_client(), refresh, self.session, on_new_refresh_token=rotate
        )
        self._tokens[account_key] = auth
        return auth

    # --- publishing ---------------------------------------------------------------------------

    def stop_waiting(self) -> None:
        """Stop waiting for a post that may still appear (the window is closing); thread-safe.

        The publish in progress, and any later one, then raises an uncertain OfflineError
        instead of waiting; the pending journal makes the next program run wait for it.
        """
        self._stop.set()

    def publish(
        self,
        path: Path | str,
        blog: str | None = None,
        *,
        mode: PublishMode = PublishMode.PUBLISH,
        at: datetime | None = None,
        overwrite: bool = False,
        progress: Progress | None = None,
        text: str | None = None,
        write_back: bool = True,
        as_new: bool = False,
    ) -> PublishResult:
        """Publish the draft at `path` to `blog` (key, id, name or URL; default blog if None).

        A draft with a publish record for that blog updates its post (after a conflict check
        that `overwrite=True` skips; PostGoneError when the post was deleted there); otherwise,
        or with `as_new=True`, a new post is created exactly once. `text` publishes that text of
        the draft instead of the file's (the window sends the text as it was at the click, while
        the writer goes on typing and saving). On success the record is written into the draft's
        front matter, unless `write_back` is False: then the caller stores `result.record` and
        calls `record_kept` once it is on disk (until then a retry finds the post through the
        pending-insert journal). Raises PublishError subclasses.
        """
        report = progress or _quiet
        if mode is PublishMode.SCHEDULE and at is None:
            raise ConfigError("Scheduling needs a date and time to publish at.")
        path = Path(path)
        if text is None:
            post = read_draft(path)  # with the records kept beside it
        else:
            post = parse_draft(text, path.name)
            post.records = load_records(path)
        chosen = post.meta.get("blog")  # the post panel's choice of blog
        target = self.accounts().find_blog(blog or (chosen if isinstance(chosen, str) else None))
        # The same caption style as the preview shows for this blog (settings; WordPress:
        # figures unless the writer chose otherwise).
        captions = caption_style_of(Settings(self.paths.settings_file).load(), target.key)
        try:
            html = publishable_html(post, self.snippets, caption_style=captions)
        except SnippetError as exc:  # before anything reaches the blog
            raise DraftError(f"Not published: {exc.message}") from exc
        except RenderError as exc:  # before anything reaches the blog
            raise DraftError(
                f"Not published: line {exc.line} cannot be rendered (it {exc.problem.reason})."
            ) from exc
        content = PostContent(post.title, html, post.labels, description=post.description)
        client = self.client_for(target)
        if mode is PublishMode.SCHEDULE and not client.capabilities.scheduling:
            raise ConfigError(f"{target.name} cannot schedule posts; publish it now instead.")
        blog_id = target.remote_id
        record = post.publish_record(target.key)
        if as_new and record:
            # Forget the recorded post (deleted on the blog); images uploaded for it stay in
            # the blog's media library and are reused. Replaced on disk only on success.
            record = {k: v for k, v in record.items() if k == "media"} or None
        extra: dict[str, object] = {}  # kept in the record besides the post's own fields
        if client.capabilities.taxonomy == TAGS_AND_CATEGORIES:
            content = replace(content, categories=categories_of(post.meta))
        if client.capabilities.media_library:
            warnings: list[str] = []
            html, media = client.upload_media(
                content.html, path.parent, (record or {}).get("media"), report
            )
            content = replace(content, html=html)
            if media:
                extra["media"] = media
        else:
            content, warnings = self._host_images(path, target, content, report)
        pending = PendingInserts(self.paths)
        created = False
        if record and not record.get("id") and record_address(record):
            # The record beside the draft is lost; its `published:` line says where the post is.
            report("Finding the post on the blog by its address…")
            record = recovered_record(client, target, record, content, overwrite=overwrite)
        kind = str((record or {}).get("kind") or POST)  # a new one is always a post
        if record and record.get("id"):
            remote = update_recorded(
                client, target, record, content, overwrite, report, labels_set=has_labels_line(post)
            )
        else:
            creator = PostCreator(
                client, target, pending, report, landing_window=self.landing_window, stop=self._stop
            )
            remote, created = creator.create(path, content, mode), True
        status_error: PublishError | None = None
        try:
            remote = self._apply_status(client, blog_id, remote, mode, at, report, kind)
        except PublishError as exc:
            status_error = exc  # the content is on the blog: record it before reporting this
        kept = {**record_of(remote), **extra}
        if kind != POST:
            kept["kind"] = kind
        if remote.status == SCHEDULED and mode is PublishMode.SCHEDULE and at is not None:
            when, zone = writer_time(at)  # when it goes live, in the writer's zone
            kept.update({TIME_KEY: when.isoformat(), **({ZONE_KEY: zone} if zone else {})})
        # What was sent and what the blog holds now: sync tells a draft edited since (draft)
        # and the next publish keeps labels added on the blog meanwhile (labels).
        kept["labels"] = list(remote.labels)
        kept["draft"] = draft_fingerprint(post)
        if not remote.url:  # a draft on the blog: its address is where the blog edits it
            kept["edit_url"] = client.edit_address(blog_id, remote.id, kind)
        report("Saving the post id beside the draft…")
        try:
            problem = keep_record(path, post, target.key, kept, write_back=write_back)
        except DraftError as exc:
            raise DraftError(
                f"The post is on the blog ({remote.url or remote.id}), but its id could not"
                f" be saved beside the draft: {exc.message} Publishing again updates the same"
                " post."
            ) from exc
        pending.finish(target.key, path)
        warnings += [problem] if problem else []
        with contextlib.suppress(WriteError):  # completion only: never fails a publish
            BlogLabels(self.paths).add(target.key, remote.labels)
        BlogStates(self.paths).forget(target.key, {remote.id, str((record or {}).get("id"))})
        if status_error is not None:
            status_error.message = (
                f"The post was saved on the blog as {remote.status.lower() or 'before'}, but"
                f" changing its status failed: {status_error.message}"
            )
            status_error.args = (status_error.message,)
            raise status_error
        log.info("Published %s to %s as %s (%s)", path.name, target.key, remote.id, remote.status)
        return PublishResult(
            blog_key=target.key,
            post_id=remote.id,
            url=remote.url,
            status=remote.status,
            updated=remote.updated,
            created=created,
            warnings=warnings,
            record=kept,
        )

    def reschedule(
        self, path: Path | str, at: datetime, blog: str | None = None, **kw: Any
    ) -> ScheduleChange:
        """Move the draft's scheduled post to `at` (editor.publish.schedule.change_schedule)."""
        return change_schedule(self, path, at, blog, **kw)

    def unschedule(self, path: Path | str, blog: str | None = None, **kw: Any) -> ScheduleChange:
        """Cancel the draft's schedule: the post stays on its blog as a draft."""
        return change_schedule(self, path, None, blog, **kw)

    def record_kept(self, blog_key: str, path: Path | str) -> None:
        """The caller has the post's record safely in the draft: forget the pending insert."""
        PendingInserts(self.paths).finish(blog_key, Path(path))

    def _host_images(
        self, path: Path, blog: Blog, content: PostContent, report: Progress
    ) -> tuple[PostContent, list[str]]:
        """Upload the draft's local images to the image host and point the HTML at them.

        Blogger cannot take images, so they go to the writer's host before the post goes out;
        a failed upload raises before anything reaches the blog. Without a host the images
        are listed as a warning (publishing with remote image URLs works as before).
        """
        images = local_image_sources(content.html)
        if not images:
            return content, []
        hosts = load_hosts(self.paths)
        if not hosts.hosts:
            return content, [local_images_warning(images)]
        host = self.image_host(blog, hosts)
        try:
            prepared = prepare_images(
                path,
                content.html,
                host,
                lambda done, total: report(f"Uploading images… {done} of {total}"),
            )
        finally:
            host.close()
        return replace(content, html=prepared.html), list(prepared.warnings)

    def image_host(self, blog: Blog, hosts: HostsConfig | None = None) -> ImageHost:
        """The image host `blog`'s images go to (its own choice, else the default host).

        Raises ConfigError when no host is set up; close() the host after use.
        """
        config = (hosts or load_hosts(self.paths)).for_blog(blog.key)
        return open_host(config, self.session, timeout=self.timeout, sleep=self.sleep)

    def _apply_status(
        self,
        client: BlogClient,
        blog_id: str,
        remote: RemotePost,
        mode: PublishMode,
        at: datetime | None,
        report: Progress,
        kind: str = POST,
    ) -> RemotePost:
        if mode is PublishMode.SCHEDULE:
            report("Scheduling the post…")
            return client.publish_post(blog_id, remote.id, at, kind=kind)
        if mode is PublishMode.DRAFT and remote.status in (LIVE, SCHEDULED):
            report("Turning the post back into a draft…")
            return client.revert_post(blog_id, remote.id, kind=kind)
        if mode is PublishMode.PUBLISH and remote.status not in (LIVE, PRIVATE):
            # (A private post stays private: "Publish" sends the words, not a status change.)
            report("Publishing the post…")
            # Without a date a scheduled post would keep its old date: "now" means now.
            now = datetime.now(UTC) if remote.status == SCHEDULED else None
            return client.publish_post(blog_id, remote.id, now, kind=kind)
        return remote
