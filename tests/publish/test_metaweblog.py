"""The MetaWeblog client's pure parts: faults as one sentence, RSD discovery, keys, structs.
(Everything that talks to a server is in tests/wordpress/test_metaweblog_wordpress.py.)"""

from __future__ import annotations

import xmlrpc.client

import pytest

from editor.publish.errors import (
    ConfigError,
    InvalidRequestError,
    NotFoundError,
    PermissionError_,
    PublishError,
    QuotaError,
    ServerError,
    SignedOutError,
)
from editor.publish.logmask import register_secret
from editor.publish.metaweblog import MetaWeblogClient, content_of, labels_of
from editor.publish.metaweblog_accounts import account_key, blog_key, split_remote_id, user_of
from editor.publish.metaweblog_api import XmlRpcEndpoint, edit_uri, map_fault, rsd_endpoint

HOST = "blog.example.com"


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (403, SignedOutError, "did not accept the user name or password"),
        (401, PermissionError_, "may not do this"),
        (404, NotFoundError, "does not exist"),
        (405, PermissionError_, "XML-RPC is turned off"),
        (429, QuotaError, "limiting requests"),
        (500, ServerError, "had a problem"),
        (-32601, ConfigError, "does not offer this part of the MetaWeblog API"),
        (-32700, InvalidRequestError, "could not read the request"),
        (400, InvalidRequestError, "refused the request"),
    ],
)
def test_each_fault_is_one_sentence(code: int, kind: type[PublishError], words: str) -> None:
    error = map_fault(xmlrpc.client.Fault(code, "Some <b>server</b>\n text."), HOST)
    assert type(error) is kind
    assert words in error.message and HOST in error.message
    assert error.message.endswith(".") and "\n" not in error.message


def test_a_fault_never_repeats_a_registered_secret() -> None:
    register_secret("s3cret-password-123")
    error = map_fault(xmlrpc.client.Fault(500, "bad s3cret-password-123"), HOST)
    assert "s3cret-password-123" not in error.message


def test_the_rsd_link_of_a_page() -> None:
    page = (
        '<html><head><link rel="stylesheet" href="s.css">'
        '<LINK REL="EditURI" TYPE="application/rsd+xml" TITLE="RSD" HREF="/xmlrpc.php?rsd" />'
        "</head></html>"
    )
    assert edit_uri(page) == "/xmlrpc.php?rsd"
    assert edit_uri("<html><head></head></html>") == ""


def test_the_rsd_document_prefers_metaweblog() -> None:
    document = b"""<?xml version="1.0"?><rsd version="1.0" xmlns="http://archipelago.phrasewise.com/rsd">
    <service><apis>
      <api name="Blogger" blogID="7" preferred="true" apiLink="https://x.test/blogger" />
      <api name="MetaWeblog" blogID="7" preferred="false" apiLink="https://x.test/mw" />
    </apis></service></rsd>"""
    assert rsd_endpoint(document) == ("https://x.test/mw", "7")
    assert rsd_endpoint(b"<rsd><apis><api name='Atom' apiLink='a'/></apis></rsd>") == ("", "")
    assert rsd_endpoint(b"not xml") == ("", "")


def test_keys_keep_the_endpoint_and_blog_apart() -> None:
    endpoint = "https://example.com/blog/xmlrpc.php"
    assert blog_key(endpoint, "12") == "metaweblog:12@example.com/blog/xmlrpc.php"
    assert split_remote_id("12@example.com/blog/xmlrpc.php") == (endpoint, "12")
    local = "http://127.0.0.1:8080/xmlrpc.php"
    assert split_remote_id(blog_key(local, "1").split(":", 1)[1]) == (local, "1")
    key = account_key(endpoint, "ann@home")
    assert user_of(key, endpoint) == "ann@home"
    assert MetaWeblogClient.blog_of("12@example.com/x") == "12"
    assert MetaWeblogClient.blog_of("12") == "12"


def test_plain_http_to_another_computer_is_refused_before_sending() -> None:
    with pytest.raises(ConfigError, match="plain http"):
        XmlRpcEndpoint(None, "http://example.com/xmlrpc.php")  # type: ignore[arg-type]


def test_a_post_split_at_more_is_whole_again() -> None:
    assert content_of({"description": "<p>a</p>"}) == "<p>a</p>"
    split = {"description": "<p>a</p>", "mt_text_more": "<p>b</p>", "wp_more_text": "Read on"}
    assert content_of(split) == "<p>a</p><!--more Read on--><p>b</p>"
    assert labels_of("a, b c,,  d ") == ["a", "b c", "d"]
    assert labels_of(["x", " "]) == ["x"]
