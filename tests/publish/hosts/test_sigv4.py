"""The SigV4 signer against AWS's published test suite and S3 documentation examples."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from editor.publish.hosts.sigv4 import EMPTY_SHA256, SigV4Auth, canonical_query, sign

# AWS SigV4 test suite (aws-sig-v4-test-suite): credentials, scope and date of every case.
SUITE = {
    "access_key": "AKIDEXAMPLE",
    "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "region": "us-east-1",
    "service": "service",
}
BASE = {"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"}


@pytest.mark.parametrize(
    ("name", "method", "path", "extra", "signature"),
    [
        ("get-vanilla", "GET", "/", {},
         "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("get-utf8", "GET", "/ሴ", {},
         "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        ("get-vanilla-query-order-value", "GET", "/?Param1=value2&Param1=value1", {},
         "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        ("get-vanilla-empty-query-key", "GET", "/?Param1=value1", {},
         "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        ("post-vanilla", "POST", "/", {},
         "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        ("post-vanilla-query", "POST", "/?Param1=value1", {},
         "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        ("post-header-key-sort", "POST", "/", {"My-Header1": "value1"},
         "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        ("post-header-value-case", "POST", "/", {"My-Header1": "VALUE1"},
         "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        ("get-header-value-trim", "GET", "/",
         {"My-Header1": " value1", "My-Header2": ' "a   b   c"'},
         "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
    ],
)  # fmt: skip
def test_aws_test_suite(name: str, method: str, path: str, extra: dict, signature: str) -> None:
    header = sign(
        method, f"https://example.amazonaws.com{path}", {**BASE, **extra}, EMPTY_SHA256, **SUITE
    )
    signed = ";".join(sorted(k.lower() for k in {**BASE, **extra}))
    assert header == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
        f" SignedHeaders={signed}, Signature={signature}"
    )


def test_s3_documentation_get_object_example() -> None:
    """S3 API reference, "Example: GET Object" (a ranged GET of examplebucket/test.txt)."""
    header = sign(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt",
        {
            "host": "examplebucket.s3.amazonaws.com",
            "range": "bytes=0-9",
            "x-amz-content-sha256": EMPTY_SHA256,
            "x-amz-date": "20130524T000000Z",
        },
        EMPTY_SHA256,
        access_key="AKIAIOSFODNN7EXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="s3",
    )
    assert header.endswith(
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        " Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


def test_query_is_sorted_by_encoded_key_then_value() -> None:
    assert canonical_query("b=2&a=z&a=y&c=") == "a=y&a=z&b=2&c="
    assert canonical_query("k=a b/c") == "k=a%20b%2Fc"


def test_auth_signs_the_prepared_request_and_its_body() -> None:
    fixed = datetime(2013, 5, 24, tzinfo=UTC)
    auth = SigV4Auth("AKID", "SECRET", "eu-west-1", clock=lambda: fixed)
    request = requests.Request(
        "PUT",
        "http://127.0.0.1:9000/bucket/a%20b.png",
        data=b"body",
        headers={"Content-Type": "image/png", "x-amz-acl": "public-read", "Accept": "*/*"},
        auth=auth,
    ).prepare()
    assert request.headers["x-amz-date"] == "20130524T000000Z"
    assert request.headers["x-amz-content-sha256"] == (
        "230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5"
    )
    assert (
        "SignedHeaders=content-type;host;x-amz-acl;x-amz-content-sha256;x-amz-date,"
        in (request.headers["Authorization"])
    )
    # The URL on the wire is already encoded: the signature must not encode it twice.
    again = sign(
        "PUT", "http://127.0.0.1:9000/bucket/a b.png",
        {"content-type": "image/png", "host": "127.0.0.1:9000", "x-amz-acl": "public-read",
         "x-amz-content-sha256": request.headers["x-amz-content-sha256"],
         "x-amz-date": "20130524T000000Z"},
        request.headers["x-amz-content-sha256"],
        access_key="AKID", secret_key="SECRET", region="eu-west-1", service="s3",
    )  # fmt: skip
    assert request.headers["Authorization"] == again
