/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run app [-- --port N]`: the browser app, served from the package's own source on 127.0.0.1 (no network needed).
import {fileURLToPath} from 'node:url';

import {defineConfig} from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  resolve: {alias: {'tfjs-integral': fileURLToPath(new URL('../src/index.ts', import.meta.url))}},
  server: {host: '127.0.0.1', port: 5173, strictPort: true},
  // Pre-bundled once when the server starts: tfjs and the plotting libraries.
  optimizeDeps: {include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'vega', 'vega-lite']},
  build: {outDir: fileURLToPath(new URL('../dist/app', import.meta.url)), emptyOutDir: true, target: 'es2020'},
  clearScreen: false,
});
