/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralEmbedding} from '../../layers/integral_embedding';
import type {LayerKind} from './layer_kind';

/** Embedding: a producer of the embedding axis from discrete rows (the tokens); twin IntegralEmbedding. */
export const embeddingKind: LayerKind = {
  classNames: ['Embedding'],
  rule: 'producer',
  discreteInputs: 'token ids',
  weightAxes: () => [{weight: 0, axis: -1, tensor: 'output'}],
  twin: {
    className: IntegralEmbedding.className,
    widthKey: 'outputDim',
    stockClassName: 'Embedding',
    transposed: false,
    integratesInput: false,
  },
};
