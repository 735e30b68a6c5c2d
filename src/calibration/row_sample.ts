/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {RowSelection} from '../converter/patches';
import {mulberry32} from '../util/random';

/**
 * The output positions batch `batch` of `batches` contributes to a layer's least squares when it reads at most
 * `maxRows` rows in all: an even share per batch, as a lattice of every `q`-th position along the height and the
 * width (along the one axis longer than 1, for a sequence or a list of rows) at an offset drawn at random, seeded by
 * the batch and its grid, so every fit of the layer, and every candidate compared on it, sums the same rows; all
 * positions when the share holds them.
 */
export function batchRows(batch: number, batches: number, maxRows: number): RowSelection {
  const share = Math.ceil(maxRows / batches);
  return ([b, oh, ow]) => {
    const rows = b * oh * ow;
    if (rows <= share) return null;
    const random = mulberry32(batch * 104729 + rows);
    const q = oh > 1 && ow > 1 ? Math.ceil(Math.sqrt(rows / share)) : Math.ceil(rows / share);
    const steps: [number, number] = [oh > 1 ? Math.min(q, oh) : 1, ow > 1 ? Math.min(q, ow) : 1];
    return {steps, offset: [Math.floor(random() * steps[0]), Math.floor(random() * steps[1])]};
  };
}
