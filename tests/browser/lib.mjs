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
