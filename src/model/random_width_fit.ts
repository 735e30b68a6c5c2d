/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelGroup} from '../converter/channel_groups';
import {scaled} from '../network/widths';
import {assertArg} from '../util/errors';
import {MAX_UPSAMPLING} from '../util/limits';
import {mulberry32} from '../util/random';

/** Random-width training (docs/inn-math.md §6): one width per continuous group and batch, drawn uniformly. */
export interface RandomWidth {
  /** Smallest width, as a fraction of each group's original width (rounded, at least 1). */
  min: number;
  /** Largest width, as a fraction (default 1, at most 16). */
  max?: number;
  /** Seed of the draws: groups in `groups` order, one draw per group per batch (default 1). */
  seed?: number;
}

/** `model.fit` arguments plus {@link RandomWidth}. */
export type IntegralFitArgs = tfl.ModelFitArgs&{
  /** Train at random widths (see {@link RandomWidth}). */
  randomWidth?: RandomWidth;
};

/** `spec` checked: Errors name `op` and the field. */
export function checkedRandomWidth(spec: unknown, op: string): Required<RandomWidth> {
  assertArg(spec != null && typeof spec === 'object', op, 'randomWidth', 'an object {min, max?, seed?}', spec);
  const {min, max = 1, seed = 1} = spec as RandomWidth;
  assertArg(typeof min === 'number' && min > 0 && min <= MAX_UPSAMPLING, op, 'randomWidth.min',
            `a fraction in (0, ${MAX_UPSAMPLING}]`, min);
  assertArg(typeof max === 'number' && max >= min && max <= MAX_UPSAMPLING, op, 'randomWidth.max',
            `a fraction in [min, ${MAX_UPSAMPLING}]`, max);
  assertArg(Number.isSafeInteger(seed), op, 'randomWidth.seed', 'an integer', seed);
  return {min, max, seed};
}

/**
 * The callbacks of a random-width fit: before each batch, `set(widths)` with one seeded width per continuous group
 * (uniform integers between `round(min·n)` and `round(max·n)`, groups in order); after it, `restore()`. The user's
 * callbacks follow.
 */
export function randomWidthCallbacks(spec: Required<RandomWidth>, groups: ChannelGroup[],
                                     set: (widths: Map<string, number>) => void, restore: () => void,
                                     user: tfl.ModelFitArgs['callbacks']): tfl.ModelFitArgs['callbacks'] {
  const random = mulberry32(spec.seed);
  const continuous = groups.filter(g => g.continuous && g.segments == null);
  const callbacks = {
    onBatchBegin: async () => set(new Map(continuous.map(g => {
      const lo = scaled(spec.min, g.originalSize), hi = Math.max(lo, scaled(spec.max, g.originalSize));
      return [g.name, lo + Math.floor(random() * (hi - lo + 1))];
    }))),
    onBatchEnd: async () => restore(),
  };
  const others = user == null ? [] : Array.isArray(user) ? user : [user];
  return [callbacks, ...others] as tfl.ModelFitArgs['callbacks'];
}
