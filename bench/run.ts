// `npm run bench`: runs the selected suites, prints each figure as it lands and
// writes bench/results/<out>.md and .json. Figures are ratios against
// baselines measured in the same run; nothing here asserts a time.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BenchContext } from './harness.js';
import { busyPercent, loadAverage, machineInfo, readCpuTimes } from './machine.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mergeResults, renderMarkdown, writeResults, type RenderInput, type RunInfo } from './report.js';
import type { Suite } from './suite.js';
import { suites } from './suites/index.js';

const usage = `npm run bench -- [options]

  --only a,b     run only these suites (${suites.map((s) => s.name).join(', ')})
  --skip a,b     run all but these suites
  --quick        fewer repetitions and sizes (about 2 minutes)
  --full         more repetitions and a 100k-update dossier (slow: sealing and opening it take many minutes)
  --out NAME     write bench/results/NAME.md and .json (default: latest)
  --merge        keep the other suites' figures already in NAME.json; replace only those of the suites run now
                 (each suite's run, commit and load are listed in the file)
  --render NAME  rewrite bench/results/NAME.md from NAME.json (after a change to the report layout)
  --list         list the suites and exit
  --help         this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      skip: { type: 'string' },
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      out: { type: 'string', default: 'latest' },
      list: { type: 'boolean', default: false },
      render: { type: 'string' },
      merge: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (values.render !== undefined) {
    if (!/^[\w.-]+$/.test(values.render)) {
      process.stderr.write('--render mag alleen letters, cijfers, punt, streepje en underscore bevatten.\n');
      return 2;
    }
    const base = fileURLToPath(new URL(`./results/${values.render}`, import.meta.url));
    const saved = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { run: RunInfo } & RenderInput;
    writeFileSync(`${base}.md`, renderMarkdown(saved, saved.run));
    process.stderr.write(`Rewrote ${base}.md\n`);
    return 0;
  }
  if (values.list) {
    for (const s of suites) process.stdout.write(`${s.name.padEnd(10)} ${s.title}\n`);
    return 0;
  }
  if (values.quick && values.full) {
    process.stderr.write('--quick en --full sluiten elkaar uit.\n');
    return 2;
  }
  const split = (v: string | undefined): string[] =>
    v
      ? v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  const only = split(values.only);
  const skip = split(values.skip);
  const unknown = [...only, ...skip].filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`Onbekende benchmark(s): ${unknown.join(', ')}. Kies uit: ${suites.map((s) => s.name).join(', ')}.\n`);
    return 2;
  }
  if (!/^[\w.-]+$/.test(values.out)) {
    process.stderr.write('--out mag alleen letters, cijfers, punt, streepje en underscore bevatten.\n');
    return 2;
  }
  const selected: Suite[] = suites.filter((s) => (only.length === 0 || only.includes(s.name)) && !skip.includes(s.name));

  const ctx = new BenchContext({ quick: values.quick, full: values.full });
  const startedAt = new Date();
  const load0 = loadAverage();
  const cpu0 = readCpuTimes();
  const failures: { suite: string; error: string }[] = [];
  for (const suite of selected) {
    ctx.currentSuite = suite.name;
    ctx.log(`start: ${suite.title}`);
    const t0 = Date.now();
    try {
      await suite.run(ctx);
    } catch (error) {
      // One broken suite must not cost the figures of the others.
      const message = error instanceof Error ? `${error.message}` : String(error);
      failures.push({ suite: suite.name, error: message });
      ctx.log(`FAILED: ${error instanceof Error ? (error.stack ?? message) : message}`);
    }
    ctx.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const info: RunInfo = {
    startedAt: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    mode: values.quick ? 'quick' : values.full ? 'full' : 'normal',
    suites: selected.map((s) => s.name),
    suiteTitles: Object.fromEntries(selected.map((s) => [s.name, s.title])),
    machine: machineInfo(),
    loadAverageStart: load0,
    loadAverageEnd: loadAverage(),
    cpuBusyPercent: busyPercent(cpu0, readCpuTimes()),
    failures,
  };
  const base = fileURLToPath(new URL(`./results/${values.out}`, import.meta.url));
  const previous =
    values.merge && existsSync(`${base}.json`)
      ? (JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { run: RunInfo } & RenderInput)
      : undefined;
  const merged = previous === undefined ? { input: ctx, info } : mergeResults(previous, ctx, info);
  const { md, json } = writeResults(merged.input, merged.info, base);
  process.stderr.write(`\nResults: ${md}\n         ${json}\n`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
