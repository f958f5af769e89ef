// The small IPC contract between the benchmark and a server child process:
// the child says where it listens, reports its own CPU time and resident memory on request (so the
// report can give server CPU per delivery, a figure far less sensitive to other
// users of the machine than wall-clock throughput) and stops on request.
import { z } from 'zod';

export const childRequest = z.discriminatedUnion('type', [z.object({ type: z.literal('cpu') }), z.object({ type: z.literal('stop') })]);
export type ChildRequest = z.infer<typeof childRequest>;

export const childReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int().positive(), info: z.string() }),
  z.object({ type: z.literal('cpu'), userUs: z.number(), systemUs: z.number(), rssBytes: z.number() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ChildReply = z.infer<typeof childReply>;

/** Wire a started server into the IPC channel; `stop` closes it and exits. */
export function serveOverIpc(port: number, info: string, stop: () => Promise<void>): void {
  const send = (m: ChildReply): void => {
    process.send?.(m);
  };
  process.on('message', (raw: unknown) => {
    const parsed = childRequest.safeParse(raw);
    if (!parsed.success) return;
    switch (parsed.data.type) {
      case 'cpu': {
        const u = process.cpuUsage();
        send({ type: 'cpu', userUs: u.user, systemUs: u.system, rssBytes: process.memoryUsage.rss() });
        break;
      }
      case 'stop':
        void stop().finally(() => process.exit(0));
        break;
    }
  });
  // The benchmark died: do not linger as an orphan holding a port.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port, info });
}

export function failOverIpc(error: unknown): never {
  process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies ChildReply);
  process.exit(1);
}
