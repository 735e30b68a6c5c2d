/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {LayerKind} from './layer_kind';

/**
 * Element-wise merges: every operand and the output share one channel group (a residual stream), except an operand
 * of one channel broadcast over the others (an attention mask), which stays discrete.
 */
export const mergeKind: LayerKind = {
  classNames: ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'],
  rule: 'merge',
  needsWholeInput: true,
};
