"""`broadsheet images hosts|add-host|remove-host|test-host|use`: set up image hosts from the
command line, as the window's image host settings do.

Settings go to image-hosts.json. A host's one secret (S3 secret key, password, application
password) is read from a hidden prompt, or from one line of stdin when stdin is not a terminal,
and kept in the keyring: never taken as an argument, never printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from editor.cli.common import ask, fail
from editor.publish.providers import capabilities_of

if TYPE_CHECKING:
    from editor.publish.hosts.config import HostConfig, HostsConfig
    from editor.publish.service import PublishService

#: `images use default --blog ID` drops a blog's own choice, so no host may be called that
DEFAULT_WORD = "default"
NO_HOST = (
    "No image host is set up yet; add one with `broadsheet images add-host KEY --type TYPE`"
    " (`broadsheet images add-host --help` shows how)."
)


class HelpParser(argparse.ArgumentParser):
    """A parser whose epilog is written only when its help is shown.

    The add-host help lists every host type's settings, which means importing every host
    module (SFTP pulls in paramiko); other commands should not pay for that.
    """

    epilog_factory: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.epilog_factory is not None and self.epilog is None:
            self.epilog = self.epilog_factory()
        return super().format_help()


def add_host_parsers(actions: Any) -> None:
    """Register the image-host commands on the `images` actions."""
    listing = actions.add_parser(
        "hosts",
        help="list the image hosts you set up",
        description="List the image hosts, one a line: key, type, label, `default` for the"
        " host that blogs without their own choice use, the blogs that chose this host, and"
        " whether the keyring holds its secret (the secret itself is never shown).",
    )
    listing.set_defaults(func=cmd_hosts)

    add = actions.add_parser(
        "add-host",
        help="set up an image host (S3, WebDAV, SFTP, a command, WordPress media)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Set up the image host KEY (or replace the one of that key). Its secret (the S3
secret access key, the WebDAV or SFTP password or key passphrase, the WordPress
application password) is asked for without showing it, or read from the first
line of stdin when stdin is not a terminal; it goes to the system keyring, never
into a file. The settings are checked before anything is saved.

example:
  broadsheet images add-host photos --type s3 --label "My bucket" \\
      --set endpoint=https://s3.eu-central-1.amazonaws.com --set region=eu-central-1 \\
      --set bucket=my-photos --set access_key_id=AKIA... \\
      --set public_base_url=https://my-photos.s3.eu-central-1.amazonaws.com
  broadsheet images test-host photos""",
    )
    add.epilog_factory = _settings_help
    add.add_argument("key", metavar="KEY", help="a short name: letters, digits, '.', '_', '-'")
    add.add_argument(
        "--type",
        required=True,
        metavar="TYPE",
        help="s3, webdav, sftp, command or wordpress (their settings are listed below)",
    )
    add.add_argument("--label", default="", help="the name messages use (default: KEY)")
    add.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one setting (repeat for each; true/false for yes/no settings)",
    )
    add.add_argument(
        "--default", action="store_true", help="make it the host every blog uses by default"
    )
    add.set_defaults(func=cmd_add_host)

    remove = actions.add_parser(
        "remove-host",
        help="forget an image host and its secret",
        description="Forget the image host KEY and delete its secret from the keyring. Blogs"
        " that used it go back to the default host. The images already uploaded stay where"
        " they are.",
    )
    remove.add_argument("key", metavar="KEY", help="the host's key (`images hosts` lists them)")
    remove.set_defaults(func=cmd_remove_host)

    test = actions.add_parser(
        "test-host",
        help="check that an image host works",
        description="Upload a tiny test image to the image host KEY (default: the default"
        " host), fetch it from its public address as a reader would, and delete it. Prints"
        " the address; exit status 1 with the reason when a step fails.",
    )
    test.add_argument(
        "key", metavar="KEY", nargs="?", help="the host's key (default: the default host)"
    )
    test.set_defaults(func=cmd_test_host)

    use = actions.add_parser(
        "use",
        help="choose the image host of a blog, or the default one",
        description="`use KEY --blog ID`: upload this blog's images to the host KEY."
        " `use default --blog ID`: the blog uses the default host again."
        " `use KEY --default`: KEY becomes the default host, used by every blog without its"
        " own choice.",
    )
    use.add_argument("key", metavar="KEY", help="an image host, or `default` with --blog")
    where = use.add_mutually_exclusive_group(required=True)
    where.add_argument("--blog", metavar="ID", help="blog id, name or URL")
    where.add_argument("--default", action="store_true", help="make KEY the default host")
    use.set_defaults(func=cmd_use)


