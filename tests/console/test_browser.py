"""The console in a real headless Chromium (Debian's `chromium`, driven by Playwright
with `executable_path`; never `playwright install`): log in, open a transcript, claim a
handoff, import a directory file, print a region sheet, chat with the real assistant."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator

import pytest
from waitress.server import create_server

from app import handoffs
from app.db import session_scope
from bench.stack import free_port
from console import directory
from tests.console.conftest import COUNSELLOR, console_settings, write_conversation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is installed by make test")


def serve(app) -> Iterator[str]:
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture(scope="module")
def console_url(console_app) -> Iterator[str]:
    yield from serve(console_app)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, console_url):
    context = browser.new_context(base_url=console_url, locale="fr-CA")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors  # no script error, no CSP violation breaking a script


def log_in(page, who=COUNSELLOR) -> None:
    page.goto("/login")
    page.get_by_label("Courriel").fill(who[0])
    page.get_by_label("Mot de passe").fill(who[1])
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_log_in_and_open_a_transcript(page):
    write_conversation("tg-browser-1", [("user", "<script>document.title='piraté'</script> bonjour", "greet", 0.42),
                                         ("bot", "Bonjour!", None, None)])  # fmt: skip
    page.goto("/conversations")
    assert page.url.endswith("/login?next=%2Fconversations%3F") or "/login" in page.url
    log_in(page)
    page.goto("/conversations?q=bonjour")
    page.get_by_role("link", name="tg-browser-1").click()
    first = page.locator("li.turn.user").first
    assert "<script>document.title='piraté'</script> bonjour" in first.inner_text()
    assert "low" in first.get_attribute("class")
    assert page.title() != "piraté"


def test_claim_a_handoff(page):
    with session_scope() as s:
        handoff_id = handoffs.open_handoff(s, "tg-browser-2", "asked", "je veux une personne", "fr").id
    log_in(page)
    card = page.locator(f"#handoff-{handoff_id}")
    assert page.locator("#open-badge").inner_text().strip().isdigit()
    card.get_by_role("button", name="Je m'en occupe").click()
    page.wait_for_url("**/?status=claimed")
    assert "conseillere" in page.locator(f"#handoff-{handoff_id}").inner_text()  # the claimer's name
    assert page.locator(f"#handoff-{handoff_id} textarea").count() == 1  # the reply box is now there


def test_import_a_directory_file(page, tmp_path):
    grid = tmp_path / "grille.csv"
    row = {c: "" for c in directory.COLUMNS} | {
        "name": "Organisme importé par navigateur", "region": "Estrie", "org_type": "accueil",
        "services": "accueil des personnes immigrantes", "city": "Sherbrooke", "retired": "non",
        "source_url": "https://example.org/source",
    }  # fmt: skip
    grid.write_bytes(directory.to_csv([row]))
    log_in(page)
    page.goto("/organisations/import")
    page.set_input_files("input[type=file]", str(grid))
    page.get_by_role("button", name="Importer", exact=True).click()
    assert "1 créé(s), 0 mis à jour" in page.locator("#import-done").inner_text()
    page.goto("/organisations?region=05")
    assert page.get_by_role("link", name="Organisme importé par navigateur").count() == 1


def test_print_a_region_sheet_on_one_page(page):
    log_in(page)
    page.goto("/regions/01")
    page.evaluate("window.__printed = false; window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible() and page.locator("h1").inner_text() == "Bas-Saint-Laurent"
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1  # a one-page fiche


@pytest.mark.servers
def test_chat_with_the_assistant_through_the_console(browser, console_app, servers):
    from console import create_app

    for url in serve(create_app(console_settings(servers.rasa_url, servers.token))):
        context = browser.new_context(base_url=url)
        page = context.new_page()
        log_in(page)
        page.goto("/chat")
        page.get_by_label("Écrivez un message…").fill("parle-moi du Bas-Saint-Laurent")
        page.get_by_role("button", name="Envoyer").click()
        reply = page.locator("#chat-log li.bot").first
        reply.wait_for(timeout=30_000)
        assert "Bas-Saint-Laurent" in reply.inner_text()
        context.close()
