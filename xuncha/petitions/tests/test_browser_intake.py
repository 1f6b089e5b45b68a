"""Browser journey at phone size: an anonymous report reaches the team, and its reporter reads the reply."""

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.utils import timezone

from xuncha.conftest import PASSWORD, bind_totp
from xuncha.fieldwork.models import Announcement

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def reference_data(transactional_db: Any) -> None:
    """Live-server tests flush the database between tests; put the seeded code tables back."""
    from django.apps import apps

    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


def test_an_anonymous_report_reaches_the_team_and_the_reporter_reads_the_reply(
    browser: Any, live_server: Any, team_world: dict
) -> None:
    today = timezone.localdate()
    Announcement.objects.filter(pk=team_world["announcement"].pk).update(
        period_start=today - timedelta(days=3), cutoff=today + timedelta(days=20)
    )
    token = team_world["announcement"].token
    secret = bind_totp(team_world["leader"])
    external: list[str] = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    reporter = phone.new_page()
    reporter.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    reporter.goto(f"{live_server.url}/p/{token}/")
    assert reporter.get_by_text("0731—82186945").first.is_visible()
    reporter.get_by_label("被反映人姓名").fill("孙某某")
    reporter.get_by_label("反映的问题").fill("孙某某在工程招标中指定其亲属公司中标，金额较大。")
    reporter.get_by_role("button", name="提交").click()
    code = reporter.locator("#receipt-code").inner_text().strip()
    assert len(code) == 24

    desk = browser.new_context(locale="zh-CN")
    staff = desk.new_page()
    staff.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    staff.goto(f"{live_server.url}/petitions/")
    staff.get_by_label("用户名").fill("leader")
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url("**/accounts/login/verify/")  # a team leader may reveal reporters: TOTP
    staff.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="验证").click()
    staff.wait_for_url(f"{live_server.url}/petitions/")
    assert staff.get_by_text("孙某某").first.is_visible()
    staff.locator("table a").first.click()
    assert staff.get_by_text("匿名反映。").is_visible()
    staff.get_by_label("答复反映人").fill("您反映的问题已收悉，巡察组将认真研究。")
    staff.get_by_role("button", name="发送答复").click()
    assert staff.get_by_text("已答复，反映人可凭查询码查看。").is_visible()

    reporter.goto(f"{live_server.url}/p/status/")
    reporter.get_by_label("查询码").fill(code)
    reporter.get_by_role("button", name="查询").click()
    assert reporter.get_by_text("您反映的问题已收悉，巡察组将认真研究。").is_visible()
    assert reporter.get_by_text("已收到，正在处理").is_visible()
    assert external == []
    phone.close()
    desk.close()


# --- Layout at phone size -------------------------------------------------------------------------

PHONES = {"android-360x740": (360, 740), "iphone-se-375x667": (375, 667)}
MIN_TOUCH_PX = 44  # text inputs and buttons: a fingertip (Apple's and the W3C's 44 px)
MIN_FONT_PX = 14

# Runs in the page: the horizontal overflow, the controls and the base font size.
# `vw` is the device's width: when a page is too wide, mobile Chromium zooms out and widens
# window.innerWidth to fit it, so scrollWidth <= innerWidth alone would pass.
LAYOUT_AUDIT = """(vw) => {
  const describe = (el) => {
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const id = el.id ? "#" + el.id : "";
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ").slice(0, 30);
    const owner = !cls && !id && el.parentElement ? el.parentElement.closest("[class]") : null;
    const within = owner && owner !== document.body ? ` in .${owner.className.trim().split(/\\s+/).join(".")}` : "";
    return `<${el.tagName.toLowerCase()}${id}${cls}${el.type ? " type=" + el.type : ""}>${within} "${text}"`;
  };
  // An element inside a box that scrolls or clips sideways (.table-wrap) cannot widen the page.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!visible(el) || clipped(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.left < -0.5) overflowing.push(`${describe(el)} spans ${r.left.toFixed(1)}–${r.right.toFixed(1)} px`);
  }
  // Text that overflows its box (an unbroken URL) sticks out past the element's own bounding box.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || ["SCRIPT", "STYLE", "TEXTAREA"].includes(el.tagName) || !visible(el) || clipped(node)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.right > vw + 0.5) overflowing.push(`text of ${describe(el)} spans ${r.left.toFixed(1)}–${r.right.toFixed(1)} px`);
  }
  const controls = [];
  const selector = "input:not([type]), input[type=text], input[type=password], input[type=tel], input[type=email], " +
    "input[type=number], input[type=search], input[type=url], input[type=file], input[type=submit], textarea, select, button, .button";
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    controls.push([describe(el), Math.round(el.getBoundingClientRect().height * 10) / 10]);
  }
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    overflowing,
    controls,
    baseFont: parseFloat(getComputedStyle(document.body).fontSize),
    styled: getComputedStyle(document.querySelector(".topbar")).backgroundColor !== "rgba(0, 0, 0, 0)",
  };
}"""


