// Entry bundled into an extension page of the built extension (evaluated over CDP, so
// no bench code ships in the extension): the keystore's own argon2id (core/crypto/keystore
// argon2idKey) with a named implementation, timed inside the page, under the page's CSP.
import { argon2idKey, type Argon2idImplementation } from '../../core/crypto/keystore.js';

const PASSWORD = new TextEncoder().encode('een lange wachtwoordzin voor de meting');

/** Milliseconds for one 32-byte argon2id derivation (p = 1) with a fresh salt, as one unlock does. */
export async function derive(impl: Argon2idImplementation | undefined, m: number, t: number): Promise<number> {
  // Out of the CDP evaluation's task, so the page's CSP decides whether WebAssembly may compile (see csp()).
  await new Promise((r) => setTimeout(r, 0));
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const t0 = performance.now();
  const key = await argon2idKey(PASSWORD, salt, { m, t, p: 1 }, impl);
  const ms = performance.now() - t0;
  if (key.length !== 32) throw new Error(`argon2id gaf ${key.length} bytes`);
  return ms;
}

/** What the page's CSP allows: eval must stay refused, WebAssembly must compile ('wasm-unsafe-eval'). */
export async function csp(): Promise<{ evalRefused: boolean; wasmCompiles: boolean }> {
  // Leave the CDP evaluation's own task first: DevTools lifts the CSP for the code it evaluates, not for later tasks.
  await new Promise((r) => setTimeout(r, 0));
  let evalRefused = false;
  try {
    new Function('return 1')(); // probing the CSP: this must throw
  } catch {
    evalRefused = true;
  }
  let wasmCompiles = false;
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    wasmCompiles = true;
  } catch {
    wasmCompiles = false;
  }
  return { evalRefused, wasmCompiles };
}
