// Machine facts for the report: CPUs, Node, load average and how busy the CPUs
// were during the run (from /proc/stat), so a reader can judge the noise.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** Aggregate CPU jiffies from /proc/stat; undefined where there is no /proc. */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export function busyPercent(from: CpuTimes | undefined, to: CpuTimes | undefined): number | undefined {
  if (!from || !to || to.total === from.total) return undefined;
  return (100 * (to.busy - from.busy)) / (to.total - from.total);
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly totalMemoryGb: number;
  readonly gitCommit: string;
}

export function machineInfo(): MachineInfo {
  let gitCommit = 'unknown';
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout; the report says "unknown"
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryGb: Math.round(os.totalmem() / 1e8) / 10,
    gitCommit,
  };
}

export const loadAverage = (): readonly [number, number, number] => {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return [a, b, c];
};
