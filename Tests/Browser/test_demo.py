#!/usr/bin/env python3
"""Real-browser test of the demo page (/demo/) and embed.js, with headless Chromium.

    python3 Tests/Browser/test_demo.py --binary .build/debug/moderato

Starts `moderato serve` on a free port in a temporary working directory, then:
  a. JavaScript off, a Japanese reader (browser language ja): a plain form post lands on
     ?moderato=pending#comments with the notice; an invalid email gives the Japanese 422 page with
     the typed text kept; after `moderato comments approve` the comment is on the page,
     server-rendered, its date in Japanese form.
  b. JavaScript on, an English browser: embed.js renders the approved comments (the same date
     text as the server); an empty name gives a Japanese inline error (embed.js sends the page's
     lang as Accept-Language) without a page load; a valid comment gives the pending notice in the
     live region; the "save my name" box prefills the form after a reload; a trusted author's
     comment appears at once.
  d. A page on another origin (a stand-in for a static blog, lang="en") includes {server}/embed.js:
     the comments are listed, a mistake gets an English inline error, and a comment is sent
     through CORS; the live region is created.
  c. The CSP header has no 'unsafe-inline' and the console shows no CSP violation or script error.
Screenshots go to Tests/Browser/screenshots/. One PASS/FAIL line per check; exit 1 on any failure.
Needs: chromium, chromium-driver (Debian) and selenium (pip). Tests/Browser/run.sh sets them up.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
SHOTS = HERE / "screenshots"
PENDING_JA = "コメントは承認待ちです。"
NAME_MISSING_JA = "名前を入力してください。"
EMAIL_INVALID_JA = "有効なメールアドレスを入力してください（例：name@example.org）。"
DATE_JA = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")
server_dates = {}
WAIT = 15

results = []
screenshots = []


def report(name, ok, detail=""):
    results.append((name, bool(ok)))
    line = f"{'PASS' if ok else 'FAIL'}: {name}"
    if detail:
        line += f" — {detail}"
    print(line, flush=True)
    return ok


def step(name):
    """Run a test step; an exception is a FAIL line, and the run goes on."""
    def wrap(fn):
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 — any failure is reported, not raised
                report(name, False, f"{type(error).__name__}: {error}".splitlines()[0])
                traceback.print_exc(limit=3)
                return None
        return run
    return wrap


# ---- The server ----------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, workdir, other_origin):
        self.binary = str(Path(binary).resolve())
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ,
                        MODERATO_LIMITS_FLOOD_SECONDS="0",
                        MODERATO_LIMITS_RATE_PER_MINUTE="0",
                        MODERATO_SERVER_PUBLIC_URL=self.url,
                        MODERATO_SITE_URL=self.url,
                        MODERATO_SITE_ORIGINS=f"{self.url},{other_origin}")
        self.log_path = Path(workdir) / "server.log"
        self.process = None

    def start(self):
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen([self.binary, "serve", "--port", str(self.port)],
                                        cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError("server did not answer /healthz within 60 s:\n" + self.log())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def cli(self, *args):
        done = subprocess.run([self.binary, *args], cwd=self.workdir, env=self.env,
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"moderato {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
        return done.stdout


# ---- The browser ---------------------------------------------------------------------------

def browser(javascript, languages):
    """Headless Chromium; `languages` is what it sends as Accept-Language ("ja,en;q=0.5")."""
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                 f"--lang={languages.split(',')[0]}", "--disable-gpu", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium:
        options.binary_location = chromium
    prefs = {"intl.accept_languages": languages}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver")
    service = Service(executable_path=driver_path) if driver_path else Service()
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def screenshot(driver, name):
    """A full-page PNG (beyond the viewport), saved under screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1},
        })
        path.write_bytes(base64.b64decode(shot["data"]))
    except WebDriverException:
        driver.save_screenshot(str(path))
    screenshots.append(path)
    print(f"      screenshot: {path}", flush=True)
    return path


def wait(driver, condition, message, timeout=WAIT):
    # embed.js replaces the list's items when it re-renders: a vanished element means "look again".
    return WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
        condition, message)


def find(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css)


def fill(driver, css, text):
    element = find(driver, css)
    element.clear()
    if text:
        element.send_keys(text)
    return element


def submit(driver):
    """Click the form's submit button, as a person would."""
    button = find(driver, "#commentform button[type=submit]")
    ActionChains(driver).scroll_to_element(button).perform()
    button.click()


def comment_texts(driver):
    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#moderato-comments li.moderato-comment")]


console = []


