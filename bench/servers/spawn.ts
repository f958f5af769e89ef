// Starts a server under test in its own process (so its event loop competes
// with the load generator only for CPU, never for the same thread) and talks
// to it over IPC: port, CPU time, stop. Every wait here is bounded.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childReply, type ChildReply, type ChildRequest } from './ipc.js';

export interface RunningServer {
  readonly port: number;
  /** Several processes behind one system (relays sharing a database): every port, the first being `port`. */
  readonly ports?: readonly number[];
  readonly info: string;
  /** Total CPU microseconds (user + system) the server process used so far. */
  cpuMicros(): Promise<number>;
  /** Resident set size of the server process(es) now, in bytes. */
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServer(
  script: 'bare-broadcast' | 'yjs-server' | 'kindkluis-relay',
  options: { env?: Readonly<Record<string, string>>; args?: readonly string[]; timeoutMs?: number } = {},
): Promise<RunningServer> {
  const path = fileURLToPath(new URL(`./${script}.ts`, import.meta.url));
  // process.execArgv carries tsx's loader when the benchmark runs under tsx.
  const child: ChildProcess = fork(path, [...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every server process there (to find where a server spends its time).
    execArgv: process.env['BENCH_CPU_PROF']
      ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`]
      : process.execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiters: ((m: ChildReply) => void)[] = [];
  child.on('message', (raw: unknown) => {
    const parsed = childReply.safeParse(raw);
    if (!parsed.success) return;
    for (const w of waiters.splice(0)) w(parsed.data);
  });
  const next = (timeoutMs: number, what: string): Promise<ChildReply> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) while waiting for ${what}`));
      };
      child.once('exit', onExit);
      waiters.push((m) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const request = (m: ChildRequest): void => {
    child.send(m);
  };
  const usage = async (): Promise<Extract<ChildReply, { type: 'cpu' }>> => {
    const reply = next(10_000, 'cpu reply');
    request({ type: 'cpu' });
    const m = await reply;
    if (m.type !== 'cpu') throw new Error(`${script}: unexpected ${m.type}`);
    return m;
  };
  const first = await next(options.timeoutMs ?? 30_000, 'ready message');
  if (first.type === 'error') throw new Error(`${script}: ${first.message}`);
  if (first.type !== 'ready') throw new Error(`${script}: unexpected ${first.type}`);
  return {
    port: first.port,
    info: first.info,
    async cpuMicros() {
      const m = await usage();
      return m.userUs + m.systemUs;
    },
    async rssBytes() {
      return (await usage()).rssBytes;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
