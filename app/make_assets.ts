/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run app:assets` (after `npm run demo`): writes what the app bundles under app/public/ — the demo's trained
// Fashion-MNIST CNN (demo/output/trained) and a sample of the Fashion-MNIST test split as raw bytes.
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, parseIdx} from '../demo/fashion_mnist';
import type {SampleMeta} from './samples';

/** Test images bundled: the first half calibrates, the second half is scored. */
const SAMPLE_SIZE = 1024;
const trained = 'demo/output/trained';
const out = 'app/public';

mkdirSync(join(out, 'models/fashion-mnist'), {recursive: true});
for (const file of ['model.json', 'weights.bin']) copyFileSync(join(trained, file), join(out, 'models/fashion-mnist', file));

const idx = (name: string) => parseIdx(readFileSync(join(DEBIAN_FASHION_MNIST_DIR, name)), name).data;
const images = idx('t10k-images-idx3-ubyte.gz').subarray(0, SAMPLE_SIZE * 28 * 28);
const labels = idx('t10k-labels-idx1-ubyte.gz').subarray(0, SAMPLE_SIZE);
const samples = join(out, 'samples/fashion-mnist');
mkdirSync(samples, {recursive: true});
writeFileSync(join(samples, 'images.u8'), images);
writeFileSync(join(samples, 'labels.u8'), labels);
const meta: SampleMeta = {
  description: `the first ${SAMPLE_SIZE} images of the Fashion-MNIST test split`, count: SAMPLE_SIZE, shape: [28, 28, 1],
  scale: 1 / 255, classes: FASHION_MNIST_CLASSES,
};
writeFileSync(join(samples, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(`wrote ${out}/models/fashion-mnist and ${samples} (${SAMPLE_SIZE} images)`);
