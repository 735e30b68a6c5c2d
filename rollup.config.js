/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// ES module + UMD bundles of the package; tfjs stays external (global `tf` in the UMD build).
import {nodeResolve} from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

const external = (id) => id.startsWith('@tensorflow/');
const globals = (id) => (id.startsWith('@tensorflow/') ? 'tf' : undefined);
const banner = '/** tfjs-integral: Integral Neural Networks for TensorFlow.js. Apache-2.0. */';

export default {
  input: 'src/index.ts',
  external,
  plugins: [
    nodeResolve(),
    typescript({tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined}),
  ],
  output: [
    {file: 'dist/index.mjs', format: 'es', sourcemap: true, banner},
    {file: 'dist/index.umd.js', format: 'umd', name: 'tfi', globals, sourcemap: true, banner},
  ],
};
