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
    // The keystore's argon2id runs as WebAssembly (hash-wasm), which an MV3 page may compile only with
    // 'wasm-unsafe-eval'. Stated here rather than left to Chrome's default, and nothing else is loosened:
    // scripts only from the extension itself, no eval, no remote code.
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';" },
  },
  vite: () => ({ plugins: [preact()] }),
});
