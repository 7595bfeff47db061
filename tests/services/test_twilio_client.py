"""The Twilio client against a real HTTP server on 127.0.0.1 (pytest-httpserver): both pagination styles,
every failure class, Retry-After, redirects that must not carry the credentials, TLS errors with a test CA
(trustme), and the secret in no log line and no error text."""

from __future__ import annotations

import logging
import ssl

import pytest
from werkzeug.wrappers import Response

from kwc_desktop.domain.sid import parse_sid
from kwc_desktop.services.twilio import (
    BadCredentials,
    BadResponse,
    BadUrl,
    BaseUrls,
    Credentials,
    ForeignLink,
    NoPermission,
    Offline,
    RateLimited,
    Redirected,
    ServerError,
    TlsFailed,
    TwilioCancelled,
    TwilioClient,
    TwilioTimeout,
    UnknownAccount,
    check_base_url,
)

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)
SID = parse_sid("AC5f3c0e9a1b2d4c6e8f0a1b2c3d4e5f60")
TOKEN = "f" * 16 + "0123456789abcdef"  # a token-shaped sentinel: must appear nowhere
ACCOUNT_PATH = f"/2010-04-01/Accounts/{SID.value}"


def client_for(server, **kwargs) -> TwilioClient:  # noqa: ANN001
    base = server.url_for("/").rstrip("/")
    waits: list[float] = []
    client = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls(base, base, base), sleep=waits.append,
                          **kwargs)
    client.waits = waits  # type: ignore[attr-defined]
    return client


def test_2010_pagination_follows_next_page_uri_relative_to_the_api_base(httpserver):
    path = f"{ACCOUNT_PATH}/IncomingPhoneNumbers.json"
    for page in range(3):
        following = f"{path}?PageSize=1000&Page={page + 1}&PageToken=PA{page + 1}" if page < 2 else None
        query = {"PageSize": "1000"} if page == 0 else {"PageSize": "1000", "Page": str(page),
                                                        "PageToken": f"PA{page}"}
        httpserver.expect_ordered_request(path, query_string=query).respond_with_json(
            {"incoming_phone_numbers": [{"sid": f"PN{page}"}], "next_page_uri": following, "page": page})
    client = client_for(httpserver)
    assert [n["sid"] for n in client.pages(client.urls.api, path, "incoming_phone_numbers")] == ["PN0", "PN1", "PN2"]
    assert client.requests == 3


def test_v2_pagination_keeps_the_path_and_query_of_the_absolute_next_link(httpserver):
    path = "/v2/RegulatoryCompliance/Bundles"
    for page in range(3):
        # The absolute link names Twilio's own host: only its path and query are kept.
        following = (f"https://numbers.twilio.com{path}?PageSize=1000&Page={page + 1}&PageToken=PT{page + 1}"
                     if page < 2 else None)
        query = {"PageSize": "1000"} if page == 0 else {"PageSize": "1000", "Page": str(page),
                                                        "PageToken": f"PT{page}"}
        httpserver.expect_ordered_request(path, query_string=query).respond_with_json(
            {"results": [{"sid": f"BU{page}"}], "meta": {"key": "results", "next_page_url": following}})
    client = client_for(httpserver)
    assert [b["sid"] for b in client.pages(client.urls.numbers, path)] == ["BU0", "BU1", "BU2"]


@pytest.mark.parametrize(("status", "error"), [(401, BadCredentials), (403, NoPermission), (404, UnknownAccount),
                                               (500, ServerError), (502, ServerError)])
def test_each_status_is_its_own_error(httpserver, status, error):
    httpserver.expect_request(f"{ACCOUNT_PATH}.json").respond_with_json({"code": 20003, "message": "x"},
                                                                        status=status)
    with pytest.raises(error):
        client_for(httpserver).get(client_for(httpserver).urls.api, f"{ACCOUNT_PATH}.json")


def test_retry_after_is_honoured_then_it_works(httpserver):
    path = f"{ACCOUNT_PATH}/Balance.json"
    httpserver.expect_ordered_request(path).respond_with_response(Response("slow down", 429, {"Retry-After": "2"}))
    httpserver.expect_ordered_request(path).respond_with_response(Response("busy", 503, {"Retry-After": "1"}))
    httpserver.expect_ordered_request(path).respond_with_json({"balance": "42.17", "currency": "USD"})
    client = client_for(httpserver)
    assert client.get(client.urls.api, path) == {"balance": "42.17", "currency": "USD"}
    assert client.waits == [2.0, 1.0] and client.requests == 3


def test_rate_limited_for_good_says_how_long_to_wait(httpserver):
    path = f"{ACCOUNT_PATH}/Balance.json"
    httpserver.expect_request(path).respond_with_response(Response("no", 429, {"Retry-After": "120"}))
    with pytest.raises(RateLimited) as caught:
        client = client_for(httpserver)
        client.get(client.urls.api, path)
    assert caught.value.wait_s == 120
    assert "120" in caught.value.message("en")


