/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {findBackend, getKernel, KernelConfig, registerKernel, unregisterKernel, version_core} from '@tensorflow/tfjs-core';

import {integralWeightCompositeConfig, integralWeightBackpropCompositeConfig} from './composite/IntegralWeight';
import {integralWeightHostConfig} from './cpu/IntegralWeight';
import {integralWeightBackpropHostConfig} from './cpu/IntegralWeightBackprop';
import {integralConv2DConfig} from './composite/IntegralConv2D';
import {integralMatMulConfig} from './composite/IntegralMatMul';
import {conv2DBackpropFilterWasmConfig} from './wasm/Conv2DBackpropFilter';
import {conv2DBackpropInputWasmConfig} from './wasm/Conv2DBackpropInput';
import {depthwiseConv2dNativeBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropInputWasmConfig} from './wasm/DepthwiseConv2dNativeBackprop';
import {maxPoolGradWasmConfig} from './wasm/MaxPoolGrad';
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

/** Stock kernels that tfjs 4.22's wasm backend lacks and training needs: registered only where missing. */
export const wasmMissingKernels: KernelConfig[] = [
  conv2DBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
];

/** Stock wasm kernels of tfjs 4.x that are far slower than a formulation on wasm's fast kernels: replaced. */
export const wasmFasterKernels: KernelConfig[] = [conv2DBackpropInputWasmConfig, maxPoolGradWasmConfig];

/** What this module changed in the wasm backend's registry, and what it replaced. */
const wasmChanges: Array<{config: KernelConfig, replaced?: KernelConfig}> = [];

// Idempotent: a second copy of this module (e.g. ESM and UMD builds in one page) registers nothing twice.
for (const config of [...weightKernels, ...twoStageKernels, ...wasmMissingKernels]) {
  if (getKernel(config.kernelName, config.backendName) != null) continue;
  registerKernel(config);
  if (wasmMissingKernels.includes(config)) wasmChanges.push({config});
}
for (const config of version_core.startsWith('4.') ? wasmFasterKernels : []) {
  const replaced = getKernel(config.kernelName, config.backendName);
  if (replaced?.kernelFunc === config.kernelFunc) continue;
  if (replaced != null) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
  wasmChanges.push({config, replaced});
}

/**
 * Opt out of the wasm training kernels: removes the ones importing the package added to tfjs's wasm backend
 * (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`) and puts
 * back tfjs's own `Conv2DBackpropInput` and `MaxPoolGrad`. Returns the names of the kernels it touched.
 */
export function unregisterWasmTrainingKernels(): string[] {
  const names = wasmChanges.map(c => c.config.kernelName);
  // A backend runs its kernels' setup when it starts: a kernel put back after that needs its setup now.
  const wasm = findBackend('wasm');
  for (const {config, replaced} of wasmChanges) {
    unregisterKernel(config.kernelName, 'wasm');
    if (replaced == null) continue;
    registerKernel(replaced);
    if (wasm != null) replaced.setupFunc?.(wasm);
  }
  wasmChanges.length = 0;
  return names;
}
