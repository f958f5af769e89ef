// Structured JSON log lines. Only events, codes, counts and opaque ids (room,
// connection number): never content, names, e-mail addresses or device keys.
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

export const jsonLogger =
  (write: (line: string) => void = (l) => process.stdout.write(l)): Logger =>
  (level, event, fields = {}) =>
    write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);

export const silentLogger: Logger = () => undefined;