def _audit(page: Any, where: str, width: int) -> dict:
    audit = page.evaluate(LAYOUT_AUDIT, width)
    assert audit["styled"], f"{where}: app.css did not apply, the layout checks would mean nothing"
    return audit


def _too_wide(audit: dict, width: int) -> str | None:
    """Why the page scrolls sideways on a screen `width` px wide, or None."""
    if audit["scrollWidth"] <= audit["innerWidth"] == width and not audit["overflowing"]:
        return None
    return (
        f"scrollWidth {audit['scrollWidth']} px, innerWidth {audit['innerWidth']} px on a {width} px screen; "
        f"beyond the right edge: {audit['overflowing']}"
    )


def _controls_and_font(audit: dict) -> list[str]:
    small = [f"{what} is {height} px tall" for what, height in audit["controls"] if height < MIN_TOUCH_PX]
    problems = [f"touch targets under {MIN_TOUCH_PX} px: {small}"] if small else []
    if audit["baseFont"] < MIN_FONT_PX:
        problems.append(f"base font {audit['baseFont']} px")
    return problems


@pytest.fixture
def reporting_open(team_world: dict) -> dict:
    today = timezone.localdate()
    Announcement.objects.filter(pk=team_world["announcement"].pk).update(
        period_start=today - timedelta(days=3), cutoff=today + timedelta(days=20)
    )
    team_world["announcement"].refresh_from_db()
    return team_world


# Reporters paste cloud-drive links for their evidence: one unbroken 60-character word.
EVIDENCE_LINK = "https://pan.baidu.com/s/1Zx9QmT3vLk8RwYpB2nHc7JdE4sGa6uFo0iK5tNe"


def _visit_public_pages(browser: Any, live_server: Any, world: dict, size: tuple[int, int]) -> tuple[dict, list]:
    """Walk the reporter's pages on a phone: the audit of each page, and every URL the pages requested."""
    from xuncha.petitions.intake.services import petition_by_receipt, team_reply

    width, height = size
    token = world["announcement"].token
    audits: dict[str, dict] = {}
    requests: list[str] = []
    phone = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.on("request", lambda r: requests.append(r.url))

    def audit(where: str) -> None:
        audits[where] = _audit(page, where, width)

    page.goto(f"{live_server.url}/p/{token}/")
    audit("report page")
    page.get_by_label("被反映人姓名").fill("孙某某")
    page.get_by_label("反映的问题").fill("孙某某在工程招标中指定其亲属公司中标，金额较大。")
    page.get_by_role("button", name="提交").click()
    code = page.locator("#receipt-code").inner_text().strip()
    audit("receipt page")

    team_reply(
        actor=world["leader"],
        petition=petition_by_receipt(code),
        text="您反映的问题已收悉，巡察组将认真研究，并按规定办理。如有新的情况，可凭查询码继续补充。",
    )
    page.goto(f"{live_server.url}/p/status/")
    audit("status page (code form)")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("您反映的问题已收悉").is_visible()
    audit("status page with the reply")
    page.get_by_label("补充情况").fill(f"相关照片已上传网盘：{EVIDENCE_LINK}")
    page.get_by_role("button", name="提交补充").click()
    assert page.get_by_text("已收到您的补充材料。").is_visible()
    audit("status page with the reply and a pasted link")

    page.goto(f"{live_server.url}/p/{token}/survey/")
    assert page.locator("input[type=radio]").count() > 0  # the survey is open, not its closed notice
    audit("survey page")
    phone.close()
    return audits, requests


@pytest.mark.parametrize("size", PHONES.values(), ids=PHONES.keys())
def test_the_public_pages_do_not_scroll_sideways_on_a_small_phone(
    browser: Any, live_server: Any, reporting_open: dict, size: tuple[int, int]
) -> None:
    """Report page, receipt, status with a reply, survey: nothing wider than the screen, and nothing
    fetched from anywhere but the site itself."""
    audits, requests = _visit_public_pages(browser, live_server, reporting_open, size)
    wide = {where: why for where, a in audits.items() if (why := _too_wide(a, size[0]))}
    assert not wide, f"pages that scroll sideways at {size[0]}×{size[1]}: {wide}"
    foreign = [url for url in requests if not url.startswith(f"{live_server.url}/")]
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.mark.parametrize("size", PHONES.values(), ids=PHONES.keys())
def test_the_public_pages_have_fingertip_controls_and_readable_text_on_a_small_phone(
    browser: Any, live_server: Any, reporting_open: dict, size: tuple[int, int]
) -> None:
    """Text inputs and buttons at least 44 px tall; the base font at least 14 px."""
    audits, _ = _visit_public_pages(browser, live_server, reporting_open, size)
    problems = {where: p for where, a in audits.items() if (p := _controls_and_font(a))}
    assert not problems, f"at {size[0]}×{size[1]}: {problems}"


