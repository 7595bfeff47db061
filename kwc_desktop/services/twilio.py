"""A read-only client for the Twilio REST API, over `requests` (facts: ../shared/TWILIO_API.md).

One `requests.Session` per account: HTTP Basic with the Account SID and its Auth Token, or an API Key
(`SK…`) and its secret with the Account SID in the path. Connect and read timeouts; bounded retries for
429 and 503 that honour Retry-After; both pagination styles (2010: `next_page_uri` relative to the api
base; numbers v2 / messaging v1: `meta.next_page_url`, whose path and query go after the configured
base); `PageSize=1000`. Redirects are never followed to another host (the Authorization header would
follow them). Every failure is one typed error; none of them, nor any log line, holds the secret.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from kwc_desktop.domain.limits import looks_like_secret, mask_secrets
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import UserError

logger = logging.getLogger(__name__)


class _MaskSids(logging.Filter):
    """urllib3 logs each request's path (DEBUG) and a retried one's (WARNING): Account SIDs are in those
    paths. Whoever turns its logging on gets them masked (AC12…cdef), as everywhere else."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if looks_like_secret(message):
            record.msg, record.args = mask_secrets(message), None
        return True


# A logger's filters apply to its own records only: each urllib3 module that logs gets one.
for _name in ("urllib3", "urllib3.connectionpool", "urllib3.connection", "urllib3.poolmanager",
              "urllib3.util.retry", "urllib3.response", "requests"):
    logging.getLogger(_name).addFilter(_MaskSids())

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
ENV_URLS = {"api": "KWC_TWILIO_API_URL", "numbers": "KWC_TWILIO_NUMBERS_URL", "messaging": "KWC_TWILIO_MESSAGING_URL"}
DEFAULT_URLS = {"api": "https://api.twilio.com", "numbers": "https://numbers.twilio.com",
                "messaging": "https://messaging.twilio.com"}


# --- errors: one class per thing that can go wrong, each one sentence in both languages ---------------


class TwilioError(UserError):
    """Base of the client's errors. `kind` names the class in reports and JSON."""

    kind = "error"


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

    def __init__(self) -> None:
        super().__init__("twilio.timeout")


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


class Redirected(TwilioError):
    kind = "redirected"

    def __init__(self, host: str) -> None:
        super().__init__("twilio.redirected", host=host)


class BadUrl(TwilioError):
    kind = "bad-url"

    def __init__(self, name: str, url: str) -> None:
        super().__init__("twilio.bad_url", name=name, url=url[:80])


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
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
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


@record
class Credentials:
    """Who the client is: the account, and the Auth Token or an API Key (`SK…`) and its secret."""

    account: Sid
    username: str  # the Account SID (with its Auth Token) or the API Key SID
    secret: str = field(repr=False)

    def __repr__(self) -> str:  # never the secret, even in a debugger or a traceback's locals
        return f"Credentials(account={self.account.masked()}, username={self.username[:4]}…)"


# --- the client ------------------------------------------------------------------------------------


