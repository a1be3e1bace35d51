"""AWS Signature Version 4 for S3-compatible storage, as a requests auth (no boto3).

Follows AWS's "Create a signed AWS API request" steps: canonical request -> string to sign ->
HMAC chain (date, region, service, "aws4_request") -> Authorization header. S3 differs from
the other services in two ways this signer follows: the path is encoded once and never
normalised (keys may contain `//` or `.`), and the payload hash is sent in
`x-amz-content-sha256`. Checked against AWS's published test suite and S3 examples
(tests/publish/hosts/test_sigv4.py) and against rclone's verifying S3 server.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import requests

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def _uri_encode(text: str, *, keep_slash: bool) -> str:
    """AWS's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ (and '/' in paths) as %XX."""
    return quote(text, safe="-_.~/" if keep_slash else "-_.~")


def canonical_query(query: str) -> str:
    """The query string with keys and values encoded and pairs sorted by key, then value."""
    pairs = parse_qsl(query, keep_blank_values=True)
    encoded = sorted(
        (_uri_encode(k, keep_slash=False), _uri_encode(v, keep_slash=False)) for k, v in pairs
    )
    return "&".join(f"{k}={v}" for k, v in encoded)


def canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """(canonical header block, signed header list) of the headers to sign."""
    merged: dict[str, list[str]] = {}
    for name, value in headers.items():
        merged.setdefault(name.strip().lower(), []).append(" ".join(str(value).split()))
    names = sorted(merged)
    block = "".join(f"{name}:{','.join(merged[name])}\n" for name in names)
    return block, ";".join(names)


def signing_key(secret_key: str, day: str, region: str, service: str) -> bytes:
    """The derived key for one day, region and service."""
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    payload_hash: str,
    *,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
) -> str:
    """The Authorization header for a request whose headers already hold host and x-amz-date.

    `url` is the URL as sent; `headers` are exactly the headers to sign.
    """
    parts = urlsplit(url)
    # The URL as sent is already percent-encoded: sign the encoding of the decoded path,
    # once, without normalising it (S3's rule; the test suite's paths agree).
    canonical_uri = _uri_encode(unquote(parts.path or "/"), keep_slash=True)
    block, signed = canonical_headers(headers)
    creq = "\n".join(
        [method.upper(), canonical_uri, canonical_query(parts.query), block, signed, payload_hash]
    )
    stamp = next(v for k, v in headers.items() if k.lower() == "x-amz-date")
    day = stamp[:8]
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(creq.encode("utf-8")).hexdigest()])
    signature = hmac.new(
        signing_key(secret_key, day, region, service), to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return (
        f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed},"
        f" Signature={signature}"
    )


def host_header(url: str) -> str:
    """The Host header requests will send for `url` (default ports left out)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


class SigV4Auth(requests.auth.AuthBase):
    """Signs each request: adds x-amz-date, x-amz-content-sha256 and Authorization.

    Signs host, every x-amz-* header and content-type/content-md5 when present. The payload
    hash is computed from the prepared body (bytes), so the request must carry its body in
    memory — which image uploads do.
    """

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        region: str,
        service: str = "s3",
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.service = service
        self.clock = clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes):
            raise TypeError("SigV4Auth signs in-memory bodies only")
        payload_hash = hashlib.sha256(body).hexdigest()
        request.headers["x-amz-date"] = self.clock().strftime("%Y%m%dT%H%M%SZ")
        request.headers["x-amz-content-sha256"] = payload_hash
        to_sign = {"host": host_header(request.url or "")}
        for name, value in request.headers.items():
            lower = name.lower()
            if lower.startswith("x-amz-") or lower in ("content-type", "content-md5"):
                to_sign[lower] = value
        request.headers["Authorization"] = sign(
            request.method or "GET",
            request.url or "",
            to_sign,
            payload_hash,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=self.region,
            service=self.service,
        )
        return request
