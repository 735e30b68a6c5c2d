/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run bench [-- --backends cpu,wasm,webgpu --sections memory,ops,inference,training,wrap,calibration --quick]`: speed of the
// integral ops against the stock tfjs ops measured in the same run, as ratios; training throughput; wrapModel and
// calibration time; inference with reused sampled weights; `distill`: distillation against stock fit; `search`
// (after `npm run demo`): searchWidths; `limits`
// (after `npm run demo`): what limits calibration's accuracy; `graph`: the MobileNetV2 graph model of nsfwjs resampled,
// calibrated and distilled; `another-cnn`: the package path on a CNN of another shape (add `--quick` for the small
// distillation budget only). Prints tables and writes bench/results.json.
import {writeFileSync} from 'node:fs';
import {cpus} from 'node:os';
import {parseArgs} from 'node:util';

import * as tf from '@tensorflow/tfjs-core';

import {AnotherCnnRow, benchAnotherCnn} from './another_cnn_bench';
import {benchCalibration, CalibrationRow} from './calibration_bench';
import {benchCalibrationLimits, CalibrationLimitRow} from './calibration_limits_bench';
import {benchGraphModel, GraphRow} from './graph_bench';
import {benchSearch, SearchRow} from './search_bench';
import {benchWrap} from './converter_bench';
import {benchDistill, DEMO_CNN, DistillRow, MOBILENET_V2_224} from './distill_bench';
import {benchWeightMemory} from './memory_bench';
import {benchInference, benchTrainingStep} from './layers_bench';
import {benchConv2d, benchMatMul, BenchRow, Effort} from './ops_bench';
import {benchTraining, TrainingRow} from './training_bench';

const {values: args} = parseArgs({
  options: {
    backends: {type: 'string', default: 'cpu,wasm,webgpu'},
    quick: {type: 'boolean', default: false},
    out: {type: 'string', default: 'bench/results.json'},
    sections: {type: 'string', default: 'memory,ops,inference,training,wrap,calibration,distill'},
  },
});

// cpu convolutions take seconds per call here: one warmed-up call each.
const EFFORT: Record<string, Effort> = {
  cpu: {rounds: 1, minReps: 1, minMs: 0},
  wasm: {rounds: 5, minReps: 3, minMs: 500},
  webgpu: {rounds: 1, minReps: 1, minMs: 0},
};

async function main() {
  // The engine's per-kernel leak check (on under test setup) misfires on wasm's fused matMul during training.
  tf.env().set('IS_TEST', false);
  const sections = new Set(args.sections!.split(','));
  const backends = args.backends!.split(',');
  // First, while the process is small: the host weight kernel's peak memory (the peak only grows).
  const memory = sections.has('memory') ? [await benchWeightMemory(backends[0])] : [];
  if (memory.length > 0) console.table(memory);
  const rows: BenchRow[] = [];
  for (const backend of sections.has('ops') ? backends : []) {
    if (!(await tf.setBackend(backend))) throw new Error(`bench: backend '${backend}' is not available`);
    const effort = EFFORT[backend] ?? EFFORT.cpu;
    const heavy = backend === 'cpu' || backend === 'webgpu';
    const sizes = args.quick ? [256] : heavy ? [512] : [512, 1024];
    console.error(`benchmarking ${backend} ...`);
    rows.push(...await benchMatMul(backend, effort, sizes, args.quick ? [32] : [32, 128]));
    if (!args.quick) rows.push(...await benchConv2d(backend, effort));
    rows.push(...await benchTrainingStep(backend, effort));
  }
  for (const backend of sections.has('inference') ? backends : []) {
    if (!(await tf.setBackend(backend))) throw new Error(`bench: backend '${backend}' is not available`);
    rows.push(...await benchInference(backend, EFFORT[backend] ?? EFFORT.cpu));
  }
  // Training throughput of the demo CNN: wasm at batch 128; cpu, about 1 image/s, on a small batch.
  const training: TrainingRow[] = [];
  for (const backend of sections.has('training') ? backends.filter(b => b === 'wasm' || b === 'cpu') : []) {
    await tf.setBackend(backend);
    for (const version of ['stock layers', 'integral layers', 'wrapped (wrapModel of the stock CNN)'] as const) {
      training.push(await benchTraining(backend, version, backend === 'wasm' ? 128 : 8, args.quick ? 1 : 3));
    }
  }
  console.table(training.map(r => ({...r, imagesPerSecond: +r.imagesPerSecond.toFixed(1)})));
  // wrapModel (with permutation) runs on wasm, the fastest Node backend here (minutes on cpu for MobileNetV2).
  let wrap: Awaited<ReturnType<typeof benchWrap>> = [];
  if (backends.includes('wasm') && sections.has('wrap')) {
    await tf.setBackend('wasm');
    wrap = await benchWrap(args.quick ? 200 : 1000);
    console.table(wrap);
  }
  // Calibration (docs/api.md §5) on wasm: time and peak memory.
  let calibration: CalibrationRow[] = [];
  if (backends.includes('wasm') && sections.has('calibration')) {
    await tf.setBackend('wasm');
    calibration = await benchCalibration(args.quick!);
    console.table(calibration);
  }
  // Distillation against stock fit of the exported model, at two widths, on each backend that trains fast enough.
  const distill: DistillRow[] = [];
  for (const backend of sections.has('distill') ? backends.filter(b => b !== 'cpu') : []) {
    if (!(await tf.setBackend(backend))) throw new Error(`bench: backend '${backend}' is not available`);
    const quick = args.quick || backend !== 'wasm';
    distill.push(...await benchDistill(backend, DEMO_CNN, [0.5, 0.25], quick ? 512 : 4096, 128));
    if (backend === 'wasm') distill.push(...await benchDistill(backend, MOBILENET_V2_224, [0.5], quick ? 16 : 64, 16));
  }
  if (distill.length > 0) console.table(distill);
  // searchWidths against uniform widths on the demo's trained model (`npm run demo` first; not a default section).
  let search: SearchRow[] = [];
  if (backends.includes('wasm') && sections.has('search')) {
    await tf.setBackend('wasm');
    search = await benchSearch();
    console.table(search);
  }
  // What limits calibration's accuracy on the demo's trained model (`npm run demo` first; not a default section).
  let limits: CalibrationLimitRow[] = [];
  if (backends.includes('wasm') && sections.has('limits')) {
    await tf.setBackend('wasm');
    limits = await benchCalibrationLimits();
    console.table(limits);
  }
  // The MobileNetV2 graph model of nsfwjs at 75 / 50 / 25 % (fetched from the npm registry; not a default section).
  let graph: GraphRow[] = [];
  if (backends.includes('wasm') && sections.has('graph')) {
    await tf.setBackend('wasm');
    graph = await benchGraphModel(...(args.quick ? [16, 16, 32] : [32, 64, 96]) as [number, number, number]);
    console.table(graph);
  }
  // The package path on a CNN of another shape, trained here (not a default section).
  let anotherCnn: AnotherCnnRow[] = [];
  if (backends.includes('wasm') && sections.has('another-cnn')) {
    await tf.setBackend('wasm');
    anotherCnn = await benchAnotherCnn(args.quick ? [[10000, 1]] : [[10000, 1], [60000, 2], [60000, 3]]);
    console.table(anotherCnn);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  console.table(rows.map(r => ({...r, stockMs: +r.stockMs.toFixed(2), integralMs: +r.integralMs.toFixed(2),
                                ratio: +r.ratio.toFixed(3)})));
  writeFileSync(args.out!, JSON.stringify({machine, date: new Date().toISOString(), sections: [...sections], rows,
                                           training, wrap, calibration, distill, memory, search, limits,
                                           graph, anotherCnn}, null, 2) +
                                           '\n');
  console.error(`wrote ${args.out} (${machine})`);
}

main();
