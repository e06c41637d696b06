"""End to end in a real browser (Debian's headless Chromium driven by
Playwright): log in, ask about 札幌, see the suggestion card, approve it, carry
it out from the card (実行開始 → 完了), let business time pass past the target's
deadline on the floor, and find the approval in the history page with its
prediction next to what happened. Screenshots go to UI_SCREENSHOT_DIR when set,
else to the test's temporary folder."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

from aimee.services.outcomes import RECORD_AFTER
from aimee.ui.launcher import dashboard_env, stop_dashboard, streamlit_command
from tests.conftest import skip_or_fail
from tests.ui.conftest import PASSWORD, LiveApi, pass_time
from tests.ui.test_record_pages import waiting_at

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAPPORO = "札幌のエントリ1工程が遅延しています"
WAIT_MS = 30_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_dashboard(api_url: str, port: int | None = None) -> Iterator[str]:
    """The dashboard served by Streamlit (a child process, as `aimee ui` starts it)
    against ``api_url``, on ``port`` (default: a free one): its URL once its health
    check answers."""
    port = port or free_port()
    process = subprocess.Popen(
        streamlit_command("127.0.0.1", port),
        env=dashboard_env(api_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the dashboard exited"
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.2)
        yield url
    finally:
        stop_dashboard(process)


@pytest.fixture
def dashboard_url(own_api: LiveApi) -> Iterator[str]:
    """The dashboard against a live API of its own (the test carries out moves)."""
    with running_dashboard(own_api.url) as url:
        yield url


def sign_in(page: Page, user_name: str = "ui-approver", password: str = PASSWORD) -> None:
    """Fill the sign-in form the dashboard sent the browser to, and send it."""
    page.get_by_label("ユーザー名").fill(user_name)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン", exact=True).click()


@contextmanager
def chromium(tmp_path: Path, *, width: int = 1400, height: int = 2000) -> Iterator[BrowserContext]:
    """Debian's headless Chromium, in Japanese, with a fresh profile (the test is skipped,
    or fails under AIMEE_TEST_REQUIRE_SERVICES, without Chromium or Playwright)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[dev]')")
    # expect() waits as long as actions do: a page load after signing in (the script
    # runs anew) takes several seconds on a busy machine
    expect.set_options(timeout=WAIT_MS)
    profile = tmp_path / "chromium-profile"
    shutil.rmtree(profile, ignore_errors=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": width, "height": height},
            locale="ja-JP",
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: BrowserContext) -> Page:
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("UI_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_seed_example_end_to_end(
    own_api: LiveApi, dashboard_url: str, screenshots: Path, tmp_path: Path
) -> None:
    with chromium(tmp_path) as browser:
        from playwright.sync_api import expect

        page = new_page(browser)
        page.goto(dashboard_url)
        sign_in(page)
        expect(page.get_by_text("キューごとの状況")).to_be_visible()
        expect(page.get_by_text("最新の進捗")).to_be_visible()
        charts = page.get_by_test_id("stVegaLiteChart")
        expect(charts).to_have_count(5)  # the heatmap and four burn-downs
        expect(charts.first.locator("svg.marks")).to_be_visible()
        page.screenshot(path=screenshots / "1_dashboard.png")

        page.get_by_role("link", name="チャット").click()
        message = page.get_by_placeholder("メッセージを入力", exact=False)
        message.fill(SAPPORO)
        message.press("Enter")
        expect(page.get_by_text("配置変更提案")).to_be_visible()
        suggestion_id = page.locator("code", has_text="SGT").first.inner_text()
        expect(page.get_by_text("参考にした管理者ノウハウ", exact=True)).to_be_visible()
        expect(page.get_by_text("類似度", exact=False).first).to_be_visible()
        page.screenshot(path=screenshots / "2_suggestion_card.png")

        message.fill("その場合、盛岡は平気？")  # a donor check: the verdict, then who leaves
        message.press("Enter")
        expect(page.get_by_text("この案では盛岡から", exact=False).last).to_be_visible()

        page.get_by_role("button", name="承認", exact=True).click()
        expect(page.get_by_text("承認しました（ui-approver", exact=False)).to_be_visible()
        page.screenshot(path=screenshots / "3_approved.png")
        page.get_by_role("button", name="実行開始").click()
        expect(page.get_by_role("button", name="完了", exact=True)).to_be_visible()
        page.get_by_role("button", name="完了", exact=True).click()
        expect(page.get_by_text("実行状況: 完了", exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="完了", exact=True)).to_have_count(0)
        page.screenshot(path=screenshots / "3b_completed.png")

        # time passes on the floor past 札幌's deadline, and the worker records what happened
        (approval,) = own_api.client("viewer").approvals(suggestion_id=suggestion_id).items
        (target,) = [o for o in approval.outcomes if o.role == "target"]
        assert pass_time(own_api, target.deadline + RECORD_AFTER) >= 1
        actual = waiting_at(own_api, ("札幌", "523201", "エントリ1"), target.deadline)
        result = f"遅延 予測{round(target.predicted_late)}件→実績{actual}件"

        page.get_by_role("link", name="提案・承認履歴").click()
        page.get_by_label("提案ID").fill(suggestion_id)
        page.get_by_label("提案ID").press("Enter")
        decisions = page.get_by_role("tabpanel", name="承認履歴")
        expect(decisions.get_by_text("1件", exact=True)).to_be_visible()
        row = decisions.locator("tr[role=row]", has_text=suggestion_id)  # the grid's a11y table
        expect(row.locator("td")).to_have_text(
            [re.compile(r"10/23 15:40"), re.compile(r"\d+"), suggestion_id, "承認", "ui-approver"]
            + [re.compile(".*")] * 2
            + ["完了", result]  # 判断理由 is beyond the grid's rendered columns
        )
        expect(page.get_by_text("予測と実績", exact=True)).to_be_visible()
        page.screenshot(path=screenshots / "4_history.png")
    history = own_api.client("viewer").approvals(suggestion_id=suggestion_id).items
    assert [(a.action_type, a.action_user) for a in history] == [("approved", "ui-approver")]


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
ALLOWED_LATIN = re.compile(
    r"AIMEE|AI|CSV|Excel|API|Lv\d*|SGT[\w\-]*|ID|SS|min|h|ui-(viewer|approver|admin)",
)
"""Words a Japanese screen may hold: the product's name, file formats, ids, units, the
demo's business abbreviation (SS, in know-how) and the test's user names (data, not labels).
URLs (the API's address) are not words. A table's cells are read from the grid's accessible
copy, which leaves a null cell empty where the canvas draws 「None」: the skill table's empty
cells are held by tests/ui/test_record_pages.py instead."""
URL = re.compile(r"https?://\S+")
SHOWN_TEXT = """() => {
    const seen = (e) => {
        const box = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        return box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
            && style.clipPath === 'none' && style.clip === 'auto';
    };
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        const parent = node.parentElement;
        const icon = getComputedStyle(parent).fontFamily.includes('Material');  // a ligature
        if (box.width > 1 && box.height > 1 && seen(parent) && !icon) parts.push(node.data);
    }
    for (const e of document.querySelectorAll('input, textarea')) {
        const shown = getComputedStyle(e, '::placeholder').color !== 'rgba(0, 0, 0, 0)';
        if (seen(e) && !e.value && shown) parts.push(e.getAttribute('placeholder') || '');
    }
    // a table's cells are drawn on a canvas; its accessible copy holds the same text
    for (const e of document.querySelectorAll('[data-testid=stDataFrame] td')) {
        parts.push(e.textContent || '');
    }
    return parts.join('\\n');
}"""


