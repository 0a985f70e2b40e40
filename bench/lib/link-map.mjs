// Where a static bootstrap's bytes come from: sums the input sections the linker
// kept (GNU ld -Map output, after --gc-sections) by library, so a zip-size
// question ("OpenSSL or simdjson?") has an answer in bytes.
//
//   node bench/lib/link-map.mjs <map.txt> [--top 15]
import fs from 'node:fs';
import path from 'node:path';

const [mapFile, ...rest] = process.argv.slice(2);
const top = Number(rest[rest.indexOf('--top') + 1] || 15);
const text = fs.readFileSync(mapFile, 'utf8');
const body = text.slice(text.indexOf('Linker script and memory map'));

// Which library an input file belongs to: "libcrypto.a", "our code (smsc_common)", ...
function owner(file) {
  const archive = file.match(/([^/()]+\.a)\(/);
  if (archive) {
    const name = archive[1];
    if (/^lib(smsc_|sms_inbound|opt_out|reminders|deadline)/.test(name)) return `our code (${name})`;
    return name;
  }
  if (file.endsWith('.o') && file.includes('CMakeFiles')) return 'our code (main)';
  return path.basename(file);
}

const bySection = { text: new Map(), data: new Map() };
let pendingSection = null;
let outputSection = '';
for (const line of body.split('\n')) {
  const out = line.match(/^(\.[\w.]+)\s/);
  if (out) outputSection = out[1];
  // An input section: " .text.foo  0xADDR  0xSIZE file", possibly split over two lines.
  let m = line.match(/^ (\.[^\s]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(.+)$/);
  if (!m && pendingSection) {
    const cont = line.match(/^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(.+)$/);
    if (cont) m = [null, pendingSection, cont[1], cont[2]];
  }
  pendingSection = null;
  if (!m) {
    const alone = line.match(/^ (\.[^\s]+)$/);
    if (alone) pendingSection = alone[1];
    continue;
  }
  const size = parseInt(m[2], 16);
  if (!size || /^\.(debug|comment|note|gnu_debug)/.test(outputSection) || outputSection.startsWith('.debug')) continue;
  if (outputSection === '.bss' || outputSection === '.tbss') continue;  // no bytes in the file
  const kind = /^\.(text|init|fini|plt|iplt)/.test(outputSection) ? 'text' : 'data';
  const key = owner(m[3].trim());
  bySection[kind].set(key, (bySection[kind].get(key) ?? 0) + size);
}

const owners = new Set([...bySection.text.keys(), ...bySection.data.keys()]);
const rows = [...owners].map((o) => ({
  owner: o, text: bySection.text.get(o) ?? 0, data: bySection.data.get(o) ?? 0,
})).map((r) => ({ ...r, total: r.text + r.data })).sort((a, b) => b.total - a.total);
const total = rows.reduce((s, r) => s + r.total, 0);
const kb = (n) => (n / 1024).toFixed(0);
console.log(`| library | code KB | read-only data + data KB | total KB | share |`);
console.log('|---|---|---|---|---|');
for (const r of rows.slice(0, top)) {
  console.log(`| ${r.owner} | ${kb(r.text)} | ${kb(r.data)} | ${kb(r.total)} | ${((100 * r.total) / total).toFixed(1)}% |`);
}
const others = rows.slice(top).reduce((s, r) => s + r.total, 0);
console.log(`| (${Math.max(0, rows.length - top)} others) | | | ${kb(others)} | ${((100 * others) / total).toFixed(1)}% |`);
console.log(`| **all kept sections** | | | **${kb(total)}** | |`);
