// Bundles a core/ entry module into one IIFE script with Vite (rollup), so a
// test can evaluate core code inside a real extension page (CDP evaluation is
// not bound by the page's CSP) without shipping test code in the extension.
import { build, type Rollup } from 'vite';
import { resolve } from 'node:path';

export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(entry), formats: ['iife'], name: globalName, fileName: () => 'bundle.js' },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[];
  for (const o of outputs) {
    for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error(`Bundelen van ${entry} leverde geen code op.`);
}
