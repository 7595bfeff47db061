"""A read-only client for the Twilio REST API, over `requests` (facts: ../shared/TWILIO_API.md).

One `requests.Session` per account: HTTP Basic with the Account SID and its Auth Token, or an API Key
(`SK…`) and its secret with the Account SID in the path. Connect and read timeouts; bounded retries for
429 and 503 that honour Retry-After; both pagination styles (2010: `next_page_uri` relative to the api
base; numbers v2 / messaging v1: `meta.next_page_url`, whose path and query go after the configured
base); `PageSize=1000`. Every link the server gives — a next page, a redirect — goes through `follow`,
which keeps it a path and query on the base it came from (the Authorization header goes wherever a request
goes). One account's reading has a `Budget` in all — requests, items, bytes and a deadline that covers the
headers too — enforced before each step. Every failure is one typed error that says what happened; none of
them, nor any log line, holds the secret.
"""

from __future__ import annotations

import heapq
import http.client
import ipaddress
import itertools
import json
import logging
import math
import os
import re
import socket
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from kwc_desktop.domain.limits import ACCOUNT_DEADLINE_S, MAX_ACCOUNT_BYTES, MAX_ACCOUNT_ITEMS, MAX_ACCOUNT_PAGES
from kwc_desktop.domain.records import record
from kwc_desktop.domain.secret_shape import looks_like_secret, mask_secrets
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import Lang, UserError, messages, shown

logger = logging.getLogger(__name__)


