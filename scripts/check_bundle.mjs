/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Smoke test of the built bundles in plain Node (no TypeScript loader): importing registers the kernels,
// the op agrees with tf.matMul on the sampled weight, and the CLI starts.
import * as tf from '@tensorflow/tfjs';
import * as tfi from '../dist/index.mjs';

await tf.setBackend('cpu');
const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1);
const controls = tf.randomNormal([9, 8], 0, 1, 'float32', 2);
const y = tfi.integralMatMul(x, controls, {outSize: 5});
const expected = tf.matMul(x, tfi.integralWeight(controls, {inSize: 6, outSize: 5}));
const diff = tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0];
if (!(diff < 1e-5) || tf.getKernel(tfi.IntegralMatMul, 'wasm') == null) {
  console.error(`bundle check failed: max difference ${diff}`);
  process.exit(1);
}
console.log(`bundle check: dist/index.mjs loads, registers kernels for ${tfi.INTEGRAL_BACKENDS.join(', ')}; max diff ${diff}`);

// The CLI bundle runs in plain Node and lists its commands.
const {spawnSync} = await import('node:child_process');
const cli = spawnSync(process.execPath, ['dist/cli/tfjs-integral.js', '--help'], {encoding: 'utf8'});
if (cli.status !== 0 || !['inspect', 'convert', 'resample', 'export'].every(c => cli.stdout.includes(c))) {
  console.error(`bundle check failed: dist/cli/tfjs-integral.js --help exited ${cli.status}\n${cli.stdout}${cli.stderr}`);
  process.exit(1);
}
console.log('bundle check: dist/cli/tfjs-integral.js --help lists inspect, convert, resample, export');
