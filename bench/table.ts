/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run bench:table -- bench/results-wasm.json ...`: the README's Markdown tables from benchmark results files.
import {readFileSync} from 'node:fs';

import type {CalibrationRow} from './calibration_bench';
import type {WrapRow} from './converter_bench';
import type {WeightMemoryRow} from './memory_bench';
import type {BenchRow} from './ops_bench';
import type {TrainingRow} from './training_bench';

interface Results {
  machine: string;
  rows: BenchRow[];
  training: TrainingRow[];
  wrap: WrapRow[];
  calibration?: CalibrationRow[];
  memory?: WeightMemoryRow[];
}

const files = process.argv.slice(2);
const results = files.map(f => JSON.parse(readFileSync(f, 'utf8')) as Results);
const fixed = (v: number, digits = 2) => v.toFixed(digits);

console.log(`Measured on ${results[0]?.machine ?? 'unknown'} (${files.join(', ')}).\n`);
console.log('| backend | op | shapes | width | pass | stock ms | integral ms | ratio |');
console.log('| --- | --- | --- | --- | --- | ---: | ---: | ---: |');
for (const r of results.flatMap(x => x.rows)) {
  console.log(`| ${r.backend} | ${r.op} | ${r.shape} | ${r.width} | ${r.pass} | ${fixed(r.stockMs)} | ` +
              `${fixed(r.integralMs)} | ${fixed(r.ratio)}× |`);
}
const training = results.flatMap(x => x.training ?? []);
if (training.length > 0) {
  console.log('\n| training the demo CNN | backend | batch | images/s |');
  console.log('| --- | --- | ---: | ---: |');
  for (const t of training) console.log(`| ${t.model} | ${t.backend} | ${t.batch} | ${fixed(t.imagesPerSecond, 1)} |`);
}
const wrap = results.find(x => x.wrap?.length)?.wrap ?? [];
if (wrap.length > 0) {
  console.log('\n| wrapModel | parameters | groups (continuous) | seconds (permutation) | total variation: identity → permuted | max rel. difference |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const w of wrap) {
    console.log(`| ${w.model} | ${w.parameters} | ${w.groups} (${w.continuousGroups}) | ${fixed(w.wrapSeconds, 1)} ` +
                `(${fixed(w.permutationSeconds, 1)}) | ${fixed(w.tvIdentity, 1)} → ${fixed(w.tvPermuted, 1)} ` +
                `(−${fixed(100 * (1 - w.tvPermuted / w.tvIdentity), 1)} %) | ${w.maxRelativeDifference.toExponential(1)} |`);
  }
}
const calibration = results.find(x => x.calibration?.length)?.calibration ?? [];
if (calibration.length > 0) {
  console.log('\n| calibrate (wasm) | grid | inputs | width | layers fitted | seconds | peak RSS MB | peak tensors MB |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of calibration) {
    console.log(`| ${c.model} | ${c.grid ?? 'uniform'} | ${c.images} | ${c.width} | ${c.layers} | ${fixed(c.seconds, 1)} | ` +
                `${fixed(c.peakRssMB, 0)} | ${fixed(c.peakTensorMB, 0)} |`);
  }
}
const memory = results.flatMap(x => x.memory ?? []);
if (memory.length > 0) {
  console.log('\n| host weight kernel | backend | output MiB | peak memory / output |');
  console.log('| --- | --- | ---: | ---: |');
  for (const m of memory) console.log(`| integralWeight ${m.shape} | ${m.backend} | ${fixed(m.outputMB, 0)} | ${fixed(m.peakOverOutput, 2)}× |`);
}
