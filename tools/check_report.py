#!/usr/bin/env python3
"""Checks a crsim HTML report (--report FILE.html) in a real browser, offline.

Usage: tools/check_report.py REPORT.html [--min-charts N] [--screenshot OUT.png | --no-screenshot]
                              [--height PIXELS] [--chromium PATH]

Debian's headless Chromium loads the page from disk with every network request sent to a proxy
that does not exist, then the check requires:
  - the DOM after load: <body data-charts-drawn="N"> with N equal to the page's number of charts
    (one <canvas> each), N >= --min-charts, every canvas marked as painted by the page's own
    pixel check, and no "chart not drawn" message;
  - no console message at all (a script error prints one);
  - Chromium's network log: no request made by the page (only the browser's own background
    requests, which have no initiator, are allowed, and those fail at the dead proxy);
  - a screenshot that is not blank: enough non-white pixels, and pixels of the charts' first
    line colour (#1f77b4), which only a drawn chart has (--no-screenshot skips this second
    Chromium run; the page's own check that each canvas holds painted pixels still applies).
Exit status 0 when all hold, 1 with the reasons otherwise, 77 when Chromium is not installed.
Standard library only (the PNG is decoded with zlib), so it needs no Python package.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHART_BLUE = (0x1F, 0x77, 0xB4)


def chromium_args(chromium, profile):
    return [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9", "--hide-scrollbars",
            "--virtual-time-budget=20000"]


def run(args, timeout=120):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def page_requests(net_log_path):
    """URLs the page itself asked for: requests with an initiator (the browser's own have none)."""
    with open(net_log_path, encoding="utf-8") as f:
        text = f.read()
    # Chromium may stop before closing the log's JSON; the events list is still readable.
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if names.get(event.get("type")) == "URL_REQUEST_START_JOB" and "url" in params:
            if params.get("initiator", "not an origin") != "not an origin" and not params["url"].startswith("file:"):
                urls.append(params["url"])
    return urls


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG, decoded with zlib."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(path + " is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError("unexpected PNG format (depth %d, colour type %d)" % (depth, colour))
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def screenshot_figures(path):
    """(share of non-white pixels, pixels of the first line colour) of a screenshot."""
    width, height, channels, rows = png_pixels(path)
    non_white = blue = 0
    for line in rows:
        for x in range(0, width * channels, channels):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r < 245 or g < 245 or b < 245:
                non_white += 1
            if abs(r - CHART_BLUE[0]) < 24 and abs(g - CHART_BLUE[1]) < 24 and abs(b - CHART_BLUE[2]) < 24:
                blue += 1
    return non_white / float(width * height), blue


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report")
    parser.add_argument("--min-charts", type=int, default=1)
    parser.add_argument("--screenshot", help="keep the screenshot here (PNG)")
    parser.add_argument("--no-screenshot", action="store_true", help="check the DOM, console and network only")
    parser.add_argument("--height", type=int, default=2400, help="height of the screenshot in pixels")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    options = parser.parse_args()

    if not os.access(options.chromium, os.X_OK):
        print("check_report: skipped: Chromium is not installed (Debian package chromium)")
        return 77
    report = os.path.abspath(options.report)
    if not os.path.isfile(report):
        print("check_report: no such file: " + report)
        return 1
    url = "file://" + report
    failures = []
    with tempfile.TemporaryDirectory(prefix="crsim-check-report-") as work:
        net_log = os.path.join(work, "net.json")
        dom_run = run(chromium_args(options.chromium, os.path.join(work, "profile-dom")) +
                      ["--enable-logging=stderr", "--v=0", "--log-net-log=" + net_log, "--dump-dom", url])
        if dom_run.returncode != 0:
            failures.append("chromium --dump-dom failed (status %d): %s" % (dom_run.returncode, dom_run.stderr[-2000:]))
        dom = dom_run.stdout
        charts = len(re.findall(r"<canvas\b", dom))
        painted = len(re.findall(r"<canvas\b[^>]*\bdata-painted=\"true\"", dom))
        drawn = re.search(r"<body\b[^>]*\bdata-charts-drawn=\"(\d+)\"", dom)
        if not drawn:
            failures.append("<body> has no data-charts-drawn: the page's script did not finish")
        elif int(drawn.group(1)) != charts:
            failures.append("data-charts-drawn=%s but the page has %d charts" % (drawn.group(1), charts))
        if charts < options.min_charts:
            failures.append("%d charts, fewer than %d" % (charts, options.min_charts))
        if painted != charts:
            failures.append("%d of %d canvases painted" % (painted, charts))
        for message in re.findall(r"<p class=\"error\">(chart not drawn: [^<]*)</p>", dom):
            failures.append(message)
        for line in dom_run.stderr.splitlines():
            if ":CONSOLE" in line:
                failures.append("console: " + line.split("]", 1)[-1].strip())
        if os.path.exists(net_log):
            for fetched in page_requests(net_log):
                failures.append("the page requested " + fetched)
        else:
            failures.append("Chromium wrote no network log")

        shot = options.screenshot or os.path.join(work, "screenshot.png")
        non_white = float("nan")
        if not options.no_screenshot:
            shot_run = run(chromium_args(options.chromium, os.path.join(work, "profile-shot")) +
                           ["--window-size=1200,%d" % options.height, "--screenshot=" + os.path.abspath(shot), url])
            if shot_run.returncode != 0 or not os.path.exists(shot):
                failures.append("chromium --screenshot failed (status %d): %s"
                                % (shot_run.returncode, shot_run.stderr[-2000:]))
            else:
                non_white, blue = screenshot_figures(shot)
                if non_white < 0.02:
                    failures.append("the screenshot is blank: %.2f%% of its pixels are not white" % (100 * non_white))
                if blue < 200:
                    failures.append("the screenshot shows no chart line: %d pixels of the first line colour" % blue)

    if failures:
        print("check_report: %s: FAILED" % options.report)
        for f in failures:
            print("  " + f)
        return 1
    print("check_report: %s: %d charts drawn, no console message, no network request%s"
          % (options.report, charts, "" if options.no_screenshot else ", screenshot %.1f%% non-white" % (100 * non_white)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
