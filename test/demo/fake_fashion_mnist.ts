/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

import {encodeIdx} from '../../demo/fashion_mnist';
import {mulberry32} from '../../src/util/random';

/** Writes `n` seeded 28×28 images of 10 classes (a bright square per class on noise) as Fashion-MNIST idx files. */
export function writeFakeSplit(dir: string, prefix: 'train'|'t10k', n: number, seed: number) {
  const random = mulberry32(seed);
  const labels = Uint8Array.from({length: n}, () => Math.floor(random() * 10));
  const images = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < 28 * 28; p++) {
      const [r, c] = [Math.floor(p / 28), p % 28];
      const inSquare = Math.floor(r / 7) === Math.floor(labels[i] / 4) && Math.floor(c / 7) === labels[i] % 4;
      images[i * 784 + p] = Math.min(255, Math.floor(random() * 60) + (inSquare ? 180 : 0));
    }
  }
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), encodeIdx({shape: [n, 28, 28], data: images}));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), encodeIdx({shape: [n], data: labels}));
}
