"""Detection: Twilio JSON (shaped as TWILIO_API.md gives it) in, the program's facts with evidence out —
and `kwc-desktop detect` against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwc_desktop.domain.detection import findings, number_kind
from kwc_desktop.ui.detection import twilio_reader
from tests.conftest import REPO

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)

SID = "AC5f3c0e9a1b2d4c6e8f0a1b2c3d4e5f60"
OTHER = "AC9e8d7c6b5a49382716a5b4c3d2e1f0a9"
BUNDLE = "BU3c4d5e6f708192a3b4c5d6e7f8091a2b"
TOKEN = "f" * 16 + "0123456789abcdef"
ACCOUNT = {"sid": SID, "owner_account_sid": SID, "friendly_name": "Acme", "status": "active", "type": "Full",
           "auth_token": "<redacted>"}
NUMBERS = [
    {"phone_number": "+81120123456", "origin": "hosted", "bundle_sid": BUNDLE},  # toll-free, not bought: ported?
    {"phone_number": "+818001234567", "origin": "twilio"},
    {"phone_number": "+815012345678", "origin": "twilio", "bundle_sid": BUNDLE},
    {"phone_number": "+819012345678", "origin": "twilio"},
    {"phone_number": "+81312345678", "origin": "twilio", "bundle_sid": None},
    {"phone_number": "+14155550123", "origin": "twilio"},
    {"phone_number": None}, "not an object",  # lenient: every field optional and nullable
]
BUNDLES = [{"sid": BUNDLE, "friendly_name": "Tokyo 03 - Acme K.K.", "status": "twilio-approved",
            "valid_until": None}]


def test_japanese_number_kinds():
    assert [number_kind(n["phone_number"]) for n in NUMBERS[:6]] == [
        "toll-free", "toll-free", "ip-050", "mobile", "geographic", "other-country"]
    assert number_kind("not a number") == "other-country"


def test_findings_from_an_account(program):
    accounts = [ACCOUNT, {"sid": OTHER, "owner_account_sid": SID, "friendly_name": "EU project"}]
    found = findings(program.detection, ACCOUNT, NUMBERS, BUNDLES, {"balance": "42.17", "currency": "USD"},
                     accounts)
    assert {k: v.value for k, v in found.facts.items()} == {"kind": "standard", "ported_toll_free": True,
                                                            "has_bundles": True}
    assert found.numbers.counts == {"toll-free": 2, "ip-050": 1, "mobile": 1, "geographic": 1, "other-jp": 0,
                                    "other-country": 1}
    assert found.numbers.toll_free_not_bought == ("+81120123456",)
    assert found.bundles[0].numbers == ("+81120123456", "+815012345678")
    assert found.subaccounts == [(OTHER, "EU project")]
    assert found.balance == ("42.17", "USD")
    evidence = dict(found.evidence("en"))
    assert "+81120123456" in evidence["ported_toll_free"] and "please confirm" in evidence["ported_toll_free"]
    assert "Tokyo 03 - Acme K.K." in evidence["has_bundles"]
    assert "+81120123456" in dict(found.evidence("ja"))["ported_toll_free"]


def test_account_kinds_and_what_cannot_be_read(program):
    spec = program.detection
    for account, kind in [({"status": "closed"}, "closed"), ({"status": "suspended", "type": "Full"}, "suspended"),
                          ({"status": "active", "type": "Trial"}, "trial"), ({"status": "active"}, "standard")]:
        assert findings(spec, account, None, None).facts["kind"].value == kind
    assert findings(spec, {"status": 42}, None, None).facts == {}  # nothing usable: no answer
    assert findings(spec, None, None, None).facts == {}


def run_detect(httpserver, profile_text: str, tmp_path, *args: str, token: str = TOKEN):  # noqa: ANN001
    profile = tmp_path / "detect.toml"
    profile.write_text(profile_text, encoding="utf-8")
    base = httpserver.url_for("/").rstrip("/")
    env = {**os.environ, "KWC_TWILIO_API_URL": base, "KWC_TWILIO_NUMBERS_URL": base,
           "KWC_TWILIO_AUTH_TOKEN": token}
    return subprocess.run([sys.executable, "-m", "kwc_desktop", "detect", str(profile), "--json",
                           "--as-of", "2023-04-10T10:00", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, env=env)


def serve_account(httpserver, sid: str, numbers: list, bundles: list) -> None:  # noqa: ANN001
    root = f"/2010-04-01/Accounts/{sid}"
    httpserver.expect_request(f"{root}.json").respond_with_json({**ACCOUNT, "sid": sid, "owner_account_sid": sid})
    httpserver.expect_request(f"{root}/IncomingPhoneNumbers.json").respond_with_json(
        {"incoming_phone_numbers": numbers, "next_page_uri": None})
    httpserver.expect_request(f"{root}/Balance.json").respond_with_json({"balance": "1.00", "currency": "USD"})


PROFILE = f"""profile = 1
[[owners]]
email = "it@example.com"
  [[owners.accounts]]
  label = "Main"
  sid = "{SID}"
  [[owners.accounts]]
  label = "Denied"
  sid = "{OTHER}"
