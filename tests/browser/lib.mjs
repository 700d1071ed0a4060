// lib.mjs - what the browser tests share: the system Chromium through
// playwright-core from bench/node_modules (never a downloaded browser),
// launched with the flags this machine's closed network needs, and a
// tally of checks.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(here, "../../bench/package.json"));
const { chromium } = require("playwright-core");

// Headless Chromium (CHROMIUM, default /usr/bin/chromium).
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}

// check(ok, what) prints and counts; done(label) prints the tally and
// exits 1 when a check failed.
export const failures = [];
let passed = 0;
export function check(ok, what) {
  if (ok) passed++;
  else failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}
export function done(label) {
  console.log(`${label}${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

// The two screens every page is checked at: a phone and a desktop.
export const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1400, height: 1000 },
];

// layout(page, what): what a reader of the page at its current viewport
// would notice: horizontal overflow of the document (and the widest
// element that sticks out), chart text smaller than 11 px on screen, and
// charts narrower than their container.
export async function layout(page) {
  return page.evaluate(() => {
    const doc = document.scrollingElement || document.documentElement;
    const inner = window.innerWidth;
    let widest = null;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Content that scrolls inside a wrapper does not stick out.
      let p = el.parentElement, clipped = false;
      for (; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
      }
      if (!clipped && r.right > inner + 0.5 && (!widest || r.right > widest.right))
        widest = { right: Math.round(r.right), what: el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "") };
    }
    const texts = [...document.querySelectorAll("figure.chart svg text")]
      .filter((t) => getComputedStyle(t).display !== "none" && t.getBoundingClientRect().width > 0);
    const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 1));
    const charts = [...document.querySelectorAll("figure.chart")].map((f) => {
      const svg = f.querySelector("svg.okra-chart");
      const parent = f.parentElement.getBoundingClientRect().width;
      return { fig: f.getBoundingClientRect().width, svg: svg ? svg.getBoundingClientRect().width : 0, parent };
    });
    return {
      scrollWidth: doc.scrollWidth, innerWidth: inner, widest,
      chartTexts: sizes.length, minChartText: sizes.length ? Math.min(...sizes) : null,
      charts,
    };
  });
}

// checkLayout(page, label): the checks of layout() as test lines.
export async function checkLayout(page, label) {
  const l = await layout(page);
  check(l.scrollWidth <= l.innerWidth,
    `${label}: no horizontal overflow (${l.scrollWidth} <= ${l.innerWidth}${l.widest ? `; widest ${l.widest.what} to ${l.widest.right}` : ""})`);
  if (l.chartTexts)
    check(l.minChartText >= 11, `${label}: chart text >= 11 px (smallest ${l.minChartText?.toFixed(1)} px of ${l.chartTexts})`);
  const narrow = l.charts.filter((c) => c.svg < c.fig * 0.6);
  check(narrow.length === 0, `${label}: charts fill their frame (${l.charts.length} charts)`);
  return l;
}