def test_malformed_json_and_unexpected_shapes_are_bad_responses(httpserver):
    httpserver.expect_request("/a.json").respond_with_data("<html>not json</html>", content_type="text/html")
    httpserver.expect_request("/b.json").respond_with_json({"accounts": "not a list"})
    httpserver.expect_request("/c.json").respond_with_json({"accounts": [], "next_page_uri": "http://evil/x"})
    client = client_for(httpserver)
    with pytest.raises(BadResponse):
        client.get(client.urls.api, "/a.json")
    with pytest.raises(BadResponse):
        list(client.pages(client.urls.api, "/b.json", "accounts"))
    with pytest.raises(ForeignLink):  # a next link to another server is never followed
        list(client.pages(client.urls.api, "/c.json", "accounts"))


@pytest.mark.parametrize("header", ["inf", "nan", "-inf", "1e308"])
def test_a_retry_after_beyond_reason_is_reported_not_raised(httpserver, header):
    path = f"{ACCOUNT_PATH}/Balance.json"
    httpserver.expect_request(path).respond_with_response(Response("no", 429, {"Retry-After": header}))
    client = client_for(httpserver)
    with pytest.raises(RateLimited) as caught:
        client.get(client.urls.api, path)
    text = caught.value.message("en")  # one sentence with a number of seconds, at most a day's
    assert "\n" not in text and max(int(n) for n in __import__("re").findall(r"\d+", text)) <= 86_400


def test_json_nested_too_deep_for_python_is_a_bad_response(httpserver):
    httpserver.expect_request("/deep.json").respond_with_data("[" * 200_000 + "]" * 200_000,
                                                              content_type="application/json")
    client = client_for(httpserver)
    with pytest.raises(BadResponse):
        client.get(client.urls.api, "/deep.json")


def test_a_next_link_back_to_a_page_already_read_stops_at_once(httpserver):
    path = "/numbers.json"
    base = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request(path).respond_with_json(
        {"items": [{"sid": "PN1"}], "meta": {"key": "items", "next_page_url": f"{base}{path}?PageSize=1000"}})
    client = client_for(httpserver)
    with pytest.raises(BadResponse):
        list(client.pages(client.urls.api, path))
    assert client.requests == 1


def test_a_body_too_big_or_too_slow_is_refused(httpserver, monkeypatch):
    import time

    import kwc_desktop.services.twilio as twilio

    monkeypatch.setattr(twilio, "MAX_BODY_BYTES", 1000)
    httpserver.expect_request("/big.json").respond_with_json({"items": ["x" * 2000]})
    client = client_for(httpserver)
    with pytest.raises(BadResponse):
        client.get(client.urls.api, "/big.json")

    monkeypatch.setattr(twilio, "RESPONSE_DEADLINE_S", 0.5)

    def trickle():  # every byte well within the read timeout, the whole never
        for _ in range(40):
            time.sleep(0.05)
            yield b" "
        yield b"{}"

    httpserver.expect_request("/slow.json").respond_with_response(Response(trickle(), 200,
                                                                           content_type="application/json"))
    started = time.monotonic()
    with pytest.raises(TwilioTimeout):
        client.get(client.urls.api, "/slow.json")
    assert time.monotonic() - started < 1.9  # stopped at the deadline, not after the 2 s the server takes


def test_a_redirect_to_another_host_is_refused_and_the_credentials_stay(httpserver):
    httpserver.expect_request("/moved.json").respond_with_response(
        Response("", 302, {"Location": "http://127.0.0.2:9/steal.json"}))
    httpserver.expect_request("/same.json").respond_with_response(Response("", 301, {"Location": "/here.json"}))
    httpserver.expect_request("/here.json").respond_with_json({"ok": True})
    client = client_for(httpserver)
    with pytest.raises(Redirected) as caught:
        client.get(client.urls.api, "/moved.json")
    assert "127.0.0.2" in caught.value.message("en")
    assert client.get(client.urls.api, "/same.json") == {"ok": True}  # the same host: followed
    assert all(request.authorization is not None for request, _ in httpserver.log)


def test_offline_timeout_and_cancel(httpserver, monkeypatch):
    import requests

    base = "http://127.0.0.1:9"  # discard port: nothing listens
    client = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls(base, base, base))
    with pytest.raises(Offline):
        client.get(base, "/x.json")

    def slow(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise requests.exceptions.ReadTimeout("read timed out")

    timing_out = client_for(httpserver)
    monkeypatch.setattr(timing_out.session, "get", slow)
    with pytest.raises(TwilioTimeout):
        timing_out.get(timing_out.urls.api, "/x.json")
    stopped = client_for(httpserver, cancelled=lambda: True)
    with pytest.raises(TwilioCancelled):
        stopped.get(stopped.urls.api, "/x.json")


def test_tls_errors_are_classified(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *_args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"https://127.0.0.1:{server.server_address[1]}"
        client = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls(base, base, base))
        with pytest.raises(TlsFailed):  # a certificate no trusted authority signed
            client.get(base, "/x.json")
        bundle = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(bundle))
        trusting = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls(base, base, base), ca_bundle=str(bundle))
        assert trusting.get(base, "/x.json") == {"ok": True}  # trusted: it works
    finally:
        server.shutdown()


