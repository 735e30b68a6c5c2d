/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// ES module + UMD bundles of the package (and a minified UMD for CDNs), their bundled type declarations (one file,
// for both module formats), and the `tfjs-integral` CLI; tfjs stays external (global `tf` in the UMD builds).
import {nodeResolve} from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import {dts} from 'rollup-plugin-dts';

const external = (id) => id.startsWith('@tensorflow/');
const globals = (id) => (id.startsWith('@tensorflow/') ? 'tf' : undefined);
const banner = '/** tfjs-integral: Integral Neural Networks for TensorFlow.js. Apache-2.0. */';
// Map sources relative to the bundle (dist/ → ../src/...), as they stand in the published package.
const sourcemapPathTransform = (path) => path.replace(/^\.\.\/\.\.\//, '../');
/**
 * Emits `dist/index.node.mjs`: Node's `import` of the package, an ES module over the CommonJS build, so that
 * `import` and `require` in one Node process share one copy of the package (one `IntegralModel` class, one kernel
 * registration), as they share tfjs, whose Node entry points are CommonJS too.
 */
const nodeEsmWrapper = {
  name: 'node-esm-wrapper',
  generateBundle(_, bundle) {
    const names = Object.values(bundle).find(c => c.type === 'chunk' && c.isEntry).exports;
    this.emitFile({type: 'asset', fileName: 'index.node.mjs', source: `${banner}
import cjs from './index.umd.js';
export const {${names.join(', ')}} = cjs;
`});
  },
};
const plugins = (outDir = 'dist') => [
  nodeResolve(),
  typescript({tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir}),
];

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: plugins(),
    output: [
      {file: 'dist/index.mjs', format: 'es', sourcemap: true, sourcemapPathTransform, banner, plugins: [nodeEsmWrapper]},
      {file: 'dist/index.umd.js', format: 'umd', name: 'tfi', globals, sourcemap: true, sourcemapPathTransform, banner},
      {file: 'dist/index.umd.min.js', format: 'umd', name: 'tfi', globals, sourcemap: true, sourcemapPathTransform, banner,
       plugins: [terser({format: {comments: /^\*\* tfjs-integral/}})]},
    ],
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [dts({tsconfig: './tsconfig.build.json'})],
    output: [{file: 'dist/index.d.ts', format: 'es'}, {file: 'dist/index.d.mts', format: 'es'}],
  },
  {
    input: 'src/cli/main.ts',
    // Every package (the CLI's dependencies, tfjs) and Node's modules stay imports; the package's own code is bundled.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    plugins: plugins('dist/cli'),
    // The commands (and the package's kernel registrations) are a chunk loaded after the backend is chosen.
    output: {dir: 'dist/cli', format: 'cjs', entryFileNames: 'tfjs-integral.js', chunkFileNames: '[name].js',
             banner: (chunk) => (chunk.isEntry ? `#!/usr/bin/env node\n${banner}` : banner)},
  },
];