def drain_console(driver, label):
    try:
        entries = driver.get_log("browser")
    except WebDriverException:
        return
    for entry in entries:
        entry["where"] = label
        console.append(entry)


# ---- a. JavaScript off ---------------------------------------------------------------------

FIRST = {"comment": "停戦交渉の経緯がよくまとまっていて参考になりました。\n続報も期待しています。",
         "author": "山田太郎", "email": "taro@example.org", "url": "https://taro.example.org/"}


@step("a1 JS off: plain form post → pending notice")
def nojs_pending(driver, server):
    driver.get(server.url + "/demo/")
    form = find(driver, "form#commentform")
    if form.get_attribute("data-moderato-ready") is not None:
        raise AssertionError("embed.js ran although JavaScript is disabled")
    fill(driver, "#comment", FIRST["comment"])
    fill(driver, "#author", FIRST["author"])
    fill(driver, "#email", FIRST["email"])
    fill(driver, "#url", FIRST["url"])
    submit(driver)
    wait(driver, lambda d: "moderato=pending" in d.current_url, "no redirect to ?moderato=pending")
    url = urllib.parse.urlsplit(driver.current_url)
    notice = find(driver, ".moderato-notice").text
    screenshot(driver, "01-nojs-pending")
    ok = (url.path == "/demo/" and url.query == "moderato=pending" and url.fragment == "comments"
          and PENDING_JA in notice)
    report("a1 JS off: plain form post → pending notice", ok,
           f"landed on {url.path}?{url.query}#{url.fragment}; notice {notice!r}")


@step("a2 JS off: invalid email → the Japanese 422 page keeps the text")
def nojs_invalid(driver, server):
    driver.get(server.url + "/demo/")
    typed = "メールを間違えたコメント。消えないでほしい。"
    fill(driver, "#comment", typed)
    fill(driver, "#author", "佐藤花子")
    fill(driver, "#email", "not-an-email")
    submit(driver)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.moderato-errors li"), "no error list")
    errors = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.moderato-errors li")]
    kept = find(driver, "#comment").get_attribute("value")
    email_field = find(driver, "#email")
    inline = find(driver, "#email-error").text
    lang = driver.execute_script("return document.documentElement.lang;")
    heading = find(driver, "h1").text
    button = find(driver, "button[type=submit]").text
    screenshot(driver, "02-nojs-422-ja")
    ok = (errors == [EMAIL_INVALID_JA] and inline == EMAIL_INVALID_JA and kept == typed
          and email_field.get_attribute("aria-invalid") == "true" and lang == "ja"
          and driver.title == "コメントを投稿できませんでした" and heading == driver.title and button == "コメントを送信")
    report("a2 JS off: invalid email → the Japanese 422 page keeps the text", ok,
           f"lang {lang!r}, heading {heading!r}, errors {errors}; comment kept: {kept == typed}")


@step("a3 JS off: approved with the CLI → server-rendered on /demo/")
def nojs_approved(driver, server):
    ids = [int(x) for x in server.cli("comments", "list", "--status", "pending", "--format", "ids").split()]
    if not ids:
        raise AssertionError("no pending comment to approve")
    first = min(ids)
    server.cli("comments", "approve", str(first))
    needle = FIRST["comment"].split("\n")[0]
    deadline = time.time() + WAIT
    while True:  # the server picks up the CLI's change within a second
        driver.get(server.url + "/demo/")
        texts = comment_texts(driver)
        if any(needle in t for t in texts) or time.time() > deadline:
            break
        time.sleep(0.5)
    item = driver.find_elements(By.CSS_SELECTOR, f"#comment-{first}")
    link = driver.find_elements(By.CSS_SELECTOR, f"#comment-{first} a.moderato-author")
    time_el = driver.find_elements(By.CSS_SELECTOR, f"#comment-{first} time")
    date = time_el[0].text if time_el else ""
    server_dates[first] = date
    screenshot(driver, "03-nojs-approved")
    ok = (bool(item) and needle in item[0].text and bool(link) and link[0].get_attribute("rel") == "nofollow ugc noopener"
          and DATE_JA.match(date))
    report("a3 JS off: approved with the CLI → server-rendered on /demo/", ok,
           f"approved #{first}; {len(texts)} comment(s) on the page; dated {date!r}")
    return first


# ---- b. JavaScript on ----------------------------------------------------------------------

def mark_window(driver):
    driver.execute_script("window.__moderatoMarker = 'still-here';")


def same_document(driver):
    return driver.execute_script(
        "return window.__moderatoMarker === 'still-here' && "
        "performance.getEntriesByType('navigation').length === 1;")


def wait_ready(driver):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "form#commentform[data-moderato-ready]"),
         "embed.js did not take over the form")


