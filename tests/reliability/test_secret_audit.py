"""A whole scripted session with sentinel SIDs, tokens and card digits — the wizard, then every command of
the command line — and a scan of every file written and all output: no sentinel anywhere, but in the two
places the user asked for it (an unmasked checklist PDF, the .eml draft to Twilio)."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kwc_desktop.domain.answers import AccountEntry
from kwc_desktop.services.paths import app_data_dir
from kwc_desktop.services.secrets import SecretStore, SessionSecrets
from kwc_desktop.ui.wizard import Page
from tests.reliability.conftest import IN_CI, app_env, run_app
from tests.wizard_helpers import export_pdf, go_to, open_window, settle, type_text, with_modal

SID = "AC" + "0badc0de" * 4
PASTED = "AC" + "f00dfeed" * 4
BUNDLE = "BU" + "b0b0cafe" * 4
TOKEN = "7e57ab1e" * 4
KEY = "SK" + "5ca1ab1e" * 4
KEY_SECRET = "deadbea7" * 4
CHILD = "AC" + "c0ffee00" * 4  # a sub-account Twilio reports under "Audit"
CARD = "35281234"  # the first 8 digits of a JCB number
SENTINELS = {"SID": SID[2:], "pasted SID": PASTED[2:], "Bundle SID": BUNDLE[2:], "token": TOKEN, "card": CARD,
             "API Key": KEY[2:], "API Key secret": KEY_SECRET, "sub-account SID": CHILD[2:]}


def leaks(data: bytes) -> list[str]:
    """Which sentinels `data` holds, as ASCII or UTF-16 (Windows-style files), in any case."""
    found = []
    lowered = data.lower()
    for name, value in SENTINELS.items():
        for encoded in (value.encode(), value.encode("utf-16-le"), value.upper().encode()):
            if encoded.lower() in lowered:
                found.append(name)
                break
    return found


def scan(folder: Path, allowed: set[Path]) -> dict[str, list[str]]:
    hits = {}
    for path in folder.rglob("*"):
        if path.is_file() and path not in allowed:
            if path.suffix == ".pdf":  # text in a PDF is compressed: read it back as a user would copy it
                text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout
                found = leaks(text) + leaks(path.read_bytes())
            else:
                found = leaks(path.read_bytes())
            if found:
                hits[str(path)] = found
    return hits


def keyring_for_test() -> SecretStore:
    if IN_CI or os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        from kwc_desktop.services.secrets import open_keyring

        return open_keyring()  # the real Secret Service of the test session
    return SessionSecrets()


def test_no_secret_reaches_a_file_a_log_or_the_output(qtbot, tmp_path, monkeypatch, caplog, capfd):
    from tests.fake_twilio import FakeAccount, numbers_for, serving

    with serving() as twilio:
        twilio.add(FakeAccount(SID, TOKEN, keys={KEY: KEY_SECRET}, numbers=numbers_for(SID, 3, 1, BUNDLE),
                               bundles=[{"sid": BUNDLE, "friendly_name": "Audit bundle", "status": "twilio-approved"}]))
        twilio.add(FakeAccount(CHILD, "c" * 32, owner=SID, friendly_name="Twilio child"))
        monkeypatch.setenv("KWC_TWILIO_API_URL", twilio.base)
        monkeypatch.setenv("KWC_TWILIO_NUMBERS_URL", twilio.base)
        audit_session(qtbot, tmp_path, monkeypatch, caplog, capfd)
        assert {user for _path, user in twilio.seen} == {KEY}  # the API Key read everything


def audit_session(qtbot, tmp_path, monkeypatch, caplog, capfd) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    store = keyring_for_test()
    window = open_window(qtbot, "en", secrets=store)
    window.ask_before_quitting = False
    context = window.context
    try:
        # Accounts: one typed with its SID and token, one pasted.
        go_to(qtbot, window, Page.ACCOUNTS)
        accounts = window.wizard.page(Page.ACCOUNTS)

        def add(dialog) -> None:  # noqa: ANN001
            qtbot.keyClicks(dialog.label, "Audit")
            qtbot.keyClicks(dialog.email.lineEdit(), "it@example.com")
            qtbot.keyClicks(dialog.sid, SID)
            qtbot.keyClicks(dialog.token, TOKEN)
            qtbot.keyClicks(dialog.key_sid, KEY)
            qtbot.keyClicks(dialog.key_secret, KEY_SECRET)
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

        with_modal(add)
        qtbot.mouseClick(accounts.add_button, Qt.MouseButton.LeftButton)

        def paste(dialog) -> None:  # noqa: ANN001
            dialog.text.setPlainText(PASTED)
            dialog.email.setCurrentText("it@example.com")
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

        with_modal(paste)
        qtbot.mouseClick(accounts.paste_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        # Read from Twilio (a loopback stand-in): the key is used, a sub-account and a Bundle come back, and
        # what was read is kept with the progress and written as a report.
        with qtbot.waitSignal(accounts.twilio_read, timeout=20000):
            qtbot.mouseClick(accounts.read_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        assert context.session.answers.account("Twilio child") is not None, accounts.read_status.text()
        report = tmp_path / "detection-report.json"
        assert accounts.save_report_to(report)
        audit = context.session.answers.account("Audit")
        assert isinstance(audit, AccountEntry)
        audit.facts.update({"payment": "paypal", "hq_sms": True, "has_bundles": True})
        context.touch()
        # Bundles, billing, payment: every page that takes a secret or sits beside one.
        go_to(qtbot, window, Page.BUNDLES)
        bundles = window.wizard.page(Page.BUNDLES)
        bundles.account.setCurrentIndex(bundles.account.findData("Audit"))
        qtbot.keyClicks(bundles.new_sid, BUNDLE)
        qtbot.mouseClick(bundles.add_button, Qt.MouseButton.LeftButton)
        go_to(qtbot, window, Page.BILLING)
        billing = window.wizard.page(Page.BILLING)
        for item_id, text in {"company-name-ja": "株式会社監査", "company-name-en": "Audit K.K.",
                              "billing-address-en": "1-2-3 Shibuya, Tokyo", "billing-email": "billing@example.com",
                              "billing-contact-ja": "佐藤 花子", "billing-contact-en": "Hanako Sato"}.items():
            type_text(qtbot, billing.fields[item_id], text)
        billing.account.setCurrentIndex(next(i for i in range(billing.account.count())
                                             if str(billing.account.itemData(i)).endswith("|Audit")))
        eml = tmp_path / "draft.eml"
        assert billing.save_eml_to(eml)
        go_to(qtbot, window, Page.PAYMENT)
        payment = window.wizard.page(Page.PAYMENT)
        qtbot.keyClicks(payment.card, CARD)
        assert "JCB" in payment.card_result.text()
        go_to(qtbot, window, Page.SUMMARY)
        summary = window.wizard.page(Page.SUMMARY)
        summary.mask_sids.setChecked(True)
        assert export_pdf(qtbot, summary, tmp_path / "masked.pdf")
        summary.mask_sids.setChecked(False)
        unmasked = tmp_path / "unmasked.pdf"
        assert export_pdf(qtbot, summary, unmasked)
        settle(qtbot, window)
        assert context.session.secrets.sids["Audit"].value == SID and "Audit" in context.session.secrets.tokens  # the session did use them
        window.close()
        # The command line, on a profile naming the same accounts (the profile itself is the user's file).
        profile = tmp_path / "audit.toml"
        profile.write_text('profile = 1\n[[owners]]\nemail = "it@example.com"\n[[owners.accounts]]\n'
                           f'label = "Audit"\npayment = "paypal"\n[[owners.accounts]]\nlabel = "Typed"\nsid = "{PASTED}"\n'
                           f'bundles = ["{BUNDLE}"]\n', encoding="utf-8")
        env = app_env(app_data_dir(), **{"TMPDIR": str(temp), "KWC_TWILIO_API_URL": os.environ["KWC_TWILIO_API_URL"],
                                         "KWC_TWILIO_NUMBERS_URL": os.environ["KWC_TWILIO_NUMBERS_URL"]})
        outputs = []
        for args in (["plan", str(profile)], ["plan", str(profile), "--json"], ["plan", str(profile), "--keyring"],
                     ["plan", str(profile), "--keyring", "--json", "--lang", "ja"],
                     ["checklist", str(profile), "--out", str(tmp_path / "cli-masked.pdf"), "--mask-sids",
                      "--keyring"],
                     ["checklist", str(profile), "--out", str(tmp_path / "cli-unmasked.pdf")],
                     ["plan", str(tmp_path / "missing.toml")], ["--smoke"], ["--smoke=resume"],
                     ["detect", str(profile), "--keyring", "--json", "--report", str(tmp_path / "cli-report.json")],
                     ["detect", str(profile), "--keyring", "--lang", "ja"]):
            result = run_app(*args, env=env)
            outputs.append(result.stdout + result.stderr)
        cli_output = "\n".join(outputs).encode()
        # Masked SIDs in the output are fine (AC0b…c0de); whole ones are not — except in the plain `plan`
        # of a profile that wrote its SID down itself, which prints it masked too.
        assert leaks(cli_output) == [], cli_output.decode()[:2000]
        out, err = capfd.readouterr()
        assert leaks((out + err + caplog.text).encode()) == [], (out + err + caplog.text)[-3000:]
        allowed = {unmasked, eml, profile, tmp_path / "cli-unmasked.pdf"}
        assert leaks(unmasked.read_bytes() + subprocess.run(["pdftotext", str(unmasked), "-"],
                                                           capture_output=True).stdout)  # the scan can see it
        assert scan(tmp_path, allowed) == {}
        assert scan(app_data_dir(), set()) == {}
        if IN_CI:  # scripts/test.sh's throwaway HOME: settings, caches, the keyring's own (encrypted) files
            assert scan(Path(os.environ["HOME"]), set()) == {}
    finally:
        for label in ("Audit", "Account 2", "Twilio child"):
            for kind in ("sid", "token", "api_key", "bundles"):
                store.delete(label, kind)  # type: ignore[arg-type]
