import { describe, expect, it } from 'vitest';
import { ok, fail, assertNever } from '../../core/result.js';

describe('Result', () => {
  it('carries a value on success and a coded Dutch error on failure', () => {
    const good = ok(3);
    const bad = fail('niet-toegestaan', 'Deze statuswijziging is niet toegestaan voor uw rol.');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('niet-toegestaan');
  });

  it('assertNever throws on a value the type system did not expect', () => {
    expect(() => assertNever('x' as never)).toThrow(/Onverwachte/);
  });
});
