/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run demo [-- --help]`: accuracy vs width on Fashion-MNIST, integral resampling against L1 structured pruning.
import {cpus} from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import {Command} from 'commander';

import {useFastestNodeBackend} from '../src/cli/node_backend';
import {positiveInteger, positiveNumber} from '../src/cli/program';
import {DEBIAN_FASHION_MNIST_DIR} from './fashion_mnist';
import {DEFAULT_DEMO_CONFIG, DEMO_METHODS, DemoConfig, DemoResults, QUANTIZED_METHOD} from './config';
import {barProgress, silentProgress} from './progress';

const program = new Command('npm run demo --')
  .description('Trains the demo CNN on Fashion-MNIST and compares, at 100/75/50/35/25 % width, L1 structured ' +
               'pruning with resampling an Integral Neural Network.')
  .option('--data <dir>', 'directory of the Fashion-MNIST idx .gz files', DEBIAN_FASHION_MNIST_DIR)
  .option('--out <dir>', 'directory for results.json, the plot and the exported models', 'demo/output')
  .option('--train-images <n>', 'training images used, of 60000', positiveInteger, DEFAULT_DEMO_CONFIG.trainImages)
  .option('--epochs <n>', 'epochs of the discrete CNN before the comparison', positiveInteger, DEFAULT_DEMO_CONFIG.epochs)
  .option('--seed <n>', 'seed of initializers, shuffles, permutation and random widths', positiveInteger,
          DEFAULT_DEMO_CONFIG.seed)
  .option('--distill-images <n>', 'unlabeled images each distillation sees per epoch (60000 for the full budget)',
          positiveInteger, DEFAULT_DEMO_CONFIG.distillImages)
  .option('--distill-epochs <n>', 'epochs of each distillation', positiveInteger, DEFAULT_DEMO_CONFIG.distillEpochs)
  .option('--short-distill-images <n>', "unlabeled images of (m)'s short distillation at each width",
          positiveInteger, DEFAULT_DEMO_CONFIG.shortDistillImages)
  .option('--short-distill-learning-rate <rate>', "Adam's starting rate of (m)'s short distillation", positiveNumber,
          DEFAULT_DEMO_CONFIG.shortDistillLearningRate)
  .option('--trained <dir>', 'reuse a model trained by an earlier run (its trained/ directory) instead of training')
  .option('--backend <name>', 'tfjs backend (default: the fastest installed: tensorflow, wasm, cpu)')
  .option('--no-progress', 'no progress bars');

function printTables(results: DemoResults) {
  const percent = (w: number) => `${Math.round(w * 100)} %`;
  const accuracyTable = results.config.widths.map(width => Object.fromEntries([
    ['width', percent(width)],
    ...Object.entries(DEMO_METHODS).map(([key, label]) => [label, results.rows.find(
        r => r.method === key && r.width === width)!.accuracy.toFixed(4)]),
  ]));
  console.log(`\nTest accuracy on ${results.config.testImages} Fashion-MNIST test images:`);
  console.table(accuracyTable);
  console.log('Exported stock models ((c) shown; every method exports the same architecture at a width):');
  console.table(results.rows.filter(r => r.method === 'randomWidth').map(r => ({
    width: percent(r.width), 'hidden channels': r.channels.join('-'), params: r.params, bytes: r.bytes,
    [`inference ms / ${results.config.inferenceBatch} images`]: +r.inferenceMs!.toFixed(1),
  })));
  console.log(`${DEMO_METHODS[QUANTIZED_METHOD]} saved with quantized weights, reloaded by stock tfjs:`);
  console.table(results.rows.filter(r => r.quantized != null).map(r => Object.fromEntries([
    ['width', percent(r.width)], ['float32', `${r.bytes} B, ${r.accuracy.toFixed(4)}`],
    ...r.quantized!.map(q => [q.dtype, `${q.bytes} B, ${q.accuracy.toFixed(4)}`]),
  ])));
}

async function main() {
  program.parse();
  const options = program.opts<{data: string, out: string, trainImages: number, epochs: number, seed: number,
                                distillImages: number, distillEpochs: number, shortDistillImages: number,
                                shortDistillLearningRate: number, trained?: string, backend?: string, progress: boolean}>();
  const backend = await useFastestNodeBackend(options.backend);
  const config: DemoConfig = {
    ...DEFAULT_DEMO_CONFIG, dataDir: options.data, outDir: options.out, trainImages: options.trainImages,
    epochs: options.epochs, seed: options.seed, distillImages: options.distillImages,
    distillEpochs: options.distillEpochs, shortDistillImages: options.shortDistillImages,
    shortDistillLearningRate: options.shortDistillLearningRate,
    trained: options.trained ?? null,
  };
  console.log(`tfjs ${tf.version_core}, backend ${backend}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
  console.log('configuration:', JSON.stringify(config));
  // The package after the backend: tfjs-backend-wasm's own registrations would replace its faster wasm kernels.
  const {runDemo} = await import('./pipeline');
  const results = await runDemo(config, options.progress && process.stderr.isTTY ? barProgress : silentProgress,
                                line => console.log(line));
  printTables(results);
  const s = results.seconds;
  console.log(`seconds: training ${s.training.toFixed(0)}, wrapModel ${s.wrap.toFixed(1)}, (c) epoch ` +
              `${s.randomWidthEpoch.toFixed(0)}, (d) epoch ${s.discreteEpoch.toFixed(0)}, calibration ` +
              `${s.calibration.toFixed(0)}, distillation ${s.distillation.toFixed(0)}, train once ` +
              `${s.trainOnce.toFixed(0)}, evaluation ${s.evaluation.toFixed(0)}, total ${s.total.toFixed(0)}`);
  console.log(`wrote ${config.outDir}/results.json, ${config.outDir}/accuracy-vs-width.png and ` +
              `${results.rows.length} stock models under ${config.outDir}/models/`);
}

main().catch(e => {
  console.error(process.env.DEBUG ? e : e instanceof Error ? e.message : e);
  process.exit(1);
});
