import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// WXT builds the extension from extension/ into .output/chrome-mv3.
// Least privilege: no content scripts, no host permissions up front; the relay
// origin is requested at run time (optional_host_permissions) when the user sets it.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  publicDir: 'extension/public',
  manifest: {
    name: 'Kindkluis',
    description: 'Versleutelde dossiers voor passend onderwijs',
    permissions: ['storage', 'sidePanel', 'alarms', 'notifications'],
    optional_host_permissions: ['ws://*/*', 'wss://*/*'],
    action: { default_title: 'Kindkluis' },
  },
  vite: () => ({ plugins: [preact()] }),
});
