// The built extension loads in real Chromium, every page renders in Dutch and is axe-clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings, launchExtension, screenshot, type ExtensionProfile } from './harness.js';

describe('extension in real Chromium', () => {
  let profile: ExtensionProfile;
  beforeAll(async () => {
    profile = await launchExtension('smoke');
  });
  afterAll(async () => {
    await profile?.close();
  });

  it('registers its service worker and asks only for least-privilege permissions', async () => {
    expect(profile.extensionId).toMatch(/^[a-p]{32}$/);
    const manifest = await profile.worker.evaluate(() => {
      type Manifest = { permissions?: string[]; host_permissions?: string[]; content_scripts?: unknown[] };
      const g = globalThis as unknown as { chrome: { runtime: { getManifest(): Manifest } } };
      return g.chrome.runtime.getManifest();
    });
    expect([...(manifest.permissions ?? [])].sort()).toEqual(['alarms', 'notifications', 'sidePanel', 'storage']);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.content_scripts ?? []).toEqual([]);
  });

  for (const page of ['popup.html', 'options.html', 'sidepanel.html', 'dossier.html']) {
    it(`${page} renders and has no serious or critical axe findings`, async () => {
      const p = await profile.open(page);
      await p.locator('main').first().waitFor();
      expect(await p.title()).toBe('Kindkluis');
      await screenshot(p, `smoke-${page.replace('.html', '')}`);
      expect(await axeFindings(p)).toEqual([]);
      await p.close();
    });
  }
});
