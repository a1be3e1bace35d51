"""The one place that lists the blog platforms Broadsheet publishes to (the first part of a
blog's key in accounts.json names one). Each platform declares itself in
editor/publish/platforms/<name>.py; everything else asks a client's or a blog's
`Capabilities`, never a name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from editor.core.caption_style import caption_style_for
from editor.core.settings import Settings
from editor.publish.accounts import Blog
from editor.publish.base import Capabilities
from editor.publish.errors import ConfigError
from editor.publish.platform import (
    Clients,
    Progress,
    Provider,
    SignInField,
    SignInForm,
    SignInResult,
)
from editor.publish.platforms import blogger, ghost, metaweblog, micropub, wordpress

__all__ = [
    "PROVIDERS",
    "Capabilities",
    "Clients",
    "Progress",
    "Provider",
    "SignInField",
    "SignInForm",
    "SignInResult",
]

PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        blogger.PLATFORM,
        wordpress.PLATFORM,
        ghost.PLATFORM,
        metaweblog.PLATFORM,
        micropub.PLATFORM,
    )
}
WORDPRESS_FORM = wordpress.WORDPRESS_FORM


def provider(name: str) -> Provider:
    """The platform called `name` in accounts.json; ConfigError when Broadsheet has none."""
    try:
        return PROVIDERS[name]
    except KeyError:
        names = [p.display_name for p in PROVIDERS.values()]
        known = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
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