"""


def test_detect_reads_each_account_and_says_what_applies(httpserver, tmp_path):
    serve_account(httpserver, SID, NUMBERS[:6], BUNDLES)
    httpserver.expect_request("/2010-04-01/Accounts.json").respond_with_json({"accounts": [ACCOUNT],
                                                                             "next_page_uri": None})
    httpserver.expect_request("/v2/RegulatoryCompliance/Bundles").respond_with_json(
        {"results": BUNDLES, "meta": {"key": "results", "next_page_url": None}})
    httpserver.expect_request(f"/2010-04-01/Accounts/{OTHER}.json").respond_with_json({"message": "no"}, status=401)
    result = run_detect(httpserver, PROFILE, tmp_path)
    assert result.returncode == 1, result.stderr  # one account failed; both are reported
    report = json.loads(result.stdout)
    main, denied = report["accounts"]
    assert main["facts"] == {"kind": "standard", "ported_toll_free": True, "has_bundles": True}
    assert {"toll-free-porting", "bundle-reverification"} <= set(main["procedures"])
    assert any("+81120123456" in e["text"] for e in main["evidence"])
    assert main["errors"] == []
    assert denied["errors"][0]["kind"] == "bad-credentials" and denied["facts"] == {}
    assert report["requests"] >= 6
    assert TOKEN not in result.stdout + result.stderr
    # Every request carried Basic credentials: the Account SID and the token.
    assert all(request.authorization.username in (SID, OTHER) for request, _ in httpserver.log)


def test_detect_one_account_and_bad_arguments(httpserver, tmp_path):
    serve_account(httpserver, SID, [], [])
    httpserver.expect_request("/2010-04-01/Accounts.json").respond_with_json({"accounts": [], "next_page_uri": None})
    httpserver.expect_request("/v2/RegulatoryCompliance/Bundles").respond_with_json(
        {"results": [], "meta": {"key": "results", "next_page_url": None}})
    result = run_detect(httpserver, PROFILE, tmp_path, "--account", "Main")
    assert result.returncode == 0, result.stderr
    (main,) = json.loads(result.stdout)["accounts"]
    assert main["facts"] == {"kind": "standard", "ported_toll_free": False, "has_bundles": False}
    missing = run_detect(httpserver, PROFILE, tmp_path, "--account", "Nope")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Nope" in missing.stderr
    no_token = run_detect(httpserver, PROFILE, tmp_path, "--account", "Main", token="")
    assert no_token.returncode == 1 and json.loads(no_token.stdout)["accounts"][0]["errors"][0]["kind"] == "missing"


def test_detect_with_an_api_key_reads_sub_accounts_and_writes_a_masked_report(tmp_path):
    from tests.fake_twilio import FakeAccount, numbers_for, serving
    from tests.fake_twilio import sid as make_sid

    key, secret = make_sid("SK", 1), "s" * 32
    with serving() as fake:
        fake.add(FakeAccount(SID, TOKEN, keys={key: secret}, numbers=numbers_for(SID, 3)))
        fake.add(FakeAccount(OTHER, "d" * 32, owner=SID, friendly_name="EU project", status="closed"))
        profile = tmp_path / "p.toml"
        profile.write_text(PROFILE.split("  [[owners.accounts]]\n  label = \"Denied\"")[0], encoding="utf-8")
        env = {**os.environ, "KWC_TWILIO_API_URL": fake.base, "KWC_TWILIO_NUMBERS_URL": fake.base,
               "KWC_TWILIO_API_KEY": key, "KWC_TWILIO_API_SECRET": secret}
        report = tmp_path / "report.json"

        def detect(*args: str, environment: dict[str, str] = env) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "kwc_desktop", "detect", str(profile), *args],
                                  capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=environment)

        result = detect("--json", "--report", str(report), "--as-of", "2023-04-10T10:00")
        assert result.returncode == 0, result.stderr
        main, child = json.loads(result.stdout)["accounts"]
        assert (child["label"], child["parent"], child["facts"]["kind"]) == ("EU project", "Main", "closed")
        assert child["procedures"] == []  # a closed account is not transferred
        assert {user for _path, user in fake.seen} == {key}  # the key for both, never the token
        text = report.read_text(encoding="utf-8")
        for secret_text in (SID, OTHER, key, secret):
            assert secret_text not in text + result.stdout + result.stderr
        assert json.loads(text)["format"] == "kwc-desktop/detection"
        plain = detect("--lang", "ja", "--as-of", "2023-04-10T10:00")
        assert plain.returncode == 0 and "EU project" in plain.stdout
        bad_key = detect("--json", environment={**env, "KWC_TWILIO_API_KEY": "SKnothex"})
        assert bad_key.returncode == 2 and bad_key.stderr.count("\n") == 1 and "KWC_TWILIO_API_KEY" in bad_key.stderr
        to_folder = detect("--report", str(tmp_path))
        assert to_folder.returncode == 2 and to_folder.stderr.count("\n") == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_read_from_twilio_in_the_wizard_and_an_override_that_holds(qtbot, tmp_path, monkeypatch, lang):
    """The account is added with an API Key (the dialog), read (a background job against a threaded
    loopback server), its sub-account is added under it, the evidence shows on Options; the user overrides
    one finding and the account's kind; after a restart the evidence is still there without reading again,
    and the overrides still win — also over a later read. The report saved from the window masks SIDs."""
    import re as regex

    from pytest_httpserver import HTTPServer

    from kwc_desktop.services.secrets import SessionSecrets
    from kwc_desktop.ui.wizard import Page
    from tests.fake_twilio import FakeAccount, FakeTwilio, bundles_for, numbers_for
    from tests.fake_twilio import sid as make_sid
    from tests.wizard_helpers import go_to, open_window, settle, with_modal

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeTwilio(server.url_for("/"))
        server.expect_request(regex.compile(".*")).respond_with_handler(fake)
        key, key_secret = make_sid("SK", 5), "k" * 32
        bundles = bundles_for(SID, 1)
        fake.add(FakeAccount(SID, TOKEN, keys={key: key_secret}, status="suspended", bundles=bundles,
                             numbers=numbers_for(SID, 4, toll_free_hosted=1, bundle=bundles[0]["sid"])))
        fake.add(FakeAccount(OTHER, "d" * 32, owner=SID, friendly_name="EU project"))
        monkeypatch.setenv("KWC_TWILIO_API_URL", fake.base)
        monkeypatch.setenv("KWC_TWILIO_NUMBERS_URL", fake.base)
        secrets = SessionSecrets()
        window = open_window(qtbot, lang, secrets=secrets)
        context = window.context
        go_to(qtbot, window, Page.ACCOUNTS)
        accounts = window.wizard.page(Page.ACCOUNTS)

        def fill(dialog) -> None:  # noqa: ANN001
            dialog.label.setText("Main")
            dialog.email.setCurrentText("it@example.com")
            dialog.sid.setText(SID)
            dialog.key_sid.setText(key)
            dialog.key_secret.setText(key_secret)
            assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
            dialog.accept()

        with_modal(fill)
        accounts.add_button.click()
        settle(qtbot, window)
        assert secrets.get("Main", "api_key") == f"{key}:{key_secret}"  # one keyring entry: key and secret
        assert "SK" in accounts.table.item(0, 4).text() and key not in accounts.table.item(0, 4).text()
        with qtbot.waitSignal(accounts.twilio_read, timeout=20000):
            accounts.read_button.click()
        settle(qtbot, window)
        done = {"en": "Accounts read from Twilio: 1.", "ja": "Twilioから1件のアカウントを読み取りました。"}[lang]
        assert accounts.read_status.text().startswith(done), accounts.read_status.text()
        assert all(user == key for _path, user in fake.seen)  # the key, never the token
        child = context.session.answers.account("EU project")
        assert child is not None and child.parent == "Main" and secrets.get("EU project", "sid") == OTHER
        assert context.session.kind("Main") == "suspended"
        assert [s.value for s in context.session.secrets.bundles["Main"]] == [bundles[0]["sid"]]  # the Bundles page is filled
        procedures = {s.procedure.id for s in context.session.plan().statuses()}
        assert {"toll-free-porting", "bundle-reverification"} <= procedures
        go_to(qtbot, window, Page.OPTIONS)
        options = window.wizard.page(Page.OPTIONS)
        options.account.setCurrentIndex(options.account.findData("Main"))
        panel = options.applies.toPlainText()
        assert "+81120000000" in panel and {"en": "Read from Twilio:", "ja": "Twilioから読み取った内容:"}[lang] in panel
        assert options.not_readable.isVisible() and options.not_readable.text()
        # The user knows better: that toll-free number was not ported in; and the account is in use.
        ported = options.editors["ported_toll_free"].combo
        ported.setCurrentIndex(ported.findData(False))
        assert "toll-free-porting" not in {s.procedure.id for s in context.session.plan().statuses()}
        assert {"en": "(your own answer is used)", "ja": "(ご自身の回答を使用)"}[lang] in options.applies.toPlainText()
        go_to(qtbot, window, Page.ACCOUNTS)
        accounts.table.selectRow(0)

        def choose_standard(dialog) -> None:  # noqa: ANN001
            assert dialog.kind.currentData() == "suspended"  # what Twilio said is shown
            dialog.kind.setCurrentIndex(dialog.kind.findData("standard"))
            dialog.accept()

        with_modal(choose_standard)
        accounts.edit_button.click()
        assert context.session.kind("Main") == "standard"
        report_path = tmp_path / "report.json"
        assert accounts.save_report_to(report_path)
        report_text = report_path.read_text(encoding="utf-8")
        assert SID not in report_text and OTHER not in report_text and key not in report_text
        assert json.loads(report_text)["accounts"][0]["facts"]["ported_toll_free"]["your_answer"] is False
        context.save_now()
        window.close()

        again = open_window(qtbot, lang, secrets=secrets)
        settle(qtbot, again)
        session = again.context.session
        assert session.findings["Main"].facts["ported_toll_free"].value is True  # kept, not read again
        assert again.context.session.answers.account("Main").facts["ported_toll_free"] is False  # the override holds
        assert session.kind("Main") == "standard"
        go_to(qtbot, again, Page.OPTIONS)
        options = again.wizard.page(Page.OPTIONS)
        options.account.setCurrentIndex(options.account.findData("Main"))
        assert "+81120000000" in options.applies.toPlainText()
        requests_before = fake.requests
        with qtbot.waitSignal(twilio_reader(again.context).finished, timeout=20000):
            options.read_button.click()  # a later read of this account only
        assert fake.requests > requests_before
        plan = {s.procedure.id for s in again.context.session.plan().statuses()}
        assert "toll-free-porting" not in plan and session.kind("Main") == "standard"
        again.context.save_now()
        from kwc_desktop.services.paths import app_data_dir

        written = [path for path in app_data_dir().rglob("*") if path.is_file()]
        assert written
        for path in written:  # the progress file (with the detections in it) and the program cache
            data = path.read_bytes()
            assert not any(secret.encode() in data for secret in (SID, OTHER, key, key_secret, TOKEN))
    finally:
        server.clear()
        server.stop()


@given(st.text(alphabet="0123456789", min_size=0, max_size=14))
@settings(max_examples=500, deadline=None)
def test_the_fast_path_for_japanese_numbers_agrees_with_libphonenumber(digits):
    """number_kind skips parsing for +81 numbers; it must say what phonenumbers.parse would."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    e164 = "+81" + digits
    try:
        parsed = phonenumbers.parse(e164, None)
        expected = "other-country" if phonenumbers.region_code_for_number(parsed) != "JP" else {
            PhoneNumberType.TOLL_FREE: "toll-free", PhoneNumberType.VOIP: "ip-050",
            PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "geographic"}.get(
            phonenumbers.number_type(parsed), "other-jp")
    except phonenumbers.NumberParseException:
        expected = "other-country"
    assert number_kind(e164) == expected