def _settings_help() -> str:
    """Every host type's settings with what each means, for the add-host help."""
    from editor.publish.hosts.config import HOST_TYPES
    from editor.publish.hosts.registry import SECRET_NAMES

    lines = ["settings (--set NAME=VALUE) of each type:"]
    for host_type in HOST_TYPES:
        secret = SECRET_NAMES[host_type]
        lines.append(f"  {host_type} (secret: {secret or 'none'})")
        lines += [f"    {line}" for line in _field_lines(host_type)]
    return "\n".join(lines)


def _field_lines(host_type: str) -> list[str]:
    from editor.publish.hosts.registry import fields

    known = fields(host_type)
    width = max(map(len, known))
    return [f"{name:<{width}}  {meaning}" for name, meaning in known.items()]


def configured_hosts(service: PublishService) -> HostsConfig:
    """image-hosts.json; ConfigError (saying how to add one) when no host is set up."""
    from editor.publish.errors import ConfigError
    from editor.publish.hosts.config import load_hosts

    hosts = load_hosts(service.paths)
    if not hosts.hosts:
        raise ConfigError(NO_HOST)
    return hosts


def cmd_hosts(args: argparse.Namespace) -> int:
    """One line per host: key, type, label, default, blogs that chose it, its secret's state."""
    from editor.publish.errors import PublishError
    from editor.publish.hosts.config import load_hosts
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        hosts = load_hosts(service.paths)
        blogs = service.accounts().blogs
    except PublishError as exc:
        return fail(exc.message)
    if not hosts.hosts:
        print(f"broadsheet: {NO_HOST}", file=sys.stderr)
        return 0
    default = hosts.find(None).key
    for key, host in hosts.hosts.items():
        chosen = [
            blogs[b].name if b in blogs else b for b, h in hosts.blog_hosts.items() if h == key
        ]
        mark = "default" if key == default else "-"
        columns = [key, host.type, host.label or "-", mark, ", ".join(chosen) or "-"]
        print("\t".join([*columns, _secret_state(host)]))
    return 0


def _secret_state(host: HostConfig) -> str:
    """Whether the keyring has the host's secret (never the secret)."""
    from editor.publish.errors import CredentialStoreError
    from editor.publish.hosts.config import load_host_secret
    from editor.publish.hosts.registry import SECRET_NAMES

    if SECRET_NAMES[host.type] is None:
        return "no secret needed"
    try:
        return "secret in keyring" if load_host_secret(host.key) else "no secret in keyring"
    except CredentialStoreError:
        return "keyring locked"


def _parse_settings(host_type: str, items: list[str]) -> dict[str, Any]:
    """`--set NAME=VALUE` items as settings; ConfigError for a malformed or unknown one."""
    from editor.publish.errors import ConfigError
    from editor.publish.hosts.config import HOST_TYPES
    from editor.publish.hosts.registry import fields

    if host_type not in HOST_TYPES:
        raise ConfigError(
            f"There is no image host type {host_type!r}; choose one of {', '.join(HOST_TYPES)}."
        )
    known = fields(host_type)
    settings: dict[str, Any] = {}
    for item in items:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ConfigError(f"--set {item!r} is not NAME=VALUE.")
        if name not in known:
            listed = "\n".join(f"  {line}" for line in _field_lines(host_type))
            raise ConfigError(
                f"An image host of type {host_type} has no setting {name!r} (nothing was"
                f" saved); its settings are:\n{listed}"
            )
        lowered = value.strip().lower()
        settings[name] = {"true": True, "false": False}.get(lowered, value.strip())
    return settings


def _ask_secret(host: HostConfig) -> str | None:
    """The host's secret from a hidden prompt or stdin; None for a type without one."""
    from editor.publish.hosts.registry import SECRET_NAMES

    name = SECRET_NAMES[host.type]
    if name is None:
        return None
    if host.settings.get("key_file"):
        name = f"passphrase of {host.settings['key_file']} (empty when it has none)"
    elif host.type == "sftp":
        name = "password"
    return ask(f"{name[0].upper()}{name[1:]} for {host.display_name()}: ", secret=True)


