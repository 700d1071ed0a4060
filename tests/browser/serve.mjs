// serve.mjs - drives the okra serve dashboard in headless Chromium: opens
// every page (no console or page error, no request off the server, no
// script dialog from the hostile titles of the test workspace), clicks
// objective -> key result -> metric explorer, switches the segment and
// the grain, pins a segment, posts a check-in (with its author, then a
// correction) and a confidence with the token and sees them confirmed,
// uses the pickers (as of, team, from and to), the explorer's list
// (search, grouping), the links of suggestions and lint rows, the
// breadcrumb, and tries the keyboard and the tooltips (chart points
// included).
// Then every page (overview, objective, metric explorer with and without
// a pinned segment and with a comparison, a KPI tree, lint) at 390 x 844
// and 1400 x 1000, and two in the
// dark scheme: no horizontal overflow, chart text >= 11 px, no console
// error; and the numbers of the north star's inputs and of a pinned
// segment's breakdown.  Saves a screenshot of each in SHOTDIR.
//
// usage: node tests/browser/serve.mjs BASE_URL TOKEN SHOTDIR
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium) through
// playwright-core from bench/node_modules; it never downloads a browser.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

import { check, checkLayout, done, failures, launch, VIEWPORTS } from "./lib.mjs";

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
  await page.locator("table.krs span.spark").first().hover();
  check(await page.locator(".tip").isVisible(), "tooltip: a sparkline shows its numbers");
  await shot("overview");

  // Chart points have tooltips of their own: an SVG <title> per point
  // ("label: value on date"), which the browser shows on hover.
  const tips = page.locator("section.northstar svg.okra-chart rect.hit");
  const nTips = await tips.count();
  check(nTips >= 5, `tooltips: a hover target per point of the north star's chart (${nTips})`);
  const tipText = await tips.last().locator("title").textContent();
  check(/^.+: .+ on \d{4}-\d{2}-\d{2}$/.test(tipText), `tooltips: the point's series, value and day ("${tipText}")`);
  await tips.last().hover();
  noErrors("chart tooltips");

  // Every suggestion names its key result, metric or rule as a link.
  const sugg = page.locator("ol.suggest li");
  const nSugg = await sugg.count();
  const linked = await page.locator("ol.suggest li a[href]").count();
  check(nSugg > 0 && linked === await page.locator("ol.suggest li code").count(),
        `suggestions: each subject is a link (${linked} of ${nSugg})`);
  const krSugg = page.locator("ol.suggest li a[href*='#kr-']").first();
  if (await krSugg.count()) {
    const href = await krSugg.getAttribute("href");
    await Promise.all([page.waitForNavigation(), krSugg.click()]);
    const kr = href.split("#kr-")[1];
    check(page.url().includes("/objectives/") && (await page.locator(`#kr-${kr}`).count()) === 1,
          `suggestions: a key result's link opens its card (${href})`);
    await page.goto(base + "/", { waitUntil: "load" });
  }

  // The pickers: as of and team, in the page (no URL editing).
  const pick = page.locator("form.asof");
  await pick.locator("input[name=asof]").fill("2026-02-27");
  await pick.locator("select[name=team]").selectOption("onboarding");
  await Promise.all([page.waitForNavigation(), pick.locator("button").click()]);
  check(page.url().includes("asof=2026-02-27") && page.url().includes("team=onboarding"),
        `pickers: as of and team in the URL (${page.url()})`);
  check((await page.locator("p.meta").first().textContent()).includes("team onboarding") &&
        (await page.locator("p.meta").first().textContent()).includes("2026-02-27"),
        "pickers: the page is as of that day, for that team");
  check((await page.locator("form.asof select[name=team] option[selected]").textContent()) === "onboarding",
        "pickers: the team stays picked");
  await page.locator("form.asof select[name=team]").selectOption("");
  await Promise.all([page.waitForNavigation(), page.locator("form.asof button").click()]);
  check(!(await page.locator("p.meta").first().textContent()).includes("team "),
        "pickers: all teams again");
  noErrors("pickers");
  await page.goto(base + "/", { waitUntil: "load" });

  // ---- objective -> key result -> metric explorer -----------------------
  await Promise.all([page.waitForNavigation(), page.locator("article.objective h3 a").first().click()]);
  check(/\/objectives\/fast_activation/.test(page.url()), "click: objective page");
  const krs = await page.locator("article.kr").count();
  check(krs >= 2, `objective: key results (${krs})`);
  check((await page.locator("article.kr svg.okra-chart").count()) === krs,
        "objective: a chart per key result (actual, trajectory, target, forecast)");
  check((await page.locator("article.kr ol.hypotheses li").count()) >= krs,
        "objective: hypotheses");
  check((await page.locator("article.kr form[action='/forms/confidence']").count()) === krs,
        "objective: a confidence form per key result");
  const h1 = await page.locator("h1").textContent();
  check(h1.includes("<script>") && dialogs.length === 0, "objective: the hostile title is text, no dialog");
  const crumb = await page.locator("nav.crumbs [aria-current=page]").textContent();
  check(crumb.includes('<script>alert("pwned")</script>') && crumb.includes("ünïcødé"),
        `objective: the breadcrumb names the objective (${crumb})`);
  noErrors("objective");
  await shot("objective");

  // Confidence with the token: it appears in the history after the
  // redirect back.
  const form = page.locator("article.kr form[action='/forms/confidence']").first();
  await form.locator("select[name=value]").selectOption("8");
  await form.locator("input[name=note]").fill("browser: <b>bold?</b> — ü");
  await form.locator("input[name=token]").fill(token);
  await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
  check(/\/objectives\/fast_activation/.test(page.url()), "confidence: back on the objective page");
  const conf = page.locator("article.kr").first().locator("table.confidence");
  check((await conf.count()) === 1 && (await conf.textContent()).includes("8/10"),
        "confidence: the new value is in the history");
  check((await conf.textContent()).includes("browser: <b>bold?</b> — ü"),
        "confidence: the note is shown as text");
  // okra.js remembered the token for the next form.
  check((await page.locator("article.kr").nth(1).locator("input[name=token]").inputValue()) === token,
        "okra.js: the token is filled in for the next form");
  noErrors("confidence");

  const metricLink = page.locator("article.kr").first().locator(".kr-meta a[href^='/metrics/']");
  await Promise.all([page.waitForNavigation(), metricLink.click()]);
  check(/\/metrics\/onboarding_completion_rate/.test(page.url()), "click: key result -> metric explorer");
  check((await page.locator(".explore svg.okra-chart").count()) === 1, "explorer: the series chart");
  check((await page.locator("table.breakdown tbody tr").count()) >= 2, "explorer: the segment breakdown table");
  check((await page.locator("nav.crumbs").textContent()).includes("Metrics"), "explorer: the breadcrumb");
  noErrors("explorer");
  await shot("metric");

  // The list of metrics: titles, grouped by level, a search that filters
  // while typing (okra.js) and on submit (the server).
  const nav = page.locator("nav.metrics");
  const current = await nav.locator("a[aria-current=page]").textContent();
  check(current.includes("onboarding_completion_rate") && !current.startsWith("onboarding_completion_rate"),
        `explorer list: a title, then the id (${current})`);
  const groups = await nav.locator(".nav-group h3").allTextContents();
  check(groups[0] === "1 · North star" && groups.includes("3 · Leading indicators"),
        `explorer list: grouped by level (${groups.join(", ")})`);
  const everyone = await nav.locator("li").count();
  await nav.locator("input[name=q]").fill("retention");
  const visible = await nav.locator("li:not([hidden])").count();
  check(visible >= 1 && visible < everyone, `explorer list: typing filters it (${visible} of ${everyone})`);
  await Promise.all([page.waitForNavigation(), nav.locator("form.find button").click()]);
  check(page.url().includes("q=retention") && (await nav.locator("li").count()) === visible,
        "explorer list: the search also filters on the server");
  await Promise.all([page.waitForNavigation(), nav.locator(".group-by a", { hasText: "owner" }).click()]);
  const owners = await nav.locator(".nav-group h3").allTextContents();
  check(page.url().includes("group=owner") && page.url().includes("q=retention") &&
        owners.every((h) => ["onboarding", "core", "growth", "No owner"].includes(h)),
        `explorer list: grouped by owner, the search kept (${owners.join(", ")})`);
  await Promise.all([page.waitForNavigation(), nav.locator("li a").first().click()]);
  check(page.url().includes("group=owner") && page.url().includes("q=retention"),
        "explorer list: another metric keeps the list as it was");
  noErrors("explorer list");

  // The period: from and to in the page.
  await page.goto(base + "/metrics/onboarding_completion_rate", { waitUntil: "load" });
  const range = page.locator("form.range");
  check((await range.locator("input[name=from]").inputValue()) !== "" &&
        (await range.locator("input[name=to]").inputValue()) !== "",
        "range: from and to show the period drawn");
  await range.locator("input[name=from]").fill("2025-12-01");
  await range.locator("input[name=to]").fill("2026-02-28");
  await Promise.all([page.waitForNavigation(), range.locator("button").click()]);
  check(page.url().includes("from=2025-12-01") && page.url().includes("to=2026-02-28"),
        `range: from and to in the URL (${page.url()})`);
  const lastRow = await page.locator("table.series tbody tr td").first().textContent();
  check(lastRow === "2026-02-28", `range: the series ends on the day picked (${lastRow})`);
  check((await page.locator(".explore svg.okra-chart rect.hit").count()) >= 10,
        "range: the chart's points have tooltips");
  noErrors("range");
  await page.goto(base + "/metrics/onboarding_completion_rate", { waitUntil: "load" });

  // Switch the segment (split by tier), then the grain, then pin one.
  await Promise.all([page.waitForNavigation(),
    page.locator(".picker a", { hasText: /^tier$/ }).click()]);
  check(page.url().includes("by=tier"), "segment: split by tier");
  check(await page.locator(".picker a[aria-current]", { hasText: /^tier$/ }).count() === 1,
        "segment: tier is marked current");
  const legend = await page.locator(".explore figure.chart").textContent();
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
  await ci.locator("input[name=author]").fill("Ada Lovelace");
  await Promise.all([page.waitForNavigation(), ci.locator("button").click()]);
  const rows = await page.locator("table.checkins").textContent();
  check(/\/metrics\/nps\?checkin=\d+$/.test(page.url()) && rows.includes("2026-03-02") && rows.includes("47") &&
        rows.includes("survey from the browser") && rows.includes("Ada Lovelace"),
        "check-in: appears in the table with its author");
  const confirm = await page.locator("p.confirm").textContent();
  check(confirm.includes("47") && confirm.includes("2026-03-02") && confirm.includes("by Ada Lovelace"),
        `check-in: the page confirms it (${confirm})`);
  // okra.js remembers the author; a correction supersedes the row, which
  // stays as history.
  const ci2 = page.locator("form[action='/forms/checkin']");
  check((await ci2.locator("input[name=author]").inputValue()) === "Ada Lovelace", "check-in: author remembered");
  const id = page.url().split("checkin=")[1];
  await ci2.locator("input[name=value]").fill("48");
  await ci2.locator("select[name=corrects]").selectOption(id);
  await Promise.all([page.waitForNavigation(), ci2.locator("button").click()]);
  const fixed = await page.locator("p.confirm").textContent();
  check(fixed.startsWith(`Corrected #${id}`) && fixed.includes("48") && fixed.includes("2026-03-02"),
        `check-in: a correction is confirmed, on the corrected day (${fixed})`);
  check((await page.locator(`table.checkins tr#checkin-${id}.superseded`).count()) === 1,
        "check-in: the corrected row stays, marked");
  check((await page.locator(`select[name=corrects] option[value='${id}']`).count()) === 0,
        "check-in: a corrected row is no longer offered for correction");
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
  check((await page.locator("p.lint-summary").textContent()).match(/\d+ errors? · \d+ warnings? · \d+ infos?/) !== null,
        "lint: the summary");
  const ruleLinks = page.locator("table.findings a[href^='/lint#rule-']");
  const nRows = await page.locator("table.findings tbody tr").count();
  check((await ruleLinks.count()) === nRows, `lint: every row links to its rule (${await ruleLinks.count()} of ${nRows})`);
  if (nRows) {
    const rule = (await ruleLinks.first().getAttribute("href")).split("#")[1];
    await ruleLinks.first().click();
    check((await page.locator(`dt#${rule}`).count()) === 1 && page.url().endsWith(`#${rule}`),
          `lint: the rule's explanation is on the page (${rule})`);
  }
  noErrors("lint");
  await shot("lint");

  // ---- experiments: the list, a readout, a decision with the token ---------
  await page.goto(base + "/", { waitUntil: "load" });
  await Promise.all([page.waitForNavigation(), page.locator("header nav a", { hasText: "Experiments" }).click()]);
  check(/\/experiments$/.test(page.url()), "click: experiments page");
  await Promise.all([page.waitForNavigation(), page.locator("table.experiments a").first().click()]);
  check(/\/experiments\/progress_indicator$/.test(page.url()), "click: an experiment's page");
  check((await page.locator("figure.exp-bars rect").count()) >= 2, "experiment: a bar per variant");
  check((await page.locator(".exp-head").textContent()).includes("SRM"), "experiment: the SRM badge");
  check((await page.locator(".exp-head").textContent()).includes("power"), "experiment: the power badge");
  const df = page.locator("form[action='/forms/decision']");
  await df.locator("select[name=decision]").selectOption("iterate");
  await df.locator("input[name=note]").fill("decided in the browser");
  check((await df.locator("input[name=token]").inputValue()) === token, "decision: token remembered");
  await Promise.all([page.waitForNavigation(), df.locator("button").click()]);
  check(/\/experiments\/progress_indicator$/.test(page.url()), "decision: back on the page");
  check((await page.locator("section.exp").textContent()).includes("Recorded: iterate"), "decision: recorded");
  noErrors("experiments");
  await shot("experiment");

  // ---- every page at a phone's and a desktop's width ----------------------
  const pages = [
    ["overview", "/"],
    ["objective", "/objectives/fast_activation"],
    ["experiments", "/experiments"],
    ["experiment", "/experiments/progress_indicator"],
    ["explorer", "/metrics/onboarding_completion_rate?by=tier"],
    ["explorer-pinned", "/metrics/onboarding_completion_rate?by=tier&where=tier%3Dpro"],
    ["explorer-compare", "/metrics/activation_rate?by=tier&compare=prev"],
    ["explorer-owner", "/metrics/nps?group=owner&checkin=1"],
    ["tree", "/trees/product_health?by=tier"],
    ["rollup", "/rollup"],
    ["diagnose", "/diagnose"],
    ["anomalies", "/anomalies"],
    ["lint", "/lint"],
  ];
  for (const scheme of ["light", "dark"]) {
    for (const v of VIEWPORTS) {
      const ctx = await browser.newContext({
        viewport: { width: v.width, height: v.height }, colorScheme: scheme, serviceWorkers: "block",
      });
      await ctx.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(base + "/")) return route.continue();
        foreign.add(url);
        return route.abort("blockedbyclient");
      });
      const pg = await ctx.newPage();
      pg.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`${pg.url()}: console: ${msg.text()}`);
      });
      pg.on("pageerror", (err) => errors.push(`${pg.url()}: page error: ${err.message}`));
      for (const [name, path] of scheme === "dark" ? pages.slice(0, 2) : pages) {
        const label = `${name} at ${v.width}x${v.height}${scheme === "dark" ? ", dark" : ""}`;
        const r = await pg.goto(base + path, { waitUntil: "load" });
        check(r.ok(), `${label}: opens`);
        await checkLayout(pg, label);
        noErrors(label);
        await pg.screenshot({
          path: resolve(shotDir, `${name}-${v.name}${scheme === "dark" ? "-dark" : ""}.png`), fullPage: true,
        });
      }
      if (scheme === "dark") {
        const bg = await pg.evaluate(() => getComputedStyle(document.body).backgroundColor);
        check(bg !== "rgb(238, 241, 244)" && bg !== "rgb(255, 255, 255)", `dark scheme at ${v.width}: a dark background (${bg})`);
      }
      await ctx.close();
    }
  }

  // ---- the north star's inputs: target, light and trend of each -----------
  await page.goto(base + "/", { waitUntil: "load" });
  const inputs = await page.locator("table.inputs").evaluate((t) => ({
    head: [...t.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    rows: [...t.querySelectorAll("tbody tr")].map((tr) => {
      const td = [...tr.querySelectorAll("td")];
      return {
        metric: td[0].querySelector("a").textContent, current: td[1].textContent.trim(),
        target: td[2].textContent.trim(), benchmark: td[3].textContent.trim(),
        status: td[4].textContent.trim(), trend: td[5].querySelectorAll("path.k-a").length,
      };
    }),
  }));
  check(inputs.head.join("|") === "Metric|Current|Target|Benchmark|Status|Trend",
        `inputs: target and benchmark are separate columns (${inputs.head.join("|")})`);
  check(inputs.rows.length === 4, `inputs: four inputs (${inputs.rows.length})`);
  for (const r of inputs.rows) {
    check(!(r.current !== "–" && r.status.endsWith("no data")),
          `inputs: ${r.metric} has a value (${r.current}), its status is not "no data" (${r.status})`);
    check(r.trend === 1, `inputs: ${r.metric} has its trend drawn`);
  }
  check(inputs.rows.some((r) => r.benchmark !== "–" && r.benchmark !== r.target),
        "inputs: the benchmark is not shown as the target");

  // ---- a pinned segment's breakdown shows the pinned numbers ---------------
  const breakdown = async (path) => {
    await page.goto(base + path, { waitUntil: "load" });
    return page.locator("table.breakdown tbody tr").evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.querySelector("td").textContent.trim(),
        tr.querySelector("td.num").textContent.trim()])));
  };
  const all = await breakdown("/metrics/weekly_engaged_accounts?by=tier");
  const pinned = await breakdown("/metrics/weekly_engaged_accounts?by=tier&where=tier%3Dpro");
  check(all.pro !== undefined && all.pro !== all.All && pinned["tier=pro"] === all.pro,
        `pinned breakdown: its total is pro's value (${pinned["tier=pro"]} = ${all.pro}; all ${all.All})`);
  const allRegion = await breakdown("/metrics/weekly_engaged_accounts?by=region");
  const pinnedRegion = await breakdown("/metrics/weekly_engaged_accounts?by=region&where=tier%3Dpro");
  const sum = Object.entries(pinnedRegion).filter(([k]) => k !== "tier=pro")
    .reduce((t, [, v]) => t + Number(v.replace(/,/g, "")), 0);
  check(pinnedRegion["tier=pro"] === all.pro && String(sum) === all.pro &&
        Object.keys(allRegion).some((k) => k !== "All" && pinnedRegion[k] !== allRegion[k]),
        `pinned breakdown by region: pro's numbers (${JSON.stringify(pinnedRegion)} vs ${JSON.stringify(allRegion)})`);
  noErrors("pinned breakdown");

  // ---- without JavaScript the pages still work -----------------------------
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  resp = await p2.goto(base + "/", { waitUntil: "load" });
  check(resp.ok() && (await p2.locator("article.objective").count()) === objectives,
        "without JavaScript: the overview");
  await Promise.all([p2.waitForNavigation(), p2.locator("article.objective h3 a").nth(1).click()]);
  check((await p2.locator("article.kr svg.okra-chart").count()) >= 1, "without JavaScript: an objective");
  await p2.screenshot({ path: resolve(shotDir, "nojs-objective.png"), fullPage: true });
  await plain.close();
} finally {
  await browser.close();
}

check(foreign.size === 0, "no request left the server");
for (const u of foreign) console.log(`     ${u}`);
check(dialogs.length === 0, "no script dialog opened");
done("");
