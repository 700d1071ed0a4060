// review.mjs - opens a review.html in headless Chromium and checks what
// a reader sees: no console or page error, no request besides the file
// itself (fonts, images, stylesheets, scripts: anything else fails), no
// script element, one chart per key result, every status label drawn.
// Then at 390 x 844 and 1400 x 1000, light and dark: nothing wider than
// the window, chart text >= 11 px, charts as wide as their frame. Saves
// full-page screenshots (SCREENSHOT.png at 1280, and -phone, -desktop,
// -phone-dark beside it).
//
// usage: node tests/browser/review.mjs REVIEW.html SCREENSHOT.png
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium) through
// playwright-core from bench/node_modules; it never downloads a browser.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { check, checkLayout, done, failures, launch, VIEWPORTS } from "./lib.mjs";

const [htmlPath, shotPath] = process.argv.slice(2);
if (!htmlPath || !shotPath) {
  console.error("usage: node review.mjs REVIEW.html SCREENSHOT.png");
  process.exit(2);
}
const fileUrl = pathToFileURL(resolve(htmlPath)).href;
const WIDTH = 1280;


const browser = await launch();
try {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: 900 },
    serviceWorkers: "block",
  });
  const page = await context.newPage();

  const errors = [];
  const external = new Set();
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  // Every request goes through the router: the file itself continues,
  // anything else is recorded and aborted before it leaves the machine.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === fileUrl) return route.continue();
    external.add(url);
    return route.abort("blockedbyclient");
  });
  page.on("request", (req) => {
    if (req.url() !== fileUrl) external.add(req.url());
  });

  const response = await page.goto(fileUrl, { waitUntil: "load" });
  check(response === null || response.ok(), `opened ${htmlPath}`);

  const facts = await page.evaluate(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const krs = [...document.querySelectorAll("article.kr")];
    return {
      title: document.title,
      scripts: document.scripts.length,
      krs: krs.length,
      krsWithChart: krs.filter((kr) => {
        const svg = kr.querySelector('svg[role="img"]');
        return svg && visible(svg) && svg.querySelector("title");
      }).length,
      krsWithLight: krs.filter((kr) => {
        const l = kr.querySelector(".kr-status .light");
        return l && visible(l) &&
          /^.\s*(green|yellow|red|done|no data)$/.test(l.textContent.trim());
      }).length,
      keyLabels: [...document.querySelectorAll(".counts .light")]
        .filter(visible).map((l) => l.textContent.trim()),
      sections: [...document.querySelectorAll("h2")].map((h) => h.textContent),
      dashRows: document.querySelectorAll("#dashboard tbody tr").length,
      sparklines: document.querySelectorAll("#dashboard svg.okra-spark").length,
      scrollWidth: document.documentElement.scrollWidth,
      fonts: [...document.fonts].map((f) => f.family),
      text: document.body.innerText,
    };
  });

  check(errors.length === 0, `no console or page errors${errors.length ? ": " + errors.join("; ") : ""}`);
  check(external.size === 0, `no request but the file${external.size ? ": " + [...external].join(", ") : ""}`);
  check(facts.scripts === 0, "no script element");
  check(facts.fonts.length === 0, `no web fonts${facts.fonts.length ? ": " + facts.fonts.join(", ") : ""}`);
  check(facts.krs > 0, `key results shown (${facts.krs})`);
  check(facts.krsWithChart === facts.krs, `every key result has a chart (${facts.krsWithChart}/${facts.krs})`);
  check(facts.krsWithLight === facts.krs, `every key result has a light with its word (${facts.krsWithLight}/${facts.krs})`);
  for (const word of ["green", "yellow", "red", "done", "no data"])
    check(facts.keyLabels.some((t) => t.endsWith(word)), `status label "${word}" renders`);
  for (const part of ["Where are we?", "What did we learn?", "What should we change?", "Balanced dashboard"])
    check(facts.sections.some((s) => s.includes(part)), `section "${part}"`);
  check(facts.dashRows > 0 && facts.sparklines === facts.dashRows,
    `dashboard rows have sparklines (${facts.sparklines}/${facts.dashRows})`);
  check(facts.scrollWidth <= WIDTH, `no horizontal overflow (${facts.scrollWidth}px)`);
  check(!facts.text.includes("no key result") && !/\d+ notes?\b/.test(facts.text),
        "one wording: no 'no key result', lint counts infos");

  mkdirSync(dirname(resolve(shotPath)), { recursive: true });
  await page.screenshot({ path: shotPath, fullPage: true });
  console.log(`screenshot: ${shotPath}`);
  // A phone and a desktop, in both schemes.
  for (const scheme of ["light", "dark"])
    for (const v of VIEWPORTS) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: v.width, height: v.height });
      const label = `${v.width}x${v.height}${scheme === "dark" ? ", dark" : ""}`;
      await checkLayout(page, label);
      const shot = shotPath.replace(/\.png$/, `-${v.name}${scheme === "dark" ? "-dark" : ""}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
    }
  check(errors.length === 0, `no console or page errors at any size${errors.length ? ": " + errors.join("; ") : ""}`);

  // The print stylesheet lays out without errors too.
  await page.emulateMedia({ media: "print" });
  const printKrs = await page.locator("article.kr").count();
  check(printKrs === facts.krs && errors.length === 0, "print layout");
} finally {
  await browser.close();
}

done("browser review: ");
