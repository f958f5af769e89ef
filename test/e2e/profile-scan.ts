// Reads every file of a Chromium profile directory, byte for byte, looking for
// plaintext markers in UTF-8 and UTF-16LE (Blink keeps strings, such as a
// form control's saved value in Sessions/, as UTF-16) [R32]. Also finds and
// kills a profile's browser process, to scan what a crash leaves behind.
import { lstatSync, readdirSync, readFileSync, readlinkSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ProfileHit {
  readonly file: string;
  readonly marker: string;
  readonly encoding: 'utf8' | 'utf16le';
}

function* filesUnder(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // removed while we walked (Chromium cleans up temp dirs)
  }
  for (const name of names) {
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (st.isDirectory()) yield* filesUnder(path);
    else if (st.isFile() || st.isSymbolicLink()) yield path;
  }
}

/** Every hit of every marker in every file under `dir`; the file paths are relative to `dir`. */
export function scanProfile(dir: string, markers: readonly string[]): ProfileHit[] {
  if (!existsSync(dir)) throw new Error(`Profielmap ${dir} bestaat niet (al opgeruimd?): er valt niets te controleren.`);
  const patterns = markers.flatMap((marker) =>
    (['utf8', 'utf16le'] as const).map((encoding) => ({ marker, encoding, bytes: Buffer.from(marker, encoding) })),
  );
  const hits: ProfileHit[] = [];
  let files = 0;
  for (const path of filesUnder(dir)) {
    let bytes: Buffer;
    try {
      // A symlink (SingletonLock and friends) is scanned by its target's name, never followed out of the profile.
      bytes = lstatSync(path).isSymbolicLink() ? Buffer.from(readlinkSync(path), 'utf8') : readFileSync(path);
    } catch {
      continue;
    }
    files++;
    for (const p of patterns) if (bytes.includes(p.bytes)) hits.push({ file: relative(dir, path), marker: p.marker, encoding: p.encoding });
  }
  if (files === 0) throw new Error(`Profielmap ${dir} bevat geen bestanden: de scan zou niets bewijzen.`);
  return hits;
}

/** The pid of the browser (not renderer or helper) process that runs on `userDataDir`, from /proc. */
export function browserPid(userDataDir: string): number {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) found.push(Number(entry));
  }
  if (found.length !== 1) throw new Error(`Verwachtte één browserproces voor ${userDataDir}, vond ${found.length} (${found.join(', ')}).`);
  return found[0] as number;
}

/** SIGKILLs the browser process (no shutdown, no final session write: a crash) and waits until it is gone. */
export async function killBrowser(userDataDir: string): Promise<void> {
  const pid = browserPid(userDataDir);
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    // A killed child stays a zombie until Playwright reaps it; a zombie writes nothing more.
    try {
      if (/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return;
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
