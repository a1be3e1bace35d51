"""Which accounts and blogs Broadsheet knows: `accounts.json` in the config folder.

Holds no secrets: the OAuth client id (public by design for installed apps), account labels,
blog names/URLs and the default blog. Refresh tokens and client secrets are in the keyring.
Every write goes through the atomic writer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from editor.core.paths import AppPaths, app_paths
from editor.publish.config_files import read_config_object, write_config_object
from editor.publish.errors import ConfigError

FILE_NAME = "accounts.json"
VERSION = 1


@dataclass
class Account:
    """A signed-in account: `key` like "google:<userId>", a label the writer recognises."""

    key: str
    provider: str  # "blogger" (later "wordpress")
    label: str


@dataclass
class Blog:
    """A blog the writer can publish to; `key` like "blogger:<blogId>"."""

    key: str
    name: str
    url: str
    account: str  # Account.key

    @property
    def provider(self) -> str:
        """The API this blog is published through ("blogger", …)."""
        return self.key.split(":", 1)[0]

    @property
    def remote_id(self) -> str:
        """The blog's id at its provider."""
        return self.key.split(":", 1)[1]


@dataclass
class AccountsConfig:
    """Accounts, blogs and the default blog, as stored in accounts.json."""

    accounts: dict[str, Account] = field(default_factory=dict)
    blogs: dict[str, Blog] = field(default_factory=dict)
    default_blog: str | None = None
    google_client_id: str | None = None

    def add_account(self, account: Account, blogs: list[Blog]) -> None:
        """Add or refresh an account and its blogs; the first blog ever becomes the default."""
        self.accounts[account.key] = account
        for key in [k for k, b in self.blogs.items() if b.account == account.key]:
            if key not in {b.key for b in blogs}:
                del self.blogs[key]  # the account lost access to it
        for blog in blogs:
            self.blogs[blog.key] = blog
        if self.default_blog not in self.blogs:
            self.default_blog = blogs[0].key if blogs else next(iter(self.blogs), None)

    def remove_account(self, account_key: str) -> None:
        """Forget an account and its blogs."""
        self.accounts.pop(account_key, None)
        for key in [k for k, b in self.blogs.items() if b.account == account_key]:
            del self.blogs[key]
        if self.default_blog not in self.blogs:
            self.default_blog = next(iter(self.blogs), None)

    def find_blog(self, wanted: str | None) -> Blog:
        """The blog named by key, id, name or URL; the default blog when `wanted` is None."""
        if not self.blogs:
            raise ConfigError(
                "No blog is set up yet; sign in first with `broadsheet login blogger`."
            )
        if wanted is None:
            if self.default_blog and self.default_blog in self.blogs:
                return self.blogs[self.default_blog]
            if len(self.blogs) == 1:
                return next(iter(self.blogs.values()))
            raise ConfigError("Several blogs are set up; choose one with --blog ID.")
        for blog in self.blogs.values():
            if wanted in (blog.key, blog.remote_id, blog.url, blog.url.rstrip("/")):
                return blog
        matches = [b for b in self.blogs.values() if b.name.casefold() == wanted.casefold()]
        if len(matches) == 1:
            return matches[0]
        raise ConfigError(f"No blog {wanted!r} is set up; `broadsheet blogs` lists them.")


def config_path(paths: AppPaths | None = None) -> Path:
    """Where accounts.json lives."""
    return (paths or app_paths()).config_dir / FILE_NAME


def load_accounts(paths: AppPaths | None = None) -> AccountsConfig:
    """Read accounts.json; a missing file is an empty config."""
    data = read_config_object(config_path(paths))
    if data is None:
        return AccountsConfig()
    return _from_json(data)


def save_accounts(config: AccountsConfig, paths: AppPaths | None = None) -> None:
    """Write accounts.json durably."""
    path = config_path(paths)
    data = {
        "version": VERSION,
        "google_client_id": config.google_client_id,
        "accounts": {k: asdict(a) for k, a in config.accounts.items()},
        "blogs": {k: asdict(b) for k, b in config.blogs.items()},
        "default_blog": config.default_blog,
    }
    write_config_object(path, data)


def _from_json(data: dict[str, Any]) -> AccountsConfig:
    def fields_of(cls: type, raw: Any) -> dict[str, Any]:
        names = cls.__dataclass_fields__  # type: ignore[attr-defined]
        return {k: str(v) for k, v in raw.items() if k in names} if isinstance(raw, dict) else {}

    config = AccountsConfig(
        default_blog=data.get("default_blog"), google_client_id=data.get("google_client_id")
    )
    for key, raw in (data.get("accounts") or {}).items():
        values = {"provider": "blogger", "label": key, **fields_of(Account, raw), "key": key}
        config.accounts[key] = Account(**values)
    for key, raw in (data.get("blogs") or {}).items():
        values = {"name": key, "url": "", "account": "", **fields_of(Blog, raw), "key": key}
        config.blogs[key] = Blog(**values)
    return config
