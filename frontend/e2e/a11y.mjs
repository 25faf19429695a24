// The accessibility check of the browser tests: axe-core (the repository's dev dependency) run on
// the page as it is now. `expectAccessible` fails on every serious or critical violation, and on
// the lesser rules issue 13 found broken, so that none of them comes back unseen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Impacts that fail a test. */
export const FAILING_IMPACTS = ['serious', 'critical'];

/**
 * Rules that fail a test whatever their impact: each was found broken once (a page without a
 * `main` landmark, an empty table header, a button named otherwise than it reads). Not "region":
 * it flags every open Mantine popover, which lives in a portal at the end of <body>.
 */
export const ALWAYS_FAILING_RULES = ['landmark-one-main', 'empty-table-header', 'label-content-name-mismatch'];

let source;
function axeSource() {
  // AXE_CORE_PATH only for a run outside the repository's install; the tests use node_modules.
  source ??= readFileSync(process.env.AXE_CORE_PATH || require.resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/**
 * Loads axe into the page. Not page.addScriptTag: that adds an inline <script>, which the app's
 * Content-Security-Policy (script-src 'self') rightly refuses; an evaluation through the
 * DevTools protocol is not a page script and runs anyway.
 */
async function loadAxe(page) {
  if (await page.evaluate(() => typeof window.axe === 'object')) return;
  await page.evaluate(axeSource());
}

/** Waits until no transition or finite animation runs (a dialog fading in has no final colours yet). */
async function settle(page) {
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 5000 },
  );
}

/** The violations axe finds that fail a test, each as "rule (impact): help — selector, …". */
export async function accessibilityProblems(page) {
  await settle(page);
  await loadAxe(page);
  const violations = await page.evaluate(async (always) => {
    // label-content-name-mismatch (WCAG 2.5.3) is "experimental" in axe and off by default.
    const result = await window.axe.run(document, {
      resultTypes: ['violations'],
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      always: always.includes(v.id),
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.any[0]?.message ? ` [${n.any[0].message}]` : ''}`),
    }));
  }, ALWAYS_FAILING_RULES);
  return violations
    .filter((v) => v.always || FAILING_IMPACTS.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).join(', ')}${v.nodes.length > 5 ? `, … ${v.nodes.length} in all` : ''}`);
}

/** Fails when axe finds a violation on the page as it is now; `name` says which page state. */
export async function expectAccessible(page, name) {
  const problems = await accessibilityProblems(page);
  // A11Y_REPORT_ONLY=1 lists what every page state has in one run, instead of failing at the first.
  if (process.env.A11Y_REPORT_ONLY === '1') {
    if (problems.length) console.log(`${name}:\n  ${problems.join('\n  ')}`);
    return;
  }
  assert.deepEqual(problems, [], `${name}: ${problems.length} accessibility violation(s)\n${problems.join('\n')}`);
}
