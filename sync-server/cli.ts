// `npm run relay -- --port 8787 --data ./data`: starts the relay and stops it
// gracefully on SIGTERM/SIGINT (in-flight appends are finished and acked first).
import { parseConfig } from './config.js';
import { deleteDossiers, startRelay } from './main.js';
import { jsonLogger } from './log.js';

const config = parseConfig(process.argv.slice(2));
if (!config.ok) {
  process.stderr.write(`${config.error.message}\n`);
  process.exit(2);
}
const log = jsonLogger();
if (config.value.deleteDossiers.length > 0) {
  await deleteDossiers(config.value, log);
  process.exit(0);
}
const running = await startRelay(config.value, log);
process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), level: 'info', event: 'ready', url: running.url })}\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log('info', 'signal', { signal });
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