class TwilioClient:
    """GET requests for one account, as JSON, one page after another."""

    def __init__(self, credentials: Credentials, urls: BaseUrls | None = None, session: Any = None,
                 sleep: Callable[[float], None] = time.sleep, cancelled: Callable[[], bool] = lambda: False,
                 ca_bundle: str | None = None) -> None:
        import requests

        self.credentials = credentials
        self.urls = urls or BaseUrls()
        self.session = session or requests.Session()
        self.session.auth = (credentials.username, credentials.secret)  # set: netrc is never consulted
        self.sleep = sleep
        self.cancelled = cancelled
        # The environment is read once, here, not at every request (requests would scan it each time):
        # the company proxy for each host, and the certificates — the system's, or $REQUESTS_CA_BUNDLE /
        # $CURL_CA_BUNDLE (a company proxy's) — unless a bundle is named.
        env_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self.ca_bundle = ca_bundle or env_bundle
        self._proxies = {base: self._proxies_for(base) for base in (self.urls.api, self.urls.numbers,
                                                                    self.urls.messaging)}
        self.session.trust_env = False
        self.requests = 0  # how many HTTP requests were made (the benchmark and the report count them)

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
            yield from items
            url = self._next(base, document, meta)
        raise BadResponse("pages")

    def _next(self, base: str, document: Mapping[str, Any], meta: Any) -> str | None:
        if isinstance(meta, dict):  # numbers v2 / messaging v1: an absolute link; keep its path and query
            link = meta.get("next_page_url")
            if not link:
                return None
            if not isinstance(link, str):
                raise BadResponse("next_page_url")
            parts = urlsplit(link)
            return f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        link = document.get("next_page_uri")  # 2010: relative to the api base
        if not link:
            return None
        if not isinstance(link, str) or not link.startswith("/"):
            raise BadResponse("next_page_uri")
        return f"{base}{link}"

    def _get(self, url: str, params: Mapping[str, str] | None) -> Any:
        import requests

        host = urlsplit(url).hostname or ""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.cancelled():
                raise TwilioCancelled()
            try:
                response = self._request(url, params)
            except requests.exceptions.SSLError:
                raise TlsFailed() from None
            except requests.exceptions.Timeout:
                raise TwilioTimeout() from None
            except requests.exceptions.ConnectionError:
                raise Offline(host) from None
            except requests.exceptions.RequestException:
                raise Offline(host) from None
            status = response.status_code
            if status != 200:
                response.close()  # its body is not read: the status says it all
            if status in (429, 503) and attempt < MAX_ATTEMPTS:
                wait = _retry_after(response.headers.get("Retry-After"), attempt)
                if wait > MAX_WAIT_S:
                    raise RateLimited(wait) if status == 429 else ServerError(status)
                logger.info("Twilio answered %d: waiting %.1f s before retry %d", status, wait, attempt)
                self.sleep(wait)
                continue
            if status == 401:
                raise BadCredentials()
            if status == 403:
                raise NoPermission()
            if status == 404:
                raise UnknownAccount()
            if status == 429:
                raise RateLimited(_retry_after(response.headers.get("Retry-After"), attempt))
            if status >= 500:
                raise ServerError(status)
            if status != 200:
                raise BadResponse(f"HTTP {status}")
            body = self._body(response)
            try:
                return json.loads(body)
            except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
                raise BadResponse("JSON") from None
        raise ServerError(503)  # pragma: no cover - the loop always returns or raises

    def _body(self, response: Any) -> bytes:
        """The whole body, within MAX_BODY_BYTES and RESPONSE_DEADLINE_S: a server that trickles a byte at a
        time stays under every read timeout, and one that sends gigabytes would fill the memory."""
        from urllib3.exceptions import HTTPError

        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1: what has arrived (a full-size read would wait for all of it, past the deadline)
                chunk = response.raw.read1(64 * 1024, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise BadResponse("size")
                if time.monotonic() - started > RESPONSE_DEADLINE_S:
                    raise TwilioTimeout()
                if self.cancelled():
                    raise TwilioCancelled()
                chunks.append(chunk)
        except (HTTPError, OSError):  # the connection broke, or a read timed out, mid-body
            raise TwilioTimeout() from None
        finally:
            response.close()
        return b"".join(chunks)

    def _request(self, url: str, params: Mapping[str, str] | None) -> Any:
        """One GET, following redirects only on the same scheme and host (the Authorization header must
        never reach another one)."""
        origin = urlsplit(url)
        base = f"{origin.scheme}://{origin.netloc}"
        proxies = self._proxies.get(base)
        if proxies is None:
            proxies = self._proxies[base] = self._proxies_for(base)
        for _hop in range(MAX_REDIRECTS + 1):
            self.requests += 1
            response = self.session.get(url, params=params, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
                                        allow_redirects=False, headers={"Accept": "application/json"},
                                        proxies=proxies, verify=self.ca_bundle if self.ca_bundle else None,
                                        stream=True)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            response.close()
            target = urljoin(url, response.headers.get("Location", ""))
            parts = urlsplit(target)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                raise Redirected(parts.hostname or "?")
            url, params = target, None
        raise BadResponse("redirects")


class TwilioCancelled(TwilioError):
    kind = "cancelled"

    def __init__(self) -> None:
        super().__init__("twilio.cancelled")


def _retry_after(value: str | None, attempt: int) -> float:
    """Retry-After in seconds (a number; an HTTP date is not worth parsing here), else a backoff."""
    if value is not None:
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if math.isfinite(seconds):  # not "inf" or "nan", which float() reads too
            return min(max(0.0, seconds), MAX_SHOWN_WAIT_S)
    return min(MAX_WAIT_S, 0.5 * float(2 ** (attempt - 1)))
