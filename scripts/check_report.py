#!/usr/bin/env python3
"""Opens every page of a `vouch report` site in headless Chromium and checks what a reader sees.

Checks, page by page: no SEVERE browser console message; every <svg> and <img> renders with a
non-empty bounding box (an <img> also has decoded pixels); every href/src resolves to a file of the
site (nothing points at the network); and every claim named with --claim NAME=VERDICT (or in the
--claims JSON file, a {"name": "verdict"} object or a [{"name":…, "verdict":…}] list) appears on a
stage page with that verdict, in words. Saves screenshots of the overview, of one stage page (the
first with a figure) and of one page of claims (the first with a mismatch) to --screenshots, prints a JSON summary on stdout, and exits 0 when all
holds, 1 when a check fails, 3 when Selenium or Chromium is missing.

Uses Debian's chromium and chromium-driver (apt-get install chromium chromium-driver) and Selenium
from PyPI; scripts/run-tests.sh installs both. CHROMIUM and CHROMEDRIVER override the paths.
"""
import argparse
import json
import os
import shutil
import sys
import urllib.parse
from pathlib import Path


def fail_setup(message):
    print(json.dumps({"ok": False, "setup": message}))
    sys.exit(3)


try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError as error:  # pragma: no cover - depends on the machine
    fail_setup(f"selenium is not installed: {error}")


def find(env, *names):
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def browser():
    chromium = find("CHROMIUM", "chromium", "chromium-browser")
    driver = find("CHROMEDRIVER", "chromedriver")
    if not chromium or not driver:
        fail_setup(f"chromium ({chromium}) or chromedriver ({driver}) not found")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def local_target(page, reference):
    """The file `reference` (an href or src on `page`) names, or None for an in-page anchor;
    raises ValueError for anything outside the site's files (a network URL)."""
    parsed = urllib.parse.urlparse(reference)
    if parsed.scheme in ("http", "https", "ftp", "data", "javascript") or reference.startswith("//"):
        raise ValueError(f"points outside the site: {reference}")
    if parsed.scheme == "file":
        return Path(urllib.parse.unquote(parsed.path))
    if not parsed.path:
        return None
    return (page.parent / urllib.parse.unquote(parsed.path)).resolve()


def expected_claims(arguments):
    claims = {}
    for item in arguments.claim or []:
        name, _, verdict = item.partition("=")
        claims[name] = verdict
    if arguments.claims:
        data = json.loads(Path(arguments.claims).read_text())
        if isinstance(data, dict):
            claims.update(data)
        else:
            claims.update({row["name"]: row["verdict"] for row in data})
    return claims


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="the report's folder (holding index.html)")
    parser.add_argument("--claim", action="append", metavar="NAME=VERDICT",
                        help="a claim that must appear with this verdict (repeatable)")
    parser.add_argument("--claims", metavar="JSON", help="a JSON file of claims and verdicts")
    parser.add_argument("--screenshots", metavar="DIR", help="where to save the screenshots")
    arguments = parser.parse_args()

    root = Path(arguments.report).resolve()
    pages = sorted(root.rglob("*.html"))
    failures = []
    if not (root / "index.html").is_file():
        failures.append(f"{root}/index.html does not exist")
    expected = expected_claims(arguments)
    found_claims = {}
    counts = {"pages": 0, "svg": 0, "img": 0, "links": 0}
    screenshots = []
    shots = Path(arguments.screenshots) if arguments.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    stage_shot = None  # the first stage page with a figure (else the first stage page)
    claims_shot = None  # the first stage page with a mismatched claim (else with claims)

    driver = browser()
    try:
        for page in pages:
            name = str(page.relative_to(root))
            driver.get(page.as_uri())
            counts["pages"] += 1
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    failures.append(f"{name}: console error: {entry.get('message')}")
            for kind in ("svg", "img"):
                for element in driver.find_elements(By.TAG_NAME, kind):
                    # Only outermost <svg>s: an <svg> nested in another is part of its drawing.
                    if kind == "svg" and driver.execute_script(
                            "return arguments[0].parentElement.closest('svg') !== null", element):
                        continue
                    counts[kind] += 1
                    box = driver.execute_script(
                        "const r = arguments[0].getBoundingClientRect();"
                        "return [r.width, r.height, arguments[0].naturalWidth || 0,"
                        " arguments[0].complete === undefined ? true : arguments[0].complete];",
                        element)
                    label = element.get_attribute("src") or element.get_attribute("class") or kind
                    if box[0] <= 0 or box[1] <= 0:
                        failures.append(f"{name}: <{kind}> {label} has an empty box {box[:2]}")
                    if kind == "img" and (not box[3] or box[2] <= 0):
                        failures.append(f"{name}: <img> {label} did not load")
            for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href"),
                                   ("script", "src")):
                for element in driver.find_elements(By.TAG_NAME, tag):
                    raw = driver.execute_script(
                        f"return arguments[0].getAttribute('{attribute}')", element)
                    if raw is None:
                        continue
                    counts["links"] += 1
                    try:
                        target = local_target(page, raw)
                    except ValueError as error:
                        failures.append(f"{name}: {tag} {error}")
                        continue
                    if target is not None and not target.is_file():
                        failures.append(f"{name}: {tag} {attribute}={raw} names no file")
                    elif target is not None and root not in target.parents:
                        failures.append(f"{name}: {tag} {attribute}={raw} is outside the report")
            for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-claim]"):
                claim = row.get_attribute("data-claim")
                verdict = row.get_attribute("data-verdict")
                shown = row.text
                found_claims.setdefault(claim, []).append(verdict)
                if verdict not in shown:
                    failures.append(f"{name}: claim {claim}: the verdict '{verdict}' is not in words")
            has_figure = bool(driver.find_elements(By.CSS_SELECTOR, "figure img"))
            has_mismatch = bool(driver.find_elements(
                By.CSS_SELECTOR, "tr[data-verdict='mismatch']"))
            if shots and name.startswith("stages/") and (claims_shot is None or (
                    has_mismatch and not claims_shot[1])) and driver.find_elements(
                    By.CSS_SELECTOR, "tr[data-claim]"):
                claims_shot = (page, has_mismatch)
            if shots and name == "index.html":
                screenshots.append(shoot(driver, shots / "overview.png"))
            elif shots and name.startswith("stages/") and (stage_shot is None or (
                    has_figure and not stage_shot[1])):
                stage_shot = (page, has_figure)
        if shots and stage_shot:
            driver.get(stage_shot[0].as_uri())
            screenshots.append(shoot(driver, shots / "stage.png"))
        if shots and claims_shot:
            driver.get(claims_shot[0].as_uri())
            screenshots.append(shoot(driver, shots / "claims.png"))
    finally:
        driver.quit()

    for claim, verdict in sorted(expected.items()):
        shown = found_claims.get(claim)
        if not shown:
            failures.append(f"claim {claim} appears on no page")
        elif verdict not in shown:
            failures.append(f"claim {claim} shows {shown}, expected {verdict}")
    summary = {"ok": not failures, "report": str(root), **counts,
               "claims": {name: verdicts for name, verdicts in sorted(found_claims.items())},
               "screenshots": screenshots, "failures": failures}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if not failures else 1


def shoot(driver, path):
    """A screenshot of the whole page (the window grown to the page's height, at most 4000 px)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    # The window's size includes the browser's own frame: add it, so the whole page fits.
    frame = driver.execute_script("return window.outerHeight - window.innerHeight") or 0
    driver.set_window_size(1280, max(600, min(int(height) + int(frame), 4000)))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
