// serve.mjs - drives the okra serve dashboard in headless Chromium: opens
// every page (no console or page error, no request off the server, no
// script dialog from the hostile titles of the test workspace), clicks
// objective -> key result -> metric explorer, switches the segment and
// the grain, pins a segment, posts a check-in and a confidence with the
// token and sees them appear, and tries the keyboard and the tooltips.
// Saves a screenshot of each page in SHOTDIR.
//
// usage: node tests/browser/serve.mjs BASE_URL TOKEN SHOTDIR
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium) through
// playwright-core from bench/node_modules; it never downloads a browser.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

import { check, done, failures, launch } from "./lib.mjs";

const [base, token, shotDir] = process.argv.slice(2);
if (!base || !token || !shotDir) {
  console.error("usage: node serve.mjs BASE_URL TOKEN SHOTDIR");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });


const browser = await launch();
const errors = [];
const foreign = new Set();
const dialogs = [];
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    serviceWorkers: "block",
  });
  // Nothing may leave the server: fonts, CDNs, trackers are aborted and
  // recorded.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base + "/")) return route.continue();
    foreign.add(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`${page.url()}: page error: ${err.message}`));
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`);
  });

  const shot = async (name) =>
    page.screenshot({ path: resolve(shotDir, `${name}.png`), fullPage: true });
  const noErrors = (what) => {
    check(errors.length === 0, `${what}: no console error, page error or failed request`);
    for (const e of errors.splice(0)) console.log(`     ${e}`);
  };

  // ---- overview ---------------------------------------------------------
  let resp = await page.goto(base + "/", { waitUntil: "load" });
  check(resp.ok(), "overview opens");
  check((await page.locator("section.northstar svg.okra-chart").count()) === 1,
        "overview: the north star with its trend chart");
  const objectives = await page.locator("article.objective").count();
  check(objectives >= 2, `overview: objectives (${objectives})`);
  const lights = await page.locator("table.krs .light").count();
  check(lights >= 4, `overview: key result lights (${lights})`);
  check((await page.locator("section.dashboard table.dash").count()) === 2,
        "overview: the balanced dashboard (leading and lagging)");
  const evil = await page.locator("article.objective h3 a").first().textContent();
  check(evil.includes('<script>alert("pwned")</script>') && evil.includes("ünïcødé 日本"),
        "overview: a hostile title is shown as text");
  check(await page.evaluate(() => window.pwned === undefined && document.scripts.length === 1),
        "overview: no script but okra.js");
  noErrors("overview");
  // JavaScript niceties: j focuses the first objective, a sparkline shows
  // its numbers in a tooltip.
  await page.keyboard.press("j");
  check(await page.evaluate(() => document.activeElement?.matches("article.objective")),
        "keyboard: j focuses an objective");
  await page.keyboard.press("j");
  check(await page.evaluate(() => document.activeElement === document.querySelectorAll("article.objective")[1]),
        "keyboard: j again moves to the next one");
  await page.locator("table.krs .spark").first().hover();
  check(await page.locator(".tip").isVisible(), "tooltip: a sparkline shows its numbers");
  await shot("overview");

  // ---- objective -> key result -> metric explorer -----------------------
  await Promise.all([page.waitForNavigation(), page.locator("article.objective h3 a").first().click()]);
  check(/\/objectives\/fast_activation/.test(page.url()), "click: objective page");
  const krs = await page.locator("section.kr").count();
  check(krs >= 2, `objective: key results (${krs})`);
  check((await page.locator("section.kr svg.okra-chart").count()) === krs,
        "objective: a chart per key result (actual, trajectory, target, forecast)");
  check((await page.locator("section.kr ul.hypotheses li").count()) >= krs,
        "objective: hypotheses");
  check((await page.locator("section.kr form[action='/forms/confidence']").count()) === krs,
        "objective: a confidence form per key result");
  const h1 = await page.locator("h1").textContent();
  check(h1.includes("<script>") && dialogs.length === 0, "objective: the hostile title is text, no dialog");
  noErrors("objective");
  await shot("objective");

  // Confidence with the token: it appears in the history after the
  // redirect back.
  const form = page.locator("section.kr form[action='/forms/confidence']").first();
  await form.locator("select[name=value]").selectOption("8");
  await form.locator("input[name=note]").fill("browser: <b>bold?</b> — ü");
  await form.locator("input[name=token]").fill(token);
  await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
  check(/\/objectives\/fast_activation/.test(page.url()), "confidence: back on the objective page");
  const conf = page.locator("section.kr").first().locator("table.confidence");
  check((await conf.count()) === 1 && (await conf.textContent()).includes("8/10"),
        "confidence: the new value is in the history");
  check((await conf.textContent()).includes("browser: <b>bold?</b> — ü"),
        "confidence: the note is shown as text");
  // okra.js remembered the token for the next form.
  check((await page.locator("section.kr").nth(1).locator("input[name=token]").inputValue()) === token,
        "okra.js: the token is filled in for the next form");
  noErrors("confidence");

  const metricLink = page.locator("section.kr").first().locator(".meta a[href^='/metrics/']");
  await Promise.all([page.waitForNavigation(), metricLink.click()]);
  check(/\/metrics\/onboarding_completion_rate/.test(page.url()), "click: key result -> metric explorer");
  check((await page.locator(".explore svg.okra-chart").count()) === 1, "explorer: the series chart");
  check((await page.locator("table.breakdown tbody tr").count()) >= 2, "explorer: the segment breakdown table");
  noErrors("explorer");
  await shot("metric");

  // Switch the segment (split by tier), then the grain, then pin one.
  await Promise.all([page.waitForNavigation(),
    page.locator(".picker a", { hasText: /^tier$/ }).click()]);
  check(page.url().includes("by=tier"), "segment: split by tier");
  check(await page.locator(".picker a[aria-current]", { hasText: /^tier$/ }).count() === 1,
        "segment: tier is marked current");
  const legend = await page.locator(".explore svg.okra-chart").textContent();
  check(legend.includes("enterprise") && legend.includes("pro"), "segment: one line per tier on the chart");
  await Promise.all([page.waitForNavigation(),
    page.locator(".picker a", { hasText: /^month$/ }).click()]);
  check(page.url().includes("grain=month") && page.url().includes("by=tier"),
        "grain: month, the segment kept");
  await Promise.all([page.waitForNavigation(),
    page.locator("table.breakdown tbody a", { hasText: "enterprise" }).click()]);
  check(decodeURIComponent(page.url()).includes("where=tier=enterprise"), "segment: pinned to enterprise");
  check((await page.locator("p.pin").textContent()).includes("tier=enterprise"), "segment: the pin is shown");
  noErrors("segments");
  await shot("metric-segments");

  // A check-in of a manual metric with the token.
  await page.goto(base + "/metrics/nps", { waitUntil: "load" });
  const ci = page.locator("form[action='/forms/checkin']");
  await ci.locator("input[name=value]").fill("47");
  await ci.locator("input[name=date]").fill("2026-03-02");
  await ci.locator("input[name=note]").fill("survey from the browser");
  check((await ci.locator("input[name=token]").inputValue()) === token, "check-in: token remembered");
  await Promise.all([page.waitForNavigation(), ci.locator("button").click()]);
  const rows = await page.locator("table.checkins").textContent();
  check(/\/metrics\/nps$/.test(page.url()) && rows.includes("2026-03-02") && rows.includes("47") &&
        rows.includes("survey from the browser"), "check-in: appears in the table");
  noErrors("check-in");
  await shot("checkin");

  // Every metric of the explorer's list opens without an error.
  const hrefs = await page.locator("nav.metrics a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const href of hrefs) {
    resp = await page.goto(base + href, { waitUntil: "load" });
    check(resp.ok(), `explorer: ${href}`);
  }
  noErrors("every metric");

  // ---- lint ---------------------------------------------------------------
  await page.goto(base + "/", { waitUntil: "load" });
  await Promise.all([page.waitForNavigation(), page.locator("header nav a", { hasText: "Lint" }).click()]);
  check(/\/lint$/.test(page.url()), "click: lint page");
  check((await page.locator("p.summary").textContent()).match(/\d+ errors?, \d+ warnings?/) !== null,
        "lint: the summary");
  noErrors("lint");
  await shot("lint");

  // ---- without JavaScript the pages still work -----------------------------
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  resp = await p2.goto(base + "/", { waitUntil: "load" });
  check(resp.ok() && (await p2.locator("article.objective").count()) === objectives,
        "without JavaScript: the overview");
  await Promise.all([p2.waitForNavigation(), p2.locator("article.objective h3 a").nth(1).click()]);
  check((await p2.locator("section.kr svg.okra-chart").count()) >= 1, "without JavaScript: an objective");
  await p2.screenshot({ path: resolve(shotDir, "nojs-objective.png"), fullPage: true });
  await plain.close();
} finally {
  await browser.close();
}

check(foreign.size === 0, "no request left the server");
for (const u of foreign) console.log(`     ${u}`);
check(dialogs.length === 0, "no script dialog opened");
done("");