def test_the_wizard_reads_the_base_urls_from_settings_ini(qtbot, monkeypatch):
    from kwc_desktop.domain.answers import AccountEntry
    from kwc_desktop.services.paths import app_data_dir
    from kwc_desktop.services.secrets import SessionSecrets
    from tests.fake_twilio import FakeAccount, numbers_for, serving
    from tests.wizard_helpers import open_window, settle

    monkeypatch.delenv("KWC_TWILIO_API_URL", raising=False)
    monkeypatch.delenv("KWC_TWILIO_NUMBERS_URL", raising=False)
    with serving() as fake:
        fake.add(FakeAccount(SID, TOKEN, numbers=numbers_for(SID, 2)))
        folder = app_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "settings.ini").write_text(f"[twilio]\napi_url={fake.base}\nnumbers_url={fake.base}\n",
                                             encoding="utf-8")
        window = open_window(qtbot, "en", secrets=SessionSecrets())
        context = window.context
        context.session.add_account(AccountEntry("Main", "it@example.com"))
        context.keeper.write_secret("Main", "sid", SID)
        context.keeper.write_secret("Main", "token", TOKEN)
        settle(qtbot, window)
        with qtbot.waitSignal(twilio_reader(context).finished, timeout=20000) as finished:
            assert twilio_reader(context).start(["Main"])
        assert finished.args[0].startswith("Accounts read from Twilio: 1."), finished.args
        assert fake.requests == 5 and context.session.findings["Main"].facts


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", ["no-credentials", "wrong-token"])
def test_reading_nothing_says_what_happened_in_the_window_s_words(qtbot, monkeypatch, lang, case):
    """With no credentials the window says where to add them (not the command line's options), and an
    account Twilio refused is not counted as read."""
    import re as regex

    from pytest_httpserver import HTTPServer

    from kwc_desktop.domain.answers import AccountEntry
    from kwc_desktop.services.secrets import SessionSecrets
    from kwc_desktop.ui.wizard import Page
    from tests.fake_twilio import FakeAccount, FakeTwilio
    from tests.wizard_helpers import go_to, open_window, settle

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeTwilio(server.url_for("/"))
        server.expect_request(regex.compile(".*")).respond_with_handler(fake)
        fake.add(FakeAccount(SID, TOKEN))
        monkeypatch.setenv("KWC_TWILIO_API_URL", fake.base)
        monkeypatch.setenv("KWC_TWILIO_NUMBERS_URL", fake.base)
        secrets = SessionSecrets()
        secrets.set("Main", "sid", SID)
        if case == "wrong-token":
            secrets.set("Main", "token", "e" * 32)
        window = open_window(qtbot, lang, secrets=secrets)
        window.context.session.add_account(AccountEntry("Main", "it@example.com"))
        if case == "no-credentials":
            window.context.session.add_account(AccountEntry("Later", "it@example.com"))  # no SID yet either
        window.context.touch()
        window.context.keeper.reload_secrets()  # the keyring holds its SID (and token): read as on a start
        settle(qtbot, window)
        assert "Main" in window.context.session.secrets.sids
        go_to(qtbot, window, Page.ACCOUNTS)
        accounts = window.wizard.page(Page.ACCOUNTS)
        accounts.refresh()
        with qtbot.waitSignal(accounts.twilio_read, timeout=20000):
            accounts.read_button.click()
        settle(qtbot, window)
        said = accounts.read_status.text()
        assert said.startswith({"en": "Nothing could be read from Twilio.", "ja": "Twilioから何も読み取れませんでした。"}[lang])
        assert "--keyring" not in said and "KWC_TWILIO" not in said and "1 accounts" not in said
        expected = {("no-credentials", "en"): "press Edit", ("no-credentials", "ja"): "「編集」",
                    ("wrong-token", "en"): "(401)", ("wrong-token", "ja"): "(401)"}[case, lang]
        assert "Main: " in said and expected in said, said
        if case == "no-credentials":  # the account without a SID is not read; asked, the window says where
            from kwc_desktop.services.detect import FOR_WINDOW, target_for

            assert "Later" not in said
            later = target_for(window.context.session, "Later", lambda _label, _kind: None, missing=FOR_WINDOW)
            assert later.problem is not None and later.problem.message(lang) == {
                "en": "This account has no Account SID yet: on the Accounts page, select it, press Edit and enter it.",
                "ja": "このアカウントにはAccount SIDがまだありません。アカウントページでアカウントを選んで「編集」を押し、"
                      "Account SIDを入力してください。"}[lang]
    finally:
        server.clear()
        server.stop()
