/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import {Presets, SingleBar} from 'cli-progress';

/** Progress of one long step: `tick` after each unit of work, `stop` at the end. */
export interface Progress {
  tick(payload?: Record<string, string>): void;
  stop(): void;
}

/** Creates the progress display of a step of `total` units (or none). */
export type ProgressFactory = (label: string, total: number) => Progress;

/** No display (tests, non-interactive runs). */
export const silentProgress: ProgressFactory = () => ({tick() {}, stop() {}});

/** A cli-progress bar on stderr, with the step's label and any payload (loss, accuracy) after the counts. */
export const barProgress: ProgressFactory = (label, total) => {
  const bar = new SingleBar({
    format: `${label.padEnd(34)} {bar} {value}/{total} | {eta_formatted} left {info}`,
    hideCursor: true,
    etaBuffer: 20,
  }, Presets.shades_classic);
  bar.start(total, 0, {info: ''});
  return {
    tick(payload) {
      const info = payload == null ? '' : Object.entries(payload).map(([k, v]) => `${k} ${v}`).join(' ');
      bar.increment(1, {info});
    },
    stop() {
      bar.stop();
    },
  };
};

/** `fit` callbacks that tick `progress` after every batch with the running loss and accuracy. */
export function batchProgressCallbacks(progress: Progress): tfl.CustomCallbackArgs {
  return {
    onBatchEnd: async (_batch, logs) => {
      progress.tick({loss: (logs?.loss ?? NaN).toFixed(3), acc: (logs?.acc ?? NaN).toFixed(3)});
    },
  };
}
