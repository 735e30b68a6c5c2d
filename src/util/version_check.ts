/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {version_core} from '@tensorflow/tfjs-core';
import {layers, SymbolicTensor, version_layers} from '@tensorflow/tfjs-layers';

const {Layer} = layers;

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

/** True for a tfjs-layers object (model, layer or symbolic tensor) built by another copy of `@tensorflow/tfjs-layers`. */
function fromAnotherLayersCopy(value: unknown): boolean {
  if (value == null || typeof value !== 'object') return false;
  const symbolic = 'sourceLayer' in value && 'outputTensorIndex' in value;
  const layer = 'getClassName' in value && 'inboundNodes' in value;
  return (symbolic && !(value instanceof SymbolicTensor)) || (layer && !(value instanceof Layer));
}

/**
 * Throws, in this package's words and with the fix, when `value` (or an entry of an array) comes from another copy of
 * `@tensorflow/tfjs-layers` than the one this package extends: its layers would treat the other copy's symbolic
 * tensors as data and fail with "must be a Tensor or TensorLike, but got 'SymbolicTensor'".
 */
export function assertSameTfjsLayers(where: string, arg: string, value: unknown) {
  const values = Array.isArray(value) ? value : [value];
  if (!values.some(fromAnotherLayersCopy)) return;
  throw new Error(
      `Error in ${where}: '${arg}' comes from another copy of @tensorflow/tfjs-layers than the one tfjs-integral ` +
      `uses (${version_layers}). The project has two copies of tfjs: run \`npm ls @tensorflow/tfjs-layers\` to find ` +
      `them, then install one matching version (npm install @tensorflow/tfjs@~${SUPPORTED_TFJS}.0, or ` +
      `@tensorflow/tfjs-core and -layers ~${SUPPORTED_TFJS}.0) and \`npm dedupe\`; in a page, load tfjs once.`);
}
