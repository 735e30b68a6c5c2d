/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {version_core} from '@tensorflow/tfjs-core';
import {version_layers} from '@tensorflow/tfjs-layers';

/** The tfjs minor version this package is built and tested against. */
export const SUPPORTED_TFJS = '4.22';

/**
 * Warns once, in this package's words, when the tfjs-core or tfjs-layers it loaded is outside the supported minor
 * version (a project on another tfjs installs a second copy beside it, and tensors of one copy are not tensors of
 * the other). Returns the warning, or null when the versions fit.
 */
export function checkTfjsVersions(core = version_core, layers = version_layers,
                                  warn: (message: string) => void = console.warn): string|null {
  const off = [['@tensorflow/tfjs-core', core], ['@tensorflow/tfjs-layers', layers]]
                  .filter(([, v]) => !v.startsWith(`${SUPPORTED_TFJS}.`));
  if (off.length === 0) return null;
  const message = `tfjs-integral supports tfjs ${SUPPORTED_TFJS}.x, but loaded ${off.map(([p, v]) => `${p} ${v}`).join(' and ')}. ` +
      `Mixing versions installs a second copy of tfjs and fails with "must be a Tensor" errors; install matching ` +
      `versions: npm install @tensorflow/tfjs@~${SUPPORTED_TFJS}.0 (or @tensorflow/tfjs-core and -layers ~${SUPPORTED_TFJS}.0).`;
  warn(message);
  return message;
}