@step("b1 JS on: embed.js renders the approved comment")
def js_listing(driver, server, first_id):
    driver.get(server.url + "/demo/")
    wait(driver, lambda d: d.find_elements(
        By.CSS_SELECTOR, '#moderato-comments[data-moderato-state="loaded"] li.moderato-comment'),
        "embed.js rendered no comment")
    item = find(driver, f"#moderato-comments > li#comment-{first_id}")
    avatar = item.find_element(By.CSS_SELECTOR, "header .moderato-avatar")
    time_el = item.find_element(By.CSS_SELECTOR, "header time")
    count = find(driver, "#moderato-count").text
    screenshot(driver, "04-js-listing")
    ok = (FIRST["comment"].split("\n")[0] in item.text and avatar.get_attribute("aria-hidden") == "true"
          and any(f"moderato-avatar-{n}" in avatar.get_attribute("class") for n in range(8))
          and time_el.get_attribute("datetime") and count == "1"
          and time_el.text == server_dates.get(first_id))
    report("b1 JS on: embed.js renders the approved comment", ok,
           f"time {time_el.text!r} (server: {server_dates.get(first_id)!r}), count {count!r}, avatar {avatar.text!r}")


@step("b2 JS on: empty name → Japanese inline error, no page load")
def js_inline_error(driver, server):
    driver.get(server.url + "/demo/")
    wait_ready(driver)
    mark_window(driver)
    fill(driver, "#comment", "名前を書き忘れたコメント")
    fill(driver, "#author", "")
    fill(driver, "#email", "hanako@example.org")
    submit(driver)
    error = wait(driver, lambda d: (d.find_elements(By.CSS_SELECTOR, "#author-error")
                                    or d.find_elements(By.CSS_SELECTOR, "#commentform .moderato-error")),
                 "no inline error appeared")[0]
    author = find(driver, "#author")
    active = driver.switch_to.active_element
    notice = find(driver, "#moderato-notice").text
    screenshot(driver, "05-js-inline-error-ja")
    ok = (same_document(driver) and error.is_displayed() and error.text == NAME_MISSING_JA
          and notice.startswith("入力内容を確認してください") and NAME_MISSING_JA in notice
          and author.get_attribute("aria-invalid") == "true"
          and "author-error" in (author.get_attribute("aria-describedby") or "")
          and active.get_attribute("id") == "author" and notice != ""
          and find(driver, "#comment").get_attribute("value") == "名前を書き忘れたコメント")
    report("b2 JS on: empty name → Japanese inline error, no page load", ok,
           f"error {error.text!r}; focus on #{active.get_attribute('id')}; live region {notice!r}")


@step("b3 JS on: valid comment → pending notice in the live region, no page load")
def js_pending(driver, server):
    fill(driver, "#author", "佐藤花子")
    consent = find(driver, "#wp-comment-cookies-consent")
    if not consent.is_selected():
        consent.click()
    submit(driver)
    wait(driver, lambda d: PENDING_JA in find(d, "#moderato-notice").text, "no pending notice")
    stored = driver.execute_script("return localStorage.getItem('moderato:commenter');")
    screenshot(driver, "06-js-pending")
    ok = (same_document(driver) and not driver.find_elements(By.CSS_SELECTOR, "#author-error")
          and find(driver, "#author").get_attribute("aria-invalid") is None
          and find(driver, "#comment").get_attribute("value") == ""
          and stored and json.loads(stored).get("author") == "佐藤花子")
    report("b3 JS on: valid comment → pending notice in the live region, no page load", ok,
           f"live region {find(driver, '#moderato-notice').text!r}; stored {stored}")


@step("b4 JS on: 'save my name' → prefilled after a reload")
def js_remembered(driver, server):
    driver.get(server.url + "/demo/")
    wait_ready(driver)
    author = find(driver, "#author").get_attribute("value")
    email = find(driver, "#email").get_attribute("value")
    ticked = find(driver, "#wp-comment-cookies-consent").is_selected()
    screenshot(driver, "07-js-remembered")
    report("b4 JS on: 'save my name' → prefilled after a reload",
           author == "佐藤花子" and email == "hanako@example.org" and ticked,
           f"author {author!r}, email {email!r}, box ticked {ticked}")