class _MaskSids(logging.Filter):
    """urllib3 logs each request's path (DEBUG) and a retried one's (WARNING): Account SIDs are in those
    paths. Whoever turns its logging on gets them masked (AC12…cdef), as everywhere else."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if looks_like_secret(message):
            record.msg, record.args = mask_secrets(message), None
        return True


HTTP_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager",
                "urllib3.util.retry", "urllib3.response", "requests")


def mask_http_logs() -> None:
    """Each HTTP logger masks SIDs (a logger's filters apply to its own records only, so each urllib3 module
    that logs gets one). Done where a client is made, once: importing this module changes no logger."""
    for name in HTTP_LOGGERS:
        found = logging.getLogger(name)
        if not any(isinstance(f, _MaskSids) for f in found.filters):
            found.addFilter(_MaskSids())

PAGE_SIZE = 1000
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
MAX_ATTEMPTS = 4  # a request and three retries (429 / 503 only)
MAX_WAIT_S = 30.0  # a Retry-After longer than this is reported, not waited for
MAX_REDIRECTS = 3
MAX_PAGES = 10_000  # a server that never ends its pages is stopped here (one that links a page again: at once)
MAX_BODY_BYTES = 64 * 2**20  # a page of 1,000 numbers is about 1.5 MB; more than this is not Twilio's answer
RESPONSE_DEADLINE_S = 60.0  # the whole of one response, however slowly it trickles in (each read: READ_TIMEOUT_S)
MAX_SHOWN_WAIT_S = 86_400.0  # a Retry-After beyond a day is reported as a day
MAX_ERROR_BODY_BYTES = 64 * 1024  # of a non-200 answer: Twilio's {code, message, more_info, status} is < 1 KB
MAX_LINK = 4096  # characters of a next link or a Location
MAX_SECRET = 256  # characters of an Auth Token (32) or an API secret (32)
DEADLINE_VARIABLE = "KWC_TWILIO_DEADLINE_S"  # the seconds one account may take in all (a slow company proxy)
ENV_URLS = {"api": "KWC_TWILIO_API_URL", "numbers": "KWC_TWILIO_NUMBERS_URL", "messaging": "KWC_TWILIO_MESSAGING_URL"}
DEFAULT_URLS = {"api": "https://api.twilio.com", "numbers": "https://numbers.twilio.com",
                "messaging": "https://messaging.twilio.com"}


# --- errors: one class per thing that can go wrong, each one sentence in both languages ---------------


class TwilioError(UserError):
    """Base of the client's errors. `kind` names the class in reports and JSON; `code` and `more_info` are
    Twilio's own, from the body of a non-200 answer, when it gave them; `ends_account`: nothing more is asked
    for this account after it (its budget is spent, or it was stopped)."""

    kind = "error"
    code: int | None = None
    more_info: str | None = None
    ends_account = False

    def message(self, lang: Lang) -> str:
        text = super().message(lang)
        if self.code is not None:
            text += messages()("twilio.error_code", lang, code=self.code)
        return text


class BadCredentials(TwilioError):
    kind = "bad-credentials"

    def __init__(self) -> None:
        super().__init__("twilio.bad_credentials")


class NoPermission(TwilioError):
    kind = "no-permission"

    def __init__(self) -> None:
        super().__init__("twilio.no_permission")


class UnknownAccount(TwilioError):
    kind = "not-found"

    def __init__(self) -> None:
        super().__init__("twilio.not_found")


class RateLimited(TwilioError):
    kind = "rate-limited"

    def __init__(self, wait_s: float) -> None:
        super().__init__("twilio.rate_limited", seconds=int(wait_s + 0.999))
        self.wait_s = wait_s


class ServerError(TwilioError):
    kind = "server-error"

    def __init__(self, status: int) -> None:
        super().__init__("twilio.server_error", status=status)


class TwilioTimeout(TwilioError):
    kind = "timeout"

    def __init__(self, ends_account: bool = False) -> None:
        super().__init__("twilio.timeout")
        self.ends_account = ends_account


class TlsFailed(TwilioError):
    kind = "tls"

    def __init__(self) -> None:
        super().__init__("twilio.tls")


class Offline(TwilioError):
    kind = "offline"

    def __init__(self, host: str) -> None:
        super().__init__("twilio.offline", host=host)


class BadResponse(TwilioError):
    kind = "bad-response"

    def __init__(self, what: str) -> None:
        super().__init__("twilio.bad_response", what=what)


class NotHttp(TwilioError):
    """The server answered, but not in HTTP: another service on that port, or it hung up without a word."""

    kind = "not-http"

    def __init__(self, host: str) -> None:
        super().__init__("twilio.not_http", host=host)


class DamagedAnswer(TwilioError):
    """The answer began, then broke: a chunked or gzip body cut short or malformed, a body shorter than its
    Content-Length, the connection reset mid-body."""

    kind = "damaged"

    def __init__(self) -> None:
        super().__init__("twilio.damaged")


class Redirected(TwilioError):
    kind = "redirected"

    def __init__(self, host: str) -> None:
        super().__init__("twilio.redirected", host=host)


class ForeignLink(TwilioError):
    """A next-page link that leads off the base its page came from."""

    kind = "foreign-link"

    def __init__(self, what: str, link: str, base: str) -> None:
        super().__init__("twilio.foreign_link", what=what, link=link, base=base)


class TooMuch(TwilioError):
    """One account's answers went beyond its Budget (`what`: pages, items, bytes), or Twilio lists more
    sub-accounts than a profile holds (`accounts`)."""

    kind = "too-many"

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"twilio.too_many_{what}", limit=f"{limit:,}")
        self.what = what
        self.ends_account = what != "accounts"


class BadSecret(TwilioError):
    """An Auth Token or API secret that cannot be one: not printable ASCII (Basic credentials are bytes)."""

    kind = "bad-secret"

    def __init__(self, name: str) -> None:
        super().__init__("twilio.bad_secret", name=name)


class BadUrl(TwilioError):
    kind = "bad-url"

    def __init__(self, name: str, url: str) -> None:
        super().__init__("twilio.bad_url", name=name, url=str(shown(url[:80])))


# --- configuration and credentials -----------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(name: str, url: str) -> str:
    """https only; plain http only to this machine (the tests' servers). No path, query or credentials."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        _port = parts.port  # a port that is no number, or out of range, raises here
    except ValueError:  # "[" without "]", a bracketed host that is no IPv6 address
        raise BadUrl(name, url) from None
    secure = parts.scheme == "https" or (parts.scheme == "http" and _loopback(host))
    if not secure or not host or parts.username or parts.password or parts.query or parts.fragment \
            or parts.path not in ("", "/"):
        raise BadUrl(name, url)
    return f"{parts.scheme}://{parts.netloc}"


@record
class BaseUrls:
    api: str = DEFAULT_URLS["api"]
    numbers: str = DEFAULT_URLS["numbers"]
    messaging: str = DEFAULT_URLS["messaging"]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None,
                         settings: Mapping[str, str] | None = None) -> BaseUrls:
        """Each base URL from the environment ($KWC_TWILIO_API_URL …), else from the settings file
        (`[twilio] api_url` …), else Twilio's own. Each is checked (BadUrl names where it came from)."""
        env = os.environ if environ is None else environ
        configured = settings or {}
        chosen = {}
        for name, variable in ENV_URLS.items():
            if env.get(variable):
                chosen[name] = check_base_url(variable, env[variable])
            elif configured.get(f"{name}_url"):
                chosen[name] = check_base_url(f"settings.ini [twilio] {name}_url", configured[f"{name}_url"])
            else:
                chosen[name] = DEFAULT_URLS[name]
        return cls(**chosen)


