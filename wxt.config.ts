import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// WXT builds the extension from extension/ into .output/chrome-mv3.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  manifest: {
    name: 'Kindkluis',
    description: 'Versleutelde dossiers voor passend onderwijs',
    permissions: ['storage'],
  },
  vite: () => ({ plugins: [preact()] }),
});
