// Prints Google Benchmark JSON output files (--benchmark_out) as one markdown table.
//   node bench/lib/micro-table.mjs <aws_bench.json> <function_bench.json> ...
import fs from 'node:fs';
import path from 'node:path';

const units = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const pretty = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs`
  : `${ns.toFixed(0)} ns`);
const rows = ['| micro-benchmark | CPU time per iteration | throughput | note |', '|---|---|---|---|'];
for (const file of process.argv.slice(2)) {
  const { benchmarks } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const program = path.basename(file).split('.').slice(-2, -1)[0];
  for (const b of benchmarks.filter((x) => x.run_type !== 'aggregate')) {
    const ns = b.cpu_time * (units[b.time_unit] ?? 1);
    const throughput = [
      b.bytes_per_second ? `${(b.bytes_per_second / 1e6).toFixed(0)} MB/s` : '',
      b.items_per_second ? `${(b.items_per_second / 1e3).toFixed(0)}k items/s` : '',
    ].filter(Boolean).join(', ');
    rows.push(`| \`${program}\` \`${b.name}\` | ${pretty(ns)} | ${throughput} | ${b.label ?? ''} |`);
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