@step("b5 JS on: trusted author → published comment appears at once, no page load")
def js_approved(driver, server):
    wait_ready(driver)
    mark_window(driver)
    text = "承認済みの投稿者なので、すぐに表示されるはずです。"
    fill(driver, "#comment", text)
    fill(driver, "#author", FIRST["author"])
    fill(driver, "#email", FIRST["email"])  # has an approved comment → first-time policy publishes
    fill(driver, "#url", "")
    consent = find(driver, "#wp-comment-cookies-consent")
    if consent.is_selected():
        consent.click()  # unticked at submit time → forgotten
    submit(driver)
    wait(driver, lambda d: any(text in t for t in comment_texts(d)), "the published comment did not appear")
    stored = driver.execute_script("return localStorage.getItem('moderato:commenter');")
    count = find(driver, "#moderato-count").text
    screenshot(driver, "08-js-published")
    ok = same_document(driver) and stored is None and count == "2"
    report("b5 JS on: trusted author → published comment appears at once, no page load", ok,
           f"count {count!r}; storage after unticking {stored!r}")


@step("b6 phone-sized layout")
def phone(driver, server):
    driver.set_window_size(390, 844)
    driver.get(server.url + "/demo/")
    driver.refresh()  # a fresh page, without the notices of the previous steps
    wait_ready(driver)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth;")
    hp = find(driver, ".moderato-hp")
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.right, r.width];", hp)
    screenshot(driver, "09-js-phone")
    report("b6 phone-sized layout: no horizontal scroll, honeypot off-screen",
           not overflow and (rect[0] <= 0 or rect[1] <= 1), f"overflow {overflow}, honeypot rect {rect}")


# ---- d. Another site embeds Moderato (cross-origin) ----------------------------------------

SITE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {api}; style-src {api};
 connect-src {api}; form-action {api}; base-uri 'none'">
<title>A blog post elsewhere</title>
<link rel="stylesheet" href="{api}/moderato.css">
</head>
<body><main>
<article class="moderato-article"><h1>A post on another site</h1><p>Some text.</p></article>
<section class="moderato-comments-section">
<h2>Comments (<span id="moderato-count">?</span>)</h2>
<ol id="moderato-comments" class="moderato-comments"></ol>
<h2>Leave a comment</h2>
<form id="commentform" class="moderato-form" method="post" action="{api}/comments"
      data-pending-message="Thanks! Your comment will appear once a moderator has read it.">