_PRINTABLE = re.compile(r"[!-~]+")  # ASCII letters, digits and signs: no space, no control, nothing else


def check_secret(name: str, secret: str) -> str:
    """`secret` unchanged, or BadSecret naming `name` (never the secret): an Auth Token or API secret is
    32 ASCII letters and digits, and Basic credentials go as bytes — anything else would fail in the middle
    of the first request (or send the wrong bytes)."""
    if not isinstance(secret, str) or len(secret) > MAX_SECRET or not _PRINTABLE.fullmatch(secret):
        raise BadSecret(name)
    return secret


class Credentials:
    """Who the client is: the account, and the Auth Token or an API Key (`SK…`) and its secret (checked
    here, so every way in — the keyring, the environment — is refused the same way, before any request)."""

    __slots__ = ("account", "username", "secret")

    def __init__(self, account: Sid, username: str, secret: str) -> None:
        check_secret("API Key secret" if username.startswith("SK") else "Auth Token", secret)
        if not _PRINTABLE.fullmatch(username) or ":" in username:
            raise BadSecret("API Key SID" if username.startswith("SK") else "Account SID")
        self.account, self.username, self.secret = account, username, secret

    def _values(self) -> tuple[Sid, str, str]:
        return self.account, self.username, self.secret

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Credentials) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:  # never the secret, even in a debugger or a traceback's locals
        return f"Credentials(account={self.account.masked()}, username={self.username[:4]}…)"


@record
class Budget:
    """What reading one account may take in all, whatever the server sends: HTTP requests (pages), items
    of its lists, bytes of its answers, and seconds from its first request to the end of its last answer."""

    pages: int = MAX_ACCOUNT_PAGES
    items: int = MAX_ACCOUNT_ITEMS
    bytes: int = MAX_ACCOUNT_BYTES
    seconds: float = ACCOUNT_DEADLINE_S

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Budget:
        """The default, with $KWC_TWILIO_DEADLINE_S as its seconds when that is a number from 0.1 to a day."""
        value = (os.environ if environ is None else environ).get(DEADLINE_VARIABLE, "")
        if not value:
            return cls()
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not 0.1 <= seconds <= 86_400:  # NaN too
            logger.warning("%s=%r is not a number of seconds from 0.1 to 86400: ignored", DEADLINE_VARIABLE,
                           value[:20])
            return cls()
        return cls(seconds=seconds)


# A client given no budget reads a list it streams and does not hold (an account's calls, millions of them:
# services/charges.py): bounded by MAX_PAGES per list and RESPONSE_DEADLINE_S per answer, and these.
STREAMING_BUDGET = Budget(pages=10 * MAX_PAGES, items=1000 * MAX_ACCOUNT_ITEMS, bytes=2**40, seconds=86_400.0)


# --- every link the server gives goes through here ---------------------------------------------------