def test_the_staff_petition_pages_do_not_scroll_sideways_on_a_laptop(
    browser: Any, live_server: Any, reporting_open: dict
) -> None:
    """At 1280 px the page body never scrolls sideways; a wide table scrolls inside .table-wrap."""
    from xuncha.petitions.intake.services import petition_submit

    for n in range(3):
        petition_submit(
            announcement=reporting_open["announcement"],
            content={
                "subject_name": "孙某某",
                "subject_unit": "长沙市水业集团有限公司工程管理部",
                "subject_position": "副部长",
                "what": "孙某某在工程招标中指定其亲属公司中标，金额较大。" * (4 + n),
            },
            identity=None,
            attachments=[],
        )
    secret = bind_totp(reporting_open["leader"])
    requests: list[str] = []
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    staff = laptop.new_page()
    staff.on("request", lambda r: requests.append(r.url))
    staff.goto(f"{live_server.url}/petitions/")
    staff.get_by_label("用户名").fill("leader")
    staff.get_by_label("密码").fill(PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url("**/accounts/login/verify/")  # a team leader may reveal reporters: TOTP
    staff.get_by_label("动态口令").fill(pyotp.TOTP(secret).now())
    staff.get_by_role("button", name="验证").click()
    staff.wait_for_url(f"{live_server.url}/petitions/")
    assert staff.locator("table tbody tr").count() == 3
    assert not (why := _too_wide(_audit(staff, "petition list", 1280), 1280)), f"petition list: {why}"
    staff.locator("table a").first.click()
    staff.wait_for_url(f"{live_server.url}/petitions/*/")
    assert staff.get_by_text("匿名反映。").is_visible()
    assert not (why := _too_wide(_audit(staff, "petition detail", 1280), 1280)), f"petition detail: {why}"
    foreign = [url for url in requests if not url.startswith(f"{live_server.url}/")]
    assert foreign == [], f"requests to other hosts: {foreign}"
    laptop.close()


def _movie_file(path: Any, size: int) -> Any:
    """An MP4 of `size` bytes on disk (ftyp, moov, then media data; sparse, so it costs no disk)."""

    def box(kind: bytes, body: bytes) -> bytes:
        return (8 + len(body)).to_bytes(4) + kind + body

    head = box(b"ftyp", b"isom" + bytes(4) + b"isomiso2avc1mp41") + box(b"moov", box(b"mvhd", bytes(100)))
    mdat = size - len(head)
    with open(path, "wb") as f:
        f.write(head + (mdat if mdat < 2**32 else 1).to_bytes(4) + b"mdat")
        f.truncate(size)
    return path


def test_a_300_mb_video_is_refused_with_the_text_kept_and_a_small_one_gets_a_receipt(
    browser: Any, live_server: Any, team_world: dict, tmp_path: Any
) -> None:
    from xuncha.petitions.models import Petition

    today = timezone.localdate()
    Announcement.objects.filter(pk=team_world["announcement"].pk).update(
        period_start=today - timedelta(days=3), cutoff=today + timedelta(days=20)
    )
    what = "某所长利用职务便利，将所里的工程交给其亲属承包，并多次收受好处费。"
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{team_world['announcement'].token}/")
    page.get_by_label("反映的问题").fill(what)
    page.locator("#attachments").set_input_files(str(_movie_file(tmp_path / "现场录像.mp4", 300 * 1024 * 1024)))
    page.get_by_role("button", name="提交").click()
    assert page.get_by_text("视频不超过 100 MB").is_visible()
    assert page.get_by_label("反映的问题").input_value() == what
    assert page.locator("#receipt-code").count() == 0 and Petition.objects.count() == 0

    page.locator("#attachments").set_input_files(str(_movie_file(tmp_path / "短视频.mp4", 64 * 1024)))
    page.get_by_role("button", name="提交").click()
    assert len(page.locator("#receipt-code").inner_text().strip()) == 24
    assert Petition.objects.get().attachments.count() == 1
    phone.close()


@pytest.mark.parametrize("size", PHONES.values(), ids=PHONES.keys())
def test_the_named_fields_follow_the_choice_and_the_receipt_code_stays_on_one_line(
    browser: Any, live_server: Any, reporting_open: dict, size: tuple[int, int]
) -> None:
    phone = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/p/{reporting_open['announcement'].token}/")
    assert page.get_by_label("匿名反映").is_checked() and not page.locator("#identity").is_visible()
    page.get_by_label("实名反映").check()
    assert page.locator("#identity").is_visible() and page.get_by_label("您的姓名").is_visible()
    page.get_by_label("匿名反映").check()
    assert not page.locator("#identity").is_visible()
    page.get_by_label("反映的问题").fill("某所长利用职务便利为其亲属承揽工程，并收受好处费。")
    page.get_by_role("button", name="提交").click()
    lines = page.evaluate(
        """() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('#receipt-code'));
                   return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""
    )
    assert lines == 1, f"the receipt code wraps onto {lines} lines at {size[0]} px"
    phone.close()
