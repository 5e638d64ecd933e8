"""Talking to a SPARQL server over HTTP: credentials, one request, errors without secrets.

``urllib.request`` only (no new dependency). A user name and password go to Basic or Digest
authentication, whichever the server asks for (Virtuoso asks for Digest; Fuseki and GraphDB for
Basic); they are never part of a message: URLs in errors are shown without ``user:password@``.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException

from kg.errors import ProjectError, ServerError

#: Seconds to wait for a server to answer one request (an upload may take longer to send).
TIMEOUT = 120


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a server; the password never shows in a repr.

    >>> Credentials("kg", "secret")
    Credentials(user='kg')
    """

    user: str
    password: str = field(repr=False)


def public_url(url: str) -> str:
    """The URL as messages show it: without ``user:password@``.

    >>> public_url("http://kg:secret@localhost:7878/store?graph=x")
    'http://localhost:7878/store?graph=x'
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def split_credentials(url: str, credentials: Credentials | None) -> tuple[str, Credentials | None]:
    """A URL without its ``user:password@`` and the credentials (given ones win over the URL's)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError as exc:
        raise ProjectError(
            f"--endpoint '{public_url(url)}' is not a URL ({exc}); give http(s)://HOST:PORT/PATH"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProjectError(
            f"--endpoint '{public_url(url)}' is not an http(s) URL; give http(s)://HOST:PORT/PATH, "
            "e.g. http://localhost:7878/query"
        )
    if parts.username is not None and credentials is None:
        user = urllib.parse.unquote(parts.username)
        credentials = Credentials(user, urllib.parse.unquote(parts.password or ""))
    return public_url(url), credentials


def with_parameter(url: str, name: str, value: str) -> str:
    """The URL with one more query parameter.

    >>> with_parameter("http://h/store", "graph", "https://w3id.org/g#x")
    'http://h/store?graph=https%3A%2F%2Fw3id.org%2Fg%23x'
    """
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode({name: value})}"


def opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener that answers the server's Basic or Digest challenge with the credentials."""
    handlers: list = []
    if credentials is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


def send(
    http: urllib.request.OpenerDirector,
    method: str,
    url: str,
    what: str,
    data=None,
    headers: dict[str, str] | None = None,
) -> tuple[str, bytes]:
    """One request; returns the answer's media type and body. Any failure is a :class:`ServerError`
    naming ``what`` was asked of which URL (without credentials) and what to do."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with http.open(request, timeout=TIMEOUT) as response:
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        raise ServerError(f"{what} at {public_url(url)} failed: {_status(exc)}; {_advice(exc.code)}") from None
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise ServerError(
            f"{what} at {public_url(url)} failed: {reason}; check the URL and that the server is running"
        ) from None


def _status(exc: urllib.error.HTTPError) -> str:
    """``400 Bad Request: the first line of what the server said``."""
    try:
        body = exc.read(2000).decode("utf-8", "replace")
    except OSError:
        body = ""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    first = first if len(first) <= 200 else first[:199] + "…"
    return f"{exc.code} {exc.reason}" + (f": {first}" if first else "")


def _advice(code: int) -> str:
    if code in (401, 403):
        return "give --user and --password (or KG_USER and KG_PASSWORD) of a user allowed to do it"
    if code in (404, 405):
        return "check the URL: --endpoint is the query URL for queries and the Graph Store URL for publish"
    if code >= 500:
        return "the server failed; see its log"
    return "check the URL and the server's documentation"
