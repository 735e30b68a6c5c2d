/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {getKernel, KernelConfig, registerKernel, unregisterKernel} from '@tensorflow/tfjs-core';

import {integralWeightCompositeConfig, integralWeightBackpropCompositeConfig} from './composite/IntegralWeight';
import {integralWeightHostConfig} from './cpu/IntegralWeight';
import {integralWeightBackpropHostConfig} from './cpu/IntegralWeightBackprop';
import {integralConv2DConfig} from './two_stage/IntegralConv2D';
import {integralMatMulConfig} from './two_stage/IntegralMatMul';
import {conv2DBackpropFilterWasmConfig} from './wasm/Conv2DBackpropFilter';
import {depthwiseConv2dNativeBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropInputWasmConfig} from './wasm/DepthwiseConv2dNativeBackprop';
import {integralWeightBackpropWebGLConfig, integralWeightWebGLConfig} from './webgl/IntegralWeight';
import {integralWeightBackpropWebGPUConfig, integralWeightWebGPUConfig} from './webgpu/IntegralWeight';

/**
 * Backends whose weight kernels run the TypedArray reference maths on the host: cpu, and wasm, whose reads are
 * heap copies (measured much faster there than the composite's dense interpolation matrices).
 */
const HOST_BACKENDS = ['cpu', 'wasm'];

/** Backends served by the weight kernels built from standard ops: tfjs-node(-gpu), whose data may live on a GPU. */
const COMPOSITE_BACKENDS = ['tensorflow'];

/** Every backend the integral kernels are registered for. */
export const INTEGRAL_BACKENDS = [...HOST_BACKENDS, 'webgl', 'webgpu', ...COMPOSITE_BACKENDS];

const weightKernels: KernelConfig[] = [
  ...HOST_BACKENDS.flatMap(b => [integralWeightHostConfig(b), integralWeightBackpropHostConfig(b)]),
  integralWeightWebGPUConfig, integralWeightBackpropWebGPUConfig,
  integralWeightWebGLConfig, integralWeightBackpropWebGLConfig,
  ...COMPOSITE_BACKENDS.flatMap(b => [integralWeightCompositeConfig(b), integralWeightBackpropCompositeConfig(b)]),
];

/** The matmul and conv kernels compose each backend's weight kernel with its own tuned matmul / conv. */
const twoStageKernels = INTEGRAL_BACKENDS.flatMap(b => [integralMatMulConfig(b), integralConv2DConfig(b)]);

/**
 * Stock kernels that tfjs 4.22's wasm backend lacks and training needs. Registered only where missing, so a tfjs
 * that ships its own wins.
 */
export const wasmTrainingKernels: KernelConfig[] = [
  conv2DBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
];

/** The wasm training kernels this package registered (those tfjs lacked). */
const addedWasmTrainingKernels: KernelConfig[] = [];

// Idempotent: a second copy of this module (e.g. ESM and UMD builds in one page) registers nothing twice.
for (const config of [...weightKernels, ...twoStageKernels, ...wasmTrainingKernels]) {
  if (getKernel(config.kernelName, config.backendName) != null) continue;
  registerKernel(config);
  if (wasmTrainingKernels.includes(config)) addedWasmTrainingKernels.push(config);
}

/**
 * Opt out of the wasm training kernels (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput`) that importing the package added to tfjs's wasm backend. Returns their names.
 */
export function unregisterWasmTrainingKernels(): string[] {
  const names = addedWasmTrainingKernels.map(k => k.kernelName);
  for (const name of names) unregisterKernel(name, 'wasm');
  addedWasmTrainingKernels.length = 0;
  return names;
}