def test_the_secret_is_in_no_log_line_error_text_or_repr(httpserver, caplog):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/limited.json").respond_with_response(Response("", 429, {"Retry-After": "0"}))
    httpserver.expect_request("/denied.json").respond_with_json({}, status=401)
    client = client_for(httpserver)
    texts = [repr(client.credentials), str(client.credentials)]
    for path in ("/limited.json", "/denied.json"):
        with pytest.raises(Exception) as caught:  # noqa: PT011
            client.get(client.urls.api, path)
        texts += [str(caught.value), repr(caught.value), caught.value.message("en"), caught.value.message("ja")]
    httpserver.expect_request(f"{ACCOUNT_PATH}.json").respond_with_json({"sid": SID.value})
    client.get(client.urls.api, f"{ACCOUNT_PATH}.json")  # urllib3 logs the path, the Account SID in it
    # Every log line but the test server's own (werkzeug's, which names the paths it served).
    texts += [record.getMessage() for record in caplog.records if not record.name.startswith("werkzeug")]
    assert all(TOKEN not in text for text in texts)
    assert any(SID.masked() in text for text in texts) and all(SID.value not in text for text in texts)
    assert any("Retry" in r.getMessage() or "waiting" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("url", ["http://api.twilio.com", "ftp://x", "https://user:pw@api.twilio.com",
                                 "https://api.twilio.com/path", "https://api.twilio.com?x=1", "http://10.0.0.1"])
def test_base_urls_are_https_or_loopback_only(url):
    with pytest.raises(BadUrl):
        check_base_url("KWC_TWILIO_API_URL", url)


def test_base_urls_from_the_environment():
    urls = BaseUrls.from_environment({"KWC_TWILIO_API_URL": "http://127.0.0.1:8080/",
                                      "KWC_TWILIO_NUMBERS_URL": "https://numbers.example.com"})
    assert urls == BaseUrls("http://127.0.0.1:8080", "https://numbers.example.com", "https://messaging.twilio.com")
    assert check_base_url("x", "http://localhost:1") == "http://localhost:1"


def test_the_company_proxy_is_used_for_twilio_and_never_for_this_machine(httpserver, monkeypatch):
    """$HTTPS_PROXY (read once per client) carries the requests to a Twilio host, as a CONNECT tunnel that
    holds no credentials; a server on 127.0.0.1 is reached directly even so."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def proxy() -> None:  # reads what the client says to its proxy, then hangs up: the tunnel fails
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                data += chunk
            seen.append(data)

    thread = threading.Thread(target=proxy, daemon=True)
    thread.start()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{listener.getsockname()[1]}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    remote = TwilioClient(Credentials(SID, SID.value, TOKEN), BaseUrls("https://api.twilio.example"))
    with pytest.raises(Offline):
        remote.get(remote.urls.api, f"{ACCOUNT_PATH}.json")
    thread.join(5)
    listener.close()
    assert seen and seen[0].startswith(b"CONNECT api.twilio.example:443 ")
    assert TOKEN.encode() not in seen[0] and b"Authorization" not in seen[0]
    httpserver.expect_request(f"{ACCOUNT_PATH}.json").respond_with_json({"sid": SID.value})
    assert client_for(httpserver).get(httpserver.url_for("/").rstrip("/"), f"{ACCOUNT_PATH}.json")["sid"] == SID.value


def test_base_urls_from_the_settings_file_unless_the_environment_says_otherwise():
    settings = {"api_url": "https://twilio-proxy.example.co.jp", "numbers_url": "http://127.0.0.1:9"}
    urls = BaseUrls.from_environment({"KWC_TWILIO_NUMBERS_URL": "https://numbers.example.com"}, settings)
    assert urls == BaseUrls("https://twilio-proxy.example.co.jp", "https://numbers.example.com",
                            "https://messaging.twilio.com")
    with pytest.raises(BadUrl) as caught:
        BaseUrls.from_environment({}, {"api_url": "http://twilio-proxy.example.co.jp"})
    assert "settings.ini [twilio] api_url" in caught.value.message("en")


def test_importing_the_client_changes_no_logger_making_one_masks_them():
    """The log masking is installed where a client is made, not as a side effect of an import."""
    import subprocess
    import sys

    code = ("import logging, kwc_desktop.services.twilio as t; "
            "print(sum(len(logging.getLogger(n).filters) for n in t.HTTP_LOGGERS)); "
            "from kwc_desktop.domain.sid import parse_sid; s = parse_sid('AC' + '0' * 32); "
            "t.TwilioClient(t.Credentials(s, s.value, 'f' * 32)); t.TwilioClient(t.Credentials(s, s.value, 'f' * 32)); "
            "print(sum(len(logging.getLogger(n).filters) for n in t.HTTP_LOGGERS))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, made = result.stdout.split()
    assert imported == "0" and made == "7"  # one filter on each HTTP logger, however many clients
