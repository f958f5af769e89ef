// Writes the results of one run as a Markdown table (bench/results/<out>.md)
// and as JSON (<out>.json) with every sample, so figures can be re-derived.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchContext, Goal, Row } from './harness.js';
import { formatNumber, formatRatio } from './harness.js';
import type { MachineInfo } from './machine.js';

export interface RunInfo {
  readonly startedAt: string;
  readonly durationS: number;
  readonly mode: 'quick' | 'normal' | 'full';
  readonly suites: readonly string[];
  readonly suiteTitles: Readonly<Record<string, string>>;
  readonly machine: MachineInfo;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  /** Percentage of all CPU time that was busy during the run (ours and everybody else's). */
  readonly cpuBusyPercent: number | undefined;
  /** Suites that threw: the report keeps the other suites' figures and says which failed and why. */
  readonly failures: readonly { suite: string; error: string }[];
}

const esc = (s: string): string => s.replace(/\|/g, '\\|');
/** Relay labels are "system, N clients: metric"; in a ratio cell the system is enough. Other labels stay whole. */
const shortLabel = (label: string): string => (/, \d+ clients: /.test(label) ? (label.split(',')[0] ?? label) : label);

function rowLine(r: Row): string {
  const base = r.baselines.map((b) => `${formatRatio(b.ratio)} vs ${esc(shortLabel(b.label))}`).join('; ');
  return `| ${esc(r.label)} | ${formatNumber(r.summary.median)} | ${formatNumber(r.summary.min)} | ${formatNumber(r.summary.max)} | ${esc(r.unit)} | ${r.summary.n} | ${base} | ${esc(r.note ?? '')} |`;
}

const goalLine = (g: Goal): string =>
  `| ${esc(g.text)} | ${esc(g.measured)} | ${g.status === 'met' ? '✅ met' : g.status === 'missed' ? '❌ missed' : '— not measured'} | ${esc(g.why ?? '')} |`;

/** What renderMarkdown reads: a live context or the same data loaded back from a results JSON. */
export type RenderInput = Pick<BenchContext, 'rows' | 'goals' | 'notes'>;

export function renderMarkdown(ctx: RenderInput, info: RunInfo): string {
  const m = info.machine;
  const lines: string[] = [];
  lines.push('# Kindkluis benchmark results', '');
  lines.push(
    `Run ${info.startedAt}, ${info.mode} mode, ${info.durationS.toFixed(0)} s, commit ${m.gitCommit}. ` +
      `${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGb} GB, Node ${m.node}, ${m.platform}.`,
    '',
    `Machine load: load average ${info.loadAverageStart.map((x) => x.toFixed(2)).join(' / ')} at the start, ` +
      `${info.loadAverageEnd.map((x) => x.toFixed(2)).join(' / ')} at the end (1/5/15 min); ` +
      `CPUs ${info.cpuBusyPercent === undefined ? 'unknown' : `${info.cpuBusyPercent.toFixed(0)} %`} busy on average during the run (all processes). ` +
      'Absolute figures depend on that load; the ratios against baselines measured in the same run are the figures to compare.',
    '',
    'Columns: median, min and max over the repetitions (n); the ratio is subject ÷ baseline, per interleaved repetition pair where both have the same n (median and range of those ratios), else the ratio of medians. See README "Reading benchmark results".',
    '',
  );
  if (ctx.goals.length > 0) {
    lines.push('## Goals (issue 8)', '', '| goal | measured | status | why / what would fix it |', '|---|---|---|---|');
    for (const g of ctx.goals) lines.push(goalLine(g));
    lines.push('');
  }
  for (const suite of info.suites) {
    const rows = ctx.rows.filter((r) => r.suite === suite);
    const failure = info.failures.find((f) => f.suite === suite);
    lines.push(`## ${info.suiteTitles[suite] ?? suite}`, '');
    if (failure) lines.push(`**Suite failed:** ${failure.error}`, '');
    if (rows.length > 0) {
      lines.push('| measurement | median | min | max | unit | n | ratio vs baseline | note |', '|---|---:|---:|---:|---|---:|---|---|');
      for (const r of rows) lines.push(rowLine(r));
      lines.push('');
    }
    const notes = ctx.notes.filter((n) => n.startsWith(`${suite}: `)).map((n) => n.slice(suite.length + 2));
    for (const n of notes) lines.push(`- ${n}`);
    if (notes.length > 0) lines.push('');
  }
  return lines.join('\n');
}

export function writeResults(ctx: BenchContext, info: RunInfo, basePath: string): { md: string; json: string } {
  mkdirSync(dirname(basePath), { recursive: true });
  const md = `${basePath}.md`;
  const json = `${basePath}.json`;
  writeFileSync(md, renderMarkdown(ctx, info));
  writeFileSync(json, JSON.stringify({ run: info, goals: ctx.goals, notes: ctx.notes, rows: ctx.rows }, null, 2) + '\n');
  return { md, json };
}