DEFAULT_PORTS = {"http": 80, "https": 443}
_USERINFO = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?)[^/?#@]*@")


def _shown_link(link: str) -> str:
    """A link as an error message may show it: no user info (it may be a credential), no SID or token,
    no control character, at most 80 characters."""
    return str(shown(mask_secrets(_USERINFO.sub(r"\1…@", link[:200]))[:80]))


def follow(base: str, link: Any, what: str, public: Collection[str] = ()) -> str:
    """The URL a link from the server leads to — a next page (`what`: next_page_uri, next_page_url) or a
    redirect (Location, already resolved against the request's URL) — as a path and query on `base`, the
    scheme, host and port the answer came from; else ForeignLink (Redirected for a Location), before any
    request. Refused: user info (`user@host`), another scheme, host or port, a fragment, a path that
    `base + link` would read as another authority (`@host:port/…`, `//host/…`, `:port/…`) and characters
    no URL holds (space, CR/LF, backslash, non-ASCII). An absolute link may name one of `public` — Twilio's
    own host for this API — in place of `base`: behind a company proxy or a stand-in, Twilio's answers still name it;
    its path and query go on `base`, and that host is never asked."""
    if not isinstance(link, str):
        raise BadResponse(what)
    refused: TwilioError = Redirected(_shown_link(link)) if what == "Location" else \
        ForeignLink(what, _shown_link(link), base)
    if len(link) > MAX_LINK or not _PRINTABLE.fullmatch(link) or "\\" in link or "#" in link:
        raise refused
    origin = urlsplit(base)
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        raise refused from None
    if "@" in parts.netloc:
        raise refused
    if parts.scheme or parts.netloc:
        here = (origin.scheme, origin.hostname, origin.port or DEFAULT_PORTS.get(origin.scheme))
        there = (parts.scheme, parts.hostname, port or DEFAULT_PORTS.get(parts.scheme))
        twilio_itself = parts.scheme == "https" and parts.netloc.lower() in public
        if not parts.scheme or not parts.netloc or not (here == there or twilio_itself):
            raise refused
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        raise refused
    url = f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    landed = urlsplit(url)
    if (landed.scheme, landed.netloc) != (origin.scheme, origin.netloc) or landed.username is not None:
        raise refused  # pragma: no cover - the checks above leave nothing that lands elsewhere
    return url


# --- a deadline for a whole answer, headers included ----------------------------------------------------


class _Alarm:
    """One response's deadline: when it rings, the client's sockets are shut down. The only way to stop a
    server that trickles its status line and headers a byte at a time: every read of http.client waits
    READ_TIMEOUT_S afresh."""

    def __init__(self, sockets: weakref.WeakSet[socket.socket]) -> None:
        self.sockets = sockets
        self.rang = False
        self.off = False

    def ring(self) -> None:
        if self.off:
            return
        self.rang = True
        for sock in list(self.sockets):
            try:  # socket.socket's own shutdown, under TLS too: the blocked read sees the end of the stream
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


class _Watchdog:
    """One thread for every client, ringing each alarm at its moment (started at the first alarm)."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.alarms: list[tuple[float, int, _Alarm]] = []
        self.order = itertools.count()
        self.thread: threading.Thread | None = None

    def set(self, at: float, alarm: _Alarm) -> None:
        with self.condition:
            heapq.heappush(self.alarms, (at, next(self.order), alarm))
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="twilio-deadline", daemon=True)
                self.thread.start()
            self.condition.notify()

    def _run(self) -> None:
        while True:
            with self.condition:
                while self.alarms and self.alarms[0][2].off:
                    heapq.heappop(self.alarms)
                if not self.alarms:
                    self.condition.wait()
                    continue
                at, _n, alarm = self.alarms[0]
                left = at - time.monotonic()
                if left > 0:
                    self.condition.wait(left)
                    continue
                heapq.heappop(self.alarms)
            alarm.ring()


_WATCHDOG = _Watchdog()


def _adapter(sockets: weakref.WeakSet[socket.socket]) -> Any:
    """requests' HTTPAdapter whose connections put each socket they open into `sockets` (for the alarm)."""
    import requests.adapters

    watched: dict[type, type] = {}

    def watching(pool: Any) -> Any:
        connection = pool.ConnectionCls
        if connection not in watched.values():
            if connection not in watched:
                class Watched(connection):  # type: ignore[misc, valid-type]
                    def _new_conn(self) -> socket.socket:
                        sock: socket.socket = super()._new_conn()
                        sockets.add(sock)
                        return sock

                watched[connection] = Watched
            pool.ConnectionCls = watched[connection]
        return pool

    class Adapter(requests.adapters.HTTPAdapter):
        def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
            return watching(super().get_connection_with_tls_context(*args, **kwargs))

        def get_connection(self, *args: Any, **kwargs: Any) -> Any:  # requests before 2.32.2
            return watching(super().get_connection(*args, **kwargs))

    return Adapter()


# --- the client ------------------------------------------------------------------------------------


class TwilioClient:
    """GET requests for one account, as JSON, one page after another, within the account's Budget."""

    def __init__(self, credentials: Credentials, urls: BaseUrls | None = None, session: Any = None,
                 sleep: Callable[[float], None] = time.sleep, cancelled: Callable[[], bool] = lambda: False,
                 ca_bundle: str | None = None, budget: Budget | None = None) -> None:
        import requests

        mask_http_logs()
        self.credentials = credentials
        self.urls = urls or BaseUrls()
        self.session = session or requests.Session()
        self.session.auth = (credentials.username, credentials.secret)  # set: netrc is never consulted
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        adapter = _adapter(self._sockets)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.sleep = sleep
        self.cancelled = cancelled
        self.budget = budget or STREAMING_BUDGET  # detection: Budget.from_environment(), per account
        # The environment is read once, here, not at every request (requests would scan it each time):
        # the company proxy for each host, and the certificates — the system's, or $REQUESTS_CA_BUNDLE /
        # $CURL_CA_BUNDLE (a company proxy's) — unless a bundle is named.
        env_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.ca_bundle = ca_bundle or env_bundle
        self._proxies = {base: self._proxies_for(base) for base in (self.urls.api, self.urls.numbers,
                                                                    self.urls.messaging)}
        self.session.trust_env = False
        self.requests = 0  # how many HTTP requests were made (the benchmark and the report count them)
        self.items = 0  # items of lists read, and bytes of answers: against the budget
        self.bytes = 0
        self._deadline: float | None = None  # the account's: set at its first request

    def close(self) -> None:
        self.session.close()

    @staticmethod
    def _proxies_for(base: str) -> dict[str, str]:
        """The company proxy the environment names for `base` ($HTTPS_PROXY, $NO_PROXY …); never one for
        this machine's own servers."""
        import requests.utils

        if _loopback(urlsplit(base).hostname or ""):
            return {}
        return dict(requests.utils.get_environ_proxies(base))

    def _public(self, base: str) -> frozenset[str]:
        """Twilio's own hosts for the APIs `base` stands in for (their answers' absolute links name them)."""
        return frozenset(urlsplit(DEFAULT_URLS[name]).netloc for name in ("api", "numbers", "messaging")
                         if getattr(self.urls, name) == base)

    def get(self, base: str, path: str, params: Mapping[str, str] | None = None) -> Any:
        """The JSON of one GET `base` + `path` (a path, or a path with its query)."""
        return self._get(urljoin(base + "/", path.lstrip("/")), params)

    def pages(self, base: str, path: str, key: str | None = None) -> Iterator[Any]:
        """Every item of a list, following the next links until there is none. `key`: the array's name
        (2010 lists); None: the v1/v2 envelope names it in `meta.key`."""
        url: str | None = urljoin(base + "/", path.lstrip("/"))
        params: Mapping[str, str] | None = {"PageSize": str(PAGE_SIZE)}
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            if url is None:
                return
            page = url if params is None else f"{url}?{urlencode(params)}"
            if page in seen:
                raise BadResponse("pages")  # a next link back to a page already read: it would never end
            seen.add(page)
            document = self._get(url, params)
            params = None  # the next link carries its own query
            if not isinstance(document, dict):
                raise BadResponse("list")
            meta = document.get("meta")
            name = key if key is not None else (meta.get("key") if isinstance(meta, dict) else None)
            items = document.get(name) if isinstance(name, str) else None
            if not isinstance(items, list):
                raise BadResponse("list")
            self.items += len(items)
            if self.items > self.budget.items:
                raise TooMuch("items", self.budget.items)
            yield from items
            url = self._next(base, document, meta)
        raise BadResponse("pages")

    def _next(self, base: str, document: Mapping[str, Any], meta: Any) -> str | None:
        if isinstance(meta, dict):  # numbers v2 / messaging v1: an absolute link; its path and query on base
            link, what = meta.get("next_page_url"), "next_page_url"
        else:  # 2010: a path relative to the api base
            link, what = document.get("next_page_uri"), "next_page_uri"
        if not link:
            return None
        return follow(base, link, what, self._public(base))

    def _get(self, url: str, params: Mapping[str, str] | None) -> Any:
        if self._deadline is None:
            self._deadline = time.monotonic() + self.budget.seconds
        host = urlsplit(url).netloc
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.cancelled():
                raise TwilioCancelled()
            now = time.monotonic()
            if now >= self._deadline:
                raise TwilioTimeout(ends_account=True)
            alarm = _Alarm(self._sockets)
            _WATCHDOG.set(min(now + RESPONSE_DEADLINE_S, self._deadline), alarm)
            try:
                try:
                    response = self._request(url, params)
                except TwilioError:
                    raise
                except Exception as e:  # noqa: BLE001 - requests' and urllib3's, each named below
                    raise _failure(e, host, alarm, proxied=bool(self._proxies.get(_origin(url)))) from None
                status = response.status_code
                if status == 200:
                    body = self._body(response, alarm)
                else:
                    code, more_info = self._error_details(response, alarm)
            finally:
                alarm.off = True
            if status == 200:
                try:
                    return json.loads(body)
                except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
                    raise BadResponse("JSON") from None
            hint = _retry_after(response.headers.get("Retry-After"))
            wait = max(hint or 0.0, _backoff(attempt))
            if status in (429, 503) and attempt < MAX_ATTEMPTS:
                if wait > MAX_WAIT_S or time.monotonic() + wait >= self._deadline:
                    raise _with_details(RateLimited(wait) if status == 429 else ServerError(status), code,
                                        more_info)
                logger.info("Twilio answered %d: waiting %.1f s before retry %d", status, wait, attempt)
                self.sleep(wait)
                continue
            error: TwilioError = (BadCredentials() if status == 401 else NoPermission() if status == 403 else
                                  UnknownAccount() if status == 404 else RateLimited(wait) if status == 429 else
                                  ServerError(status) if status >= 500 else BadResponse(f"HTTP {status}"))
            raise _with_details(error, code, more_info)
        raise ServerError(503)  # pragma: no cover - the loop always returns or raises

    def _body(self, response: Any, alarm: _Alarm, limit: int | None = None) -> bytes:
        """The whole body, decoded (gzip, deflate), within `limit`, the account's bytes and the response's
        deadline: a server that trickles a byte at a time stays under every read timeout, one that sends
        gigabytes would fill the memory. A body cut short or malformed is a DamagedAnswer."""
        limit = MAX_BODY_BYTES if limit is None else limit
        chunks: list[bytes] = []
        size = wire = 0
        left = self.budget.bytes - self.bytes
        try:
            inflate = _inflater(response.headers.get("Content-Encoding", ""))
            while True:
                # read1: what has arrived (a full-size read would wait for all of it, past the deadline)
                chunk = response.raw.read1(64 * 1024, decode_content=False)
                if alarm.rang:
                    raise TwilioTimeout(ends_account=time.monotonic() >= (self._deadline or 0))
                if not chunk:
                    break
                wire += len(chunk)
                while chunk:
                    if inflate is None:
                        data, chunk = chunk, b""
                    else:
                        data = inflate.decompress(chunk, limit + 1)
                        chunk = inflate.unconsumed_tail
                    size += len(data)
                    if max(size, wire) > left:
                        raise TooMuch("bytes", self.budget.bytes)
                    if size > limit or wire > limit:
                        raise BadResponse("size")
                    chunks.append(data)
                if self.cancelled():
                    raise TwilioCancelled()
            if inflate is not None and not inflate.eof:
                raise DamagedAnswer()  # the gzip or deflate stream ended before its end
        except TwilioError:
            raise
        except Exception as e:  # noqa: BLE001 - mid-body: urllib3's, http.client's, zlib's, the socket's
            raise _broken(e, alarm, self._deadline) from None
        finally:
            self.bytes += max(size, wire)
            response.close()
        return b"".join(chunks)

    def _error_details(self, response: Any, alarm: _Alarm) -> tuple[int | None, str | None]:
        """Twilio's `code` and `more_info` from a non-200 answer, read within MAX_ERROR_BODY_BYTES (a longer
        or broken body: none, the status says enough)."""
        try:
            document = json.loads(self._body(response, alarm, MAX_ERROR_BODY_BYTES))
        except (TwilioError, ValueError, RecursionError):
            return None, None
        finally:
            response.close()
        if not isinstance(document, dict):
            return None, None
        code, more_info = document.get("code"), document.get("more_info")
        return (code if type(code) is int and 0 < code < 10**6 else None,
                more_info if isinstance(more_info, str) and more_info.startswith("https://")
                and len(more_info) <= 200 and _PRINTABLE.fullmatch(more_info) and not looks_like_secret(more_info)
                else None)

    def _request(self, url: str, params: Mapping[str, str] | None) -> Any:
        """One GET, following a redirect only through `follow` (a path and query on the same scheme, host
        and port: the Authorization header goes wherever the request goes)."""
        base = _origin(url)
        proxies = self._proxies.get(base)
        if proxies is None:
            proxies = self._proxies[base] = self._proxies_for(base)
        for _hop in range(MAX_REDIRECTS + 1):
            if self.requests >= self.budget.pages:
                raise TooMuch("pages", self.budget.pages)
            self.requests += 1
            response = self.session.get(url, params=params, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
                                        allow_redirects=False,
                                        headers={"Accept": "application/json", "Accept-Encoding": "gzip, deflate"},
                                        proxies=proxies, verify=self.ca_bundle if self.ca_bundle else None,
                                        stream=True)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            response.close()
            location = response.headers.get("Location", "")
            try:
                target = urljoin(url, location)
            except ValueError:
                raise Redirected(_shown_link(location)) from None
            url, params = follow(base, target, "Location"), None
        raise BadResponse("redirects")


class TwilioCancelled(TwilioError):
    kind = "cancelled"
    ends_account = True

    def __init__(self) -> None:
        super().__init__("twilio.cancelled")


def _inflater(encoding: str) -> Any:
    """A decoder for the body's Content-Encoding (None: as it is); one we did not ask for is refused."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise BadResponse("Content-Encoding")


def _with_details(error: TwilioError, code: int | None, more_info: str | None) -> TwilioError:
    error.code, error.more_info = code, more_info
    return error


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, what it wraps (requests and urllib3 put the cause in args), and their causes."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _failure(error: Exception, host: str, alarm: _Alarm, proxied: bool = False) -> TwilioError:
    """What a request that raised before its answer's headers were read means, as one of our errors.
    Through a company proxy, whatever broke before the answer is the way there: Offline."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if alarm.rang:
        return TwilioTimeout()
    causes = list(_causes(error))
    if isinstance(error, requests.exceptions.SSLError):
        return TlsFailed()
    if isinstance(error, requests.exceptions.Timeout) or any(isinstance(c, TimeoutError) for c in causes):
        return TwilioTimeout()
    if proxied or isinstance(error, requests.exceptions.ProxyError) or any(
            isinstance(c, (NewConnectionError, ConnectionRefusedError, socket.gaierror)) for c in causes):
        return Offline(host)
    if any(isinstance(c, (http.client.HTTPException, ConnectionResetError, BrokenPipeError)) for c in causes):
        return NotHttp(host)  # it connected, then answered something else, or nothing, and hung up
    if isinstance(error, requests.exceptions.RequestException):
        return Offline(host)
    raise error  # a bug, not the network's doing: let it surface


def _broken(error: Exception, alarm: _Alarm, deadline: float | None) -> TwilioError:
    """What a body read that raised means: its deadline (or a read timeout), else a damaged answer."""
    from urllib3.exceptions import ReadTimeoutError

    if alarm.rang:
        return TwilioTimeout(ends_account=time.monotonic() >= (deadline or 0))
    if any(isinstance(c, (ReadTimeoutError, TimeoutError)) for c in _causes(error)):
        return TwilioTimeout()
    if isinstance(error, (OSError, zlib.error, http.client.HTTPException)) or type(error).__module__.startswith(
            "urllib3"):
        return DamagedAnswer()
    raise error


def _backoff(attempt: int) -> float:
    return min(MAX_WAIT_S, 0.5 * float(2 ** (attempt - 1)))


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, at most a day; None when it gives no usable wait — no header, an HTTP date
    (not worth parsing here), a negative or non-numeric value — and the normal backoff applies."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if math.isnan(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_SHOWN_WAIT_S)  # "inf" and "1e308" too: reported as a day