<div class="moderato-field"><label for="comment">Comment</label><textarea id="comment" name="comment" required></textarea></div>
<div class="moderato-field"><label for="author">Name</label><input id="author" name="author" required></div>
<div class="moderato-field"><label for="email">Email</label><input id="email" name="email" type="email" required></div>
<div class="moderato-field"><label for="url">Website</label><input id="url" name="url" type="url"></div>
<input type="hidden" name="comment_post_ID" value="/demo/">
<p><button type="submit">Post Comment</button></p>
</form>
</section></main>
<script src="{api}/embed.js" data-moderato-post="/demo/" defer></script>
</body></html>
"""


class SitePage:
    """A static page on another origin that includes {server}/embed.js."""

    def __init__(self, port, api):
        import http.server
        import threading
        page = SITE_PAGE.replace("{api}", api).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200 if self.path.split("?")[0] in ("/", "/post/") else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.url = f"http://127.0.0.1:{port}"
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@step("d1 another origin: embed.js lists the comments and posts through CORS")
def cross_origin(driver, server, site, first_id):
    # A reply from the trusted author (published at once), to see embed.js nest it.
    reply = json.dumps({"body": "Replying to myself: the thread nests.", "author": FIRST["author"],
                        "email": FIRST["email"], "post": "/demo/", "parent": first_id}).encode()
    request = urllib.request.Request(server.url + "/comments", data=reply, method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        answer = json.load(r)
    if answer.get("status") != "approved":
        raise AssertionError(f"the reply was not published: {answer}")
    driver.set_window_size(1280, 1600)
    driver.get(site.url + "/post/")
    wait(driver, lambda d: d.find_elements(
        By.CSS_SELECTOR, '#moderato-comments[data-moderato-state="loaded"] li.moderato-comment'),
        "embed.js rendered no comment on the other site")
    listed = len(comment_texts(driver))
    count = find(driver, "#moderato-count").text
    nested = driver.find_elements(
        By.CSS_SELECTOR, f"#moderato-comments > li#comment-{first_id} > ol.moderato-children > li#comment-{answer['id']}")
    mark_window(driver)
    fill(driver, "#comment", "Written on another site, sent with fetch and CORS.")
    fill(driver, "#author", "")
    fill(driver, "#email", "guest@example.net")
    submit(driver)
    # The page is in English (<html lang="en">): so is the server's message, whatever the browser says.
    english = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#author-error"), "no inline error on the other site")
    english_error = english[0].text
    fill(driver, "#author", "Guest")
    submit(driver)
    message = "Thanks! Your comment will appear once a moderator has read it."
    wait(driver, lambda d: message in find(d, "#moderato-notice").text, "no pending notice on the other site")
    notice = find(driver, "#moderato-notice")
    screenshot(driver, "10-other-origin")
    ok = (listed == 3 and count == "3" and nested and same_document(driver) and notice.get_attribute("role") == "status"
          and notice.get_attribute("aria-live") == "polite" and english_error == "Please enter your name.")
    report("d1 another origin: embed.js lists the comments and posts through CORS", ok,
           f"{listed} listed, count {count!r}, reply nested: {bool(nested)}, error {english_error!r}, "
           f"notice created with role={notice.get_attribute('role')!r}")


# ---- c. Content-Security-Policy ------------------------------------------------------------

@step("c1 CSP header on /demo/ without 'unsafe-inline'")
def csp_header(server):
    with urllib.request.urlopen(server.url + "/demo/", timeout=10) as r:
        csp = r.headers.get("Content-Security-Policy", "")
    with urllib.request.urlopen(server.url + "/embed.js", timeout=10) as r:
        size = len(r.read())
    ok = (csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
          and "script-src 'self'" in csp and "style-src 'self'" in csp)
    report("c1 CSP header on /demo/ without 'unsafe-inline'", ok, csp or "no CSP header")
    report("c1 embed.js is at most 10 KB", size <= 10 * 1024, f"{size} bytes")


def console_check():
    violations = [e for e in console if e.get("source") == "security"
                  or "Content Security Policy" in e.get("message", "") or "Refused to" in e.get("message", "")]
    script_errors = [e for e in console if e.get("level") == "SEVERE" and "Uncaught" in e.get("message", "")]
    for entry in console:
        print(f"      console [{entry['where']}] {entry.get('level')}: {entry.get('message')}")
    report("c2 no CSP violation in the console", not violations,
           "; ".join(e["message"] for e in violations)[:500])
    report("c2 no uncaught script error in the console", not script_errors,
           "; ".join(e["message"] for e in script_errors)[:500])


# ---- main ----------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("MODERATO_BINARY", ".build/debug/moderato"),
                        help="the moderato executable (default .build/debug/moderato)")
    parser.add_argument("--keep", action="store_true", help="keep the server's working directory")
    args = parser.parse_args()
    if not Path(args.binary).exists():
        print(f"FAIL: no moderato binary at {args.binary} (swift build --product moderato)")
        return 1

    workdir = tempfile.mkdtemp(prefix="moderato-browser-")
    site_port = free_port()
    server = Server(args.binary, workdir, other_origin=f"http://127.0.0.1:{site_port}")
    site = None
    drivers = []
    try:
        server.start()
        site = SitePage(site_port, server.url)
        print(f"moderato serving {server.url} from {workdir}", flush=True)

        nojs = browser(javascript=False, languages="ja,en;q=0.5")  # a Japanese reader
        drivers.append(nojs)
        nojs_pending(nojs, server)
        nojs_invalid(nojs, server)
        first_id = nojs_approved(nojs, server)
        drain_console(nojs, "js-off")

        js = browser(javascript=True, languages="en-US,en")  # embed.js speaks the page's language
        drivers.append(js)
        if first_id is not None:
            js_listing(js, server, first_id)
        else:
            report("b1 JS on: embed.js renders the approved comment", False, "no approved comment (a3 failed)")
        drain_console(js, "js-on listing")
        js_inline_error(js, server)
        drain_console(js, "js-on inline error")
        js_pending(js, server)
        drain_console(js, "js-on pending")
        js_remembered(js, server)
        drain_console(js, "js-on remembered")
        js_approved(js, server)
        drain_console(js, "js-on published")
        phone(js, server)
        drain_console(js, "js-on phone")
        if first_id is not None:
            cross_origin(js, server, site, first_id)
        drain_console(js, "other origin")

        csp_header(server)
        console_check()
    except Exception as error:  # noqa: BLE001
        report("setup", False, f"{type(error).__name__}: {error}")
        traceback.print_exc()
    finally:
        for driver in drivers:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001
                pass
        server.stop()
        if site:
            site.stop()
        failed = [name for name, ok in results if not ok]
        if failed:
            print("---- server log (tail) ----\n" + server.log())
        if args.keep or failed:
            print(f"server working directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print("\nScreenshots:")
    for path in screenshots:
        print(f"  {path}")
    passed = sum(ok for _, ok in results)
    print(f"\n{'PASS' if not failed and results else 'FAIL'}: {passed}/{len(results)} checks passed")
    return 0 if results and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
