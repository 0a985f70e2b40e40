// Debian's headless Chromium for the audit report tests: the DOM after rendering, a screenshot,
// a PDF, and the text a reader sees. No npm package: the browser binary only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The chromium binary, or throws saying how to install it (the test fails; it never skips). */
export function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', 'chromium', 'chromium-browser'].filter(Boolean);
  for (const c of candidates) {
    const probe = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0 && /Chromium/i.test(probe.stdout)) return c;
  }
  throw new Error("headless Chromium is missing: the audit report tests need Debian's package chromium " +
    '(scripts/setup installs it; or apt-get install chromium; or set CHROMIUM=/path/to/chromium)');
}

// The flags for a closed network: without the background-networking ones Chromium keeps trying
// to reach Google's hosts.
const kFlags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--hide-scrollbars', '--disable-extensions', '--mute-audio'];

/** Runs Chromium on a local file with extra flags; returns its stdout. */
export function chromium(binary, file, extra) {
  const profile = mkdtempSync(join(tmpdir(), 'audit-chromium-'));
  try {
    const run = spawnSync(binary, [...kFlags, `--user-data-dir=${profile}`, ...extra, pathToFileURL(file).href],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw new Error(`chromium: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`chromium exited ${run.status}: ${run.stderr.slice(-2000)}`);
    return run.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM after Chromium has loaded (and run whatever script) the page. */
export const dumpDom = (binary, file) => chromium(binary, file, ['--dump-dom']);

const kEntities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * The visible text of serialised HTML: no style, inline tags dropped, other tags as spaces,
 * entities decoded, spaces folded.
 */
export function textOf(dom) {
  return dom
    .replace(/<(style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(b|i|em|strong|span|a|code)(\s[^>]*)?>/gi, '') // inline: no break in the text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#?\w+);/g, (m, name) => {
      if (name in kEntities) return kEntities[name];
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