def latin_words(text: str) -> set[str]:
    """The Latin words of ``text`` outside the allow-list."""
    return {w for w in LATIN_WORD.findall(URL.sub(" ", text)) if not ALLOWED_LATIN.fullmatch(w)}


def test_latin_words_are_found_outside_the_allow_list() -> None:
    shown = "固定（locked） SGT-20251023-0001 CSV Lv3 None 検索: lexical yyyy API: http://x/y"
    assert latin_words(shown) == {"locked", "None", "lexical", "yyyy"}


def test_every_page_speaks_japanese(
    own_api: LiveApi, dashboard_url: str, screenshots: Path, tmp_path: Path
) -> None:
    """Signed in as an approver, every page of the navigation (and the chat's answer,
    card and modify panel) shows no English word or raw value; the favicon is local."""

    def settled(page: Page) -> None:
        expect(page.locator("[data-test-script-state=notRunning]")).to_be_attached()
        expect(page.locator("[data-stale=true]")).to_have_count(0)  # nothing left over

    found: dict[str, set[str]] = {}
    with chromium(tmp_path) as browser:
        from playwright.sync_api import expect

        page = new_page(browser)
        page.goto(dashboard_url)
        found["ログイン"] = latin_words(page.evaluate(SHOWN_TEXT))
        sign_in(page, password="まちがい")
        found["ログイン（誤り）"] = latin_words(page.evaluate(SHOWN_TEXT))
        sign_in(page)
        expect(page.get_by_text("キューごとの状況")).to_be_visible()
        favicon = page.locator("link[rel='shortcut icon']")  # drawn here, not from a CDN
        expect(favicon).to_have_attribute("href", re.compile(r"^data:image/svg\+xml,"))
        nav = page.get_by_test_id("stSidebarNav").get_by_role("link")
        titles = [t.split()[-1] for t in nav.all_inner_texts()]  # after the icon's name
        assert len(titles) >= 8, titles
        for index, title in enumerate(titles):
            link = nav.nth(index)
            href = link.get_attribute("href") or ""
            link.click()
            page.wait_for_url(lambda url, href=href: url.rstrip("/").endswith(href.rstrip("/")))
            settled(page)
            if title == "チャット":
                message = page.get_by_placeholder("メッセージを入力", exact=False)
                too_long = SAPPORO + "あ" * 2000
                message.fill(too_long)
                message.press("Enter")  # refused, and put back in the box
                expect(
                    page.get_by_text("あと18文字減らしてから送信してください", exact=False)
                ).to_be_visible()
                expect(message).to_have_value(too_long)
                message.fill(SAPPORO)
                message.press("Enter")
                expect(page.get_by_text("配置変更提案")).to_be_visible()
                page.get_by_role("button", name="修正", exact=True).click()
                expect(page.get_by_text("提案の修正")).to_be_visible()
                settled(page)
                for box in page.get_by_test_id("stMultiSelect").all():
                    box.click()  # the pick lists open (an empty one says so)
                    found[f"{title}（{box.inner_text()[:12]}）"] = latin_words(
                        page.evaluate(SHOWN_TEXT)
                    )
                    page.keyboard.press("Escape")
            for summary in page.locator(
                "[data-testid=stExpander] details:not([open]) summary"
            ).all():
                summary.click()  # what is folded away is on screen a click later
            settled(page)
            for frame in page.get_by_test_id("stDataFrame").all():
                if frame.is_visible():
                    expect(frame.locator("td").first).to_be_attached()  # the grid has drawn
            found[title] = latin_words(page.evaluate(SHOWN_TEXT))
            page.screenshot(path=screenshots / f"ja_{len(found):02d}.png", full_page=True)
    offenders = {page: sorted(words) for page, words in found.items() if words}
    assert not offenders, "\n".join(f"{page}: {words}" for page, words in offenders.items())