def cmd_add_host(args: argparse.Namespace) -> int:
    """Check the settings, ask for the secret, keep it in the keyring, save the host."""
    from editor.publish.errors import PublishError
    from editor.publish.hosts.config import (
        HostConfig,
        forget_host_secret,
        load_hosts,
        save_hosts,
        store_host_secret,
    )
    from editor.publish.hosts.errors import ImageHostConfigError
    from editor.publish.hosts.manage import check_host
    from editor.publish.hosts.registry import SECRET_NAMES
    from editor.publish.service import PublishService

    if args.key == DEFAULT_WORD:
        return fail(f"{DEFAULT_WORD!r} is a word of `images use`; choose another KEY.")
    try:
        settings = _parse_settings(args.type, args.settings)
    except PublishError as exc:
        return fail(exc.message)
    service = PublishService()
    try:
        host = HostConfig(args.key, args.type, args.label, settings)
        hosts = load_hosts(service.paths)
        replacing = host.key in hosts.hosts
        hosts.add(host)  # checks the key
        secret_name = SECRET_NAMES[host.type]
        # The settings first (with a stand-in secret), so nobody types a secret for nothing.
        check_host(host, "stand-in" if secret_name else None)
        secret = _ask_secret(host)
        try:
            check_host(host, secret)
        except ImageHostConfigError:
            if secret == "":  # the settings passed: what is missing is the secret
                return fail(f"No {secret_name} given; nothing was saved.")
            raise
        if args.default:
            hosts.default_host = host.key
        if secret:
            store_host_secret(host.key, secret)
        elif replacing:
            forget_host_secret(host.key)  # the secret of the host this one replaces
        save_hosts(hosts, service.paths)
    except PublishError as exc:
        return fail(f"{exc.message.rstrip('.')}. Nothing was saved.")
    except KeyboardInterrupt:
        return fail("Cancelled; nothing was saved.")
    default = "; it is the default host" if hosts.find(None).key == host.key else ""
    print(
        f"Saved the image host {host.key} ({host.type}){default}."
        f" Try it with `broadsheet images test-host {host.key}`."
    )
    return 0


def cmd_remove_host(args: argparse.Namespace) -> int:
    """Forget the host and delete its secret from the keyring."""
    from editor.publish.errors import PublishError
    from editor.publish.hosts.config import forget_host_secret, save_hosts
    from editor.publish.hosts.registry import SECRET_NAMES
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        hosts = configured_hosts(service)
        host = hosts.find(args.key)
        had_blogs = host.key in hosts.blog_hosts.values()
        hosts.remove(host.key)
        save_hosts(hosts, service.paths)
    except PublishError as exc:
        return fail(exc.message)
    print(f"Removed the image host {host.key}.")
    if hosts.hosts:
        print(f"The default image host is {hosts.find(None).key}.")
        if had_blogs:
            print("The blogs that used it use the default host now.")
    if SECRET_NAMES[host.type] is None:
        return 0  # nothing in the keyring (add-host forgets a replaced host's secret)
    try:
        forget_host_secret(host.key)
    except PublishError as exc:
        return fail(f"Its secret could not be deleted from the keyring: {exc.message}")
    return 0


def cmd_test_host(args: argparse.Namespace) -> int:
    """Upload, fetch and delete a tiny image on the host; print the address it was fetched at."""
    from editor.publish.errors import PublishError
    from editor.publish.hosts.errors import ImageHostAuthError
    from editor.publish.hosts.manage import test_host
    from editor.publish.service import PublishService

    service = PublishService()
    try:
        config = configured_hosts(service).find(args.key)
    except PublishError as exc:
        return fail(exc.message)
    print(f"broadsheet: Testing {config.display_name()}…", file=sys.stderr)
    try:
        url, deleted = test_host(config, session=service.session)
    except ImageHostAuthError as exc:
        return fail(
            f"{exc.message} To store another secret, run `broadsheet images add-host"
            f" {config.key} …` again with the same settings."
        )
    except PublishError as exc:
        return fail(exc.message)
    kept = "" if deleted else " (this host cannot delete files: the test image stays)"
    print(
        f"The image host {config.display_name()} works: a test image was uploaded and fetched"
        f" from {url}{kept}."
    )
    return 0


def cmd_use(args: argparse.Namespace) -> int:
    """Choose a blog's image host (or drop its choice), or the default host."""
    from editor.publish.errors import PublishError
    from editor.publish.hosts.config import save_hosts
    from editor.publish.service import PublishService

    if args.default and args.key == DEFAULT_WORD:
        return fail("`use default` takes --blog ID: that blog goes back to the default host.")
    service = PublishService()
    try:
        hosts = configured_hosts(service)
        host = None if args.key == DEFAULT_WORD else hosts.find(args.key)
        if host is not None and args.default:
            hosts.default_host = host.key
            message = f"{host.key} is the default image host now."
        else:
            blog = service.accounts().find_blog(args.blog)
            if capabilities_of(blog).media_library:
                return fail(f"{blog.name} keeps its images in its own media library.")
            hosts.use_for_blog(blog.key, host.key if host else None)
            message = f"The images of {blog.name} go to {hosts.for_blog(blog.key).key}" + (
                "." if host else ", the default host (and follow it when the default changes)."
            )
        save_hosts(hosts, service.paths)
    except PublishError as exc:
        return fail(exc.message)
    print(message)
    return 0
