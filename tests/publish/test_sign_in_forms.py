"""Platforms that sign in with typed values declare their form in the registry; the command
line (and the Connect a Blog dialog, tests/ui/test_sign_in_page.py) are built from it, so a new
platform needs nothing but its module and its registration."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

import pytest

from editor import cli
from editor.publish import providers
from editor.publish.accounts import Account, Blog, config_path, load_accounts
from editor.publish.base import Capabilities
from editor.publish.errors import AuthError, SignedOutError
from editor.publish.providers import Provider, SignInField, SignInForm, SignInResult
from editor.publish.service import PublishService
from tests.publish.conftest import MemoryKeyring

TOY_SECRET = "toy-key-8c1f0e"


def _toy_sign_in(
    clients: providers.Clients, values: Mapping[str, str], progress: providers.Progress
) -> SignInResult:
    progress("Checking the key…")
    if values["key"] != TOY_SECRET:
        raise AuthError("Toy refused that key; copy it again from the toy's settings.")
    account = Account(key=f"toy:{values['site']}", provider="toy", label="Ann on Toy")
    blog = Blog(f"toy:{values['site']}", "Toy Blog", values["site"], account.key)
    return clients.remember(account, [blog], values["key"])


TOY_FORM = SignInForm(
    steps="<p>Paste the key of your toy blog.</p>",
    fields=(
        SignInField("site", "Site address", placeholder="https://toy.example"),
        SignInField("key", "API key", secret=True),
        SignInField("note", "Note", required=False),
    ),
    button="Connect to Toy",
    run=_toy_sign_in,
)


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Provider:
    """A platform registered the way a new publisher registers: one entry in PROVIDERS."""
    entry = Provider(
        "toy",
        "Toy",
        Capabilities(),
        lambda clients, blog: pytest.fail("no client is built to sign in"),
        lambda clients, account, known: known,
        TOY_FORM,
    )
    monkeypatch.setitem(providers.PROVIDERS, "toy", entry)
    return entry


def test_missing_fields_are_named_in_one_sentence() -> None:
    assert TOY_FORM.missing({"site": "", "key": ""}) == "Fill in the site address and api key."
    assert TOY_FORM.missing({"site": "x", "key": ""}) == "Fill in the api key."
    assert TOY_FORM.missing({"site": "x", "key": "y"}) is None  # the note may stay empty
    three = providers.WORDPRESS_FORM.missing({})
    assert three == "Fill in the site address, user name and application password."


def test_every_registered_form_is_well_formed() -> None:
    forms = providers.sign_in_forms()
    assert "wordpress" in forms and "blogger" not in forms  # Blogger signs in in the browser
    for name, (display_name, form) in forms.items():
        names = [f.name for f in form.fields]
        assert len(names) == len(set(names)), name
        assert any(f.secret for f in form.fields), f"{display_name} asks for no secret"
        assert display_name in form.button


def test_a_new_platform_signs_in_from_the_command_line_with_its_secret_in_the_keyring(
    toy: Provider,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{TOY_SECRET}\n\n"))
    assert cli.main(["login", "toy", "https://toy.example"]) == 0
    out = capsys.readouterr().out
    assert "Signed in to Toy as Ann on Toy" in out and "https://toy.example" in out
    config = load_accounts()
    blog = config.blogs["toy:https://toy.example"]
    assert blog.provider == "toy"
    assert PublishService().secret(blog) == TOY_SECRET
    assert TOY_SECRET not in config_path().read_text(encoding="utf-8")
    assert TOY_SECRET in memory_keyring.items.values()
    # Signing out forgets the secret too.
    PublishService().sign_out(blog.account)
    with pytest.raises(SignedOutError, match="broadsheet login toy https://toy.example"):
        PublishService().secret(blog)
    assert TOY_SECRET not in memory_keyring.items.values()


def test_a_wrong_secret_is_one_sentence_and_keeps_nothing(
    toy: Provider,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("not-the-key\n\n"))
    assert cli.main(["login", "toy", "https://toy.example"]) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("Toy refused that key; copy it again from the toy's settings.")
    assert err.count("\n") == 1
    assert not memory_keyring.items
    assert not config_path().exists() or not json.loads(config_path().read_text())["blogs"]


def test_an_address_left_out_gets_the_usage_line(
    toy: Provider, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["login", "toy"]) == 1
    assert "usage: broadsheet login toy SITE_URL" in capsys.readouterr().err


def test_an_empty_secret_is_asked_for_by_name(
    toy: Provider, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n\n"))
    assert cli.main(["login", "toy", "https://toy.example"]) == 1
    assert "Toy: Fill in the api key." in capsys.readouterr().err
