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
  /**
   * Set by `--merge`: the runs the suites' figures come from, when not all from this one
   * (the suites run now replace their own figures; the others keep theirs, with their own run's load).
   */
  readonly sources?: readonly RunSource[];
}

/** One run's identity and load, and the suites of a merged results file that come from it. */
export interface RunSource {
  readonly suites: readonly string[];
  readonly startedAt: string;
  readonly mode: RunInfo['mode'];
  readonly gitCommit: string;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly cpuBusyPercent: number | undefined;
}

const sourceOf = (info: RunInfo, suites: readonly string[]): RunSource => ({
  suites,
  startedAt: info.startedAt,
  mode: info.mode,
  gitCommit: info.machine.gitCommit,
  loadAverageStart: info.loadAverageStart,
  loadAverageEnd: info.loadAverageEnd,
  cpuBusyPercent: info.cpuBusyPercent,
});

/**
 * The results of `current` (its suites in `info`) laid over an earlier results file: rows,
 * notes and goals of the suites run now replace theirs, every other suite keeps its figures,
 * and `sources` says which run each suite comes from. Goals carry no suite, so a goal is
 * replaced when this run reports one with the same id.
 */
export function mergeResults(
  previous: { run: RunInfo } & RenderInput,
  current: RenderInput,
  info: RunInfo,
): { input: RenderInput; info: RunInfo } {
  const now = new Set(info.suites);
  const kept = previous.run.suites.filter((s) => !now.has(s));
  const suites = [
    ...previous.run.suites.filter((s) => kept.includes(s) || now.has(s)),
    ...info.suites.filter((s) => !previous.run.suites.includes(s)),
  ];
  const earlier = (previous.run.sources ?? [sourceOf(previous.run, previous.run.suites)])
    .map((src) => ({ ...src, suites: src.suites.filter((s) => kept.includes(s)) }))
    .filter((src) => src.suites.length > 0);
  const goalIds = new Set(current.goals.map((g) => g.id));
  const goals = [
    ...previous.goals.map((g) => (goalIds.has(g.id) ? (current.goals.find((c) => c.id === g.id) ?? g) : g)),
    ...current.goals.filter((g) => !previous.goals.some((p) => p.id === g.id)),
  ];
  const isKept = (suite: string) => kept.includes(suite);
  return {
    input: {
      rows: [...previous.rows.filter((r) => isKept(r.suite)), ...current.rows],
      goals,
      notes: [...previous.notes.filter((n) => kept.some((s) => n.startsWith(`${s}: `))), ...current.notes],
    },
    info: {
      ...info,
      suites,
      suiteTitles: { ...previous.run.suiteTitles, ...info.suiteTitles },
      failures: [...previous.run.failures.filter((f) => isKept(f.suite)), ...info.failures],
      sources: [...earlier, sourceOf(info, info.suites)],
    },
  };
}

const loadLine = (start: readonly number[], end: readonly number[], busy: number | undefined): string =>
  `load average ${start.map((x) => x.toFixed(2)).join(' / ')} at the start, ` +
  `${end.map((x) => x.toFixed(2)).join(' / ')} at the end (1/5/15 min); ` +
  `CPUs ${busy === undefined ? 'unknown' : `${busy.toFixed(0)} %`} busy on average during the run (all processes)`;

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
    `Machine load: ${loadLine(info.loadAverageStart, info.loadAverageEnd, info.cpuBusyPercent)}. ` +
      'Absolute figures depend on that load; the ratios against baselines measured in the same run are the figures to compare.',
    '',
  );
  if (info.sources !== undefined && info.sources.length > 1) {
    lines.push(
      "Merged file (`--merge`): each suite's figures and ratios come from one run, listed here; the header above is the latest run.",
      '',
    );
    for (const src of info.sources) {
      lines.push(
        `- ${src.suites.join(', ')}: run ${src.startedAt}, ${src.mode} mode, commit ${src.gitCommit}; ${loadLine(src.loadAverageStart, src.loadAverageEnd, src.cpuBusyPercent)}.`,
      );
    }
    lines.push('');
  }
  lines.push(
    'Columns: median, min and max over the repetitions (n); the ratio is subject ÷ baseline, per interleaved repetition pair where both have the same n (median and range of those ratios), else the ratio of medians. See README "Reading benchmark results".',
    '',
  );
  if (ctx.goals.length > 0) {
    lines.push('## Goals (issues 8 and 19)', '', '| goal | measured | status | why / what would fix it |', '|---|---|---|---|');
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

export function writeResults(ctx: RenderInput, info: RunInfo, basePath: string): { md: string; json: string } {
  mkdirSync(dirname(basePath), { recursive: true });
  const md = `${basePath}.md`;
  const json = `${basePath}.json`;
  writeFileSync(md, renderMarkdown(ctx, info));
  writeFileSync(json, JSON.stringify({ run: info, goals: ctx.goals, notes: ctx.notes, rows: ctx.rows }, null, 2) + '\n');
  return { md, json };
}