def test_a_password_sign_in_survives_a_reload_and_deep_links(
    own_api: LiveApi, dashboard_url: str, screenshots: Path, tmp_path: Path
) -> None:
    """A deep link asks to sign in first and then opens the page asked for; a reload
    and a new tab stay signed in; 「ログアウト」 ends it, and the page asks again."""
    with chromium(tmp_path, width=1440, height=900) as browser:
        from playwright.sync_api import expect

        page = new_page(browser)
        page.goto(f"{dashboard_url}/alerts")
        expect(page).to_have_url(re.compile(r"/signin\?next=/alerts$"))
        expect(page.get_by_text("ユーザー名とパスワードでログインしてください")).to_be_visible()
        page.screenshot(path=screenshots / "signin_1_form.png")
        sign_in(page, password="まちがい")
        expect(page.get_by_role("alert")).to_have_text(
            "ユーザー名またはパスワードが正しくありません。"
        )
        expect(page.get_by_label("ユーザー名")).to_have_value("ui-approver")  # kept
        page.screenshot(path=screenshots / "signin_2_refused.png")
        sign_in(page)
        expect(page).to_have_url(f"{dashboard_url}/alerts")
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("ui-approver", exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name="アラート", exact=False).first).to_be_visible()
        cookie = next(c for c in browser.cookies() if c["name"] == "aimee_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert cookie["value"] not in page.url

        page.reload()  # F5 on a deep link
        expect(page).to_have_url(f"{dashboard_url}/alerts")
        expect(sidebar.get_by_text("ui-approver", exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name="アラート", exact=False).first).to_be_visible()
        page.screenshot(path=screenshots / "signin_3_reloaded.png")
        other = new_page(browser)  # a second tab, straight to another page
        other.goto(f"{dashboard_url}/history")
        other_sidebar = other.get_by_test_id("stSidebar")
        expect(other_sidebar.get_by_text("ui-approver", exact=False)).to_be_visible()
        other.goto(dashboard_url)  # the board fits the 1440 px screen: no sideways scrolling
        board = other.get_by_test_id("stDataFrame").first.locator(".dvn-scroller")
        expect(board).to_be_visible()
        scroll_width, client_width = board.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert scroll_width <= client_width, (scroll_width, client_width)
        other.goto(f"{dashboard_url}/intraday")  # 札幌/523201/エントリ1, the most urgent queue
        expect(other.get_by_role("combobox", name="工程")).to_have_value(
            "札幌のエントリ1（業務523201・SS）"
        )
        charts = other.get_by_test_id("stVegaLiteChart")
        expect(charts).to_have_count(3)  # arrivals and processed: actual vs forecast; waiting
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
            expect(chart.locator("svg.marks")).to_be_visible()
        expect(other.get_by_text("赤い線はその区間の開始時点の予測", exact=False)).to_be_visible()
        for chart in charts.all():  # the now-line on every chart
            expect(chart.locator("svg")).to_contain_text("現在 15:40")
        other.screenshot(path=screenshots / "signin_3b_intraday.png", full_page=True)
        other.close()

        sidebar.get_by_role("link", name="ログアウト").click()
        expect(page.get_by_role("status")).to_have_text("ログアウトしました。")
        page.screenshot(path=screenshots / "signin_4_signed_out.png")
        assert not [c for c in browser.cookies() if c["name"] == "aimee_session"]
        page.goto(f"{dashboard_url}/alerts")
        expect(page).to_have_url(re.compile(r"/signin\?next=/alerts$"))
    # the session ended at the API too: its token no longer opens anything
    assert (
        httpx.get(
            f"{own_api.url}/api/v1/me", headers={"Authorization": f"Bearer {cookie['value']}"}
        ).status_code
        == 401
    )
