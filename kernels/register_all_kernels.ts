/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {findBackend, getKernel, KernelConfig, registerKernel, unregisterKernel, version_core} from '@tensorflow/tfjs-core';

import {integralConv2DCpuConfig} from './cpu/IntegralConv2D';
import {integralMatMulCpuConfig} from './cpu/IntegralMatMul';
import {integralWeightCpuConfig} from './cpu/IntegralWeight';
import {integralWeightBackpropCpuConfig} from './cpu/IntegralWeightBackprop';
import {integralConv2DTensorflowConfig} from './tensorflow/IntegralConv2D';
import {integralMatMulTensorflowConfig} from './tensorflow/IntegralMatMul';
import {integralWeightTensorflowConfig} from './tensorflow/IntegralWeight';
import {integralWeightBackpropTensorflowConfig} from './tensorflow/IntegralWeightBackprop';
import {integralConv2DWasmConfig} from './wasm/IntegralConv2D';
import {integralMatMulWasmConfig} from './wasm/IntegralMatMul';
import {integralWeightWasmConfig} from './wasm/IntegralWeight';
import {integralWeightBackpropWasmConfig} from './wasm/IntegralWeightBackprop';
import {conv2DBackpropFilterWasmConfig} from './wasm/training/Conv2DBackpropFilter';
import {conv2DBackpropInputWasmConfig} from './wasm/training/Conv2DBackpropInput';
import {depthwiseConv2dNativeBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropInputWasmConfig} from './wasm/training/DepthwiseConv2dNativeBackprop';
import {maxPoolGradWasmConfig} from './wasm/training/MaxPoolGrad';
import {integralConv2DWebGLConfig} from './webgl/IntegralConv2D';
import {integralMatMulWebGLConfig} from './webgl/IntegralMatMul';
import {integralWeightWebGLConfig} from './webgl/IntegralWeight';
import {integralWeightBackpropWebGLConfig} from './webgl/IntegralWeightBackprop';
import {integralConv2DWebGPUConfig} from './webgpu/IntegralConv2D';
import {integralMatMulWebGPUConfig} from './webgpu/IntegralMatMul';
import {integralWeightWebGPUConfig} from './webgpu/IntegralWeight';
import {integralWeightBackpropWebGPUConfig} from './webgpu/IntegralWeightBackprop';

/**
 * This package's kernels, one folder per backend, one file per kernel name (`src/kernel_names.ts`). On every
 * backend `IntegralWeight` / `IntegralWeightBackprop` are its own programs (host loops on cpu and wasm, a shader pass
 * on webgl and webgpu, standard ops on tensorflow), and `IntegralMatMul` / `IntegralConv2D` are two stages: that
 * backend's `IntegralWeight`, then its own matmul / conv (`shared/two_stage.ts`).
 */
const integralKernels: KernelConfig[] = [
  integralWeightCpuConfig, integralWeightBackpropCpuConfig, integralMatMulCpuConfig, integralConv2DCpuConfig,
  integralWeightWasmConfig, integralWeightBackpropWasmConfig, integralMatMulWasmConfig, integralConv2DWasmConfig,
  integralWeightWebGLConfig, integralWeightBackpropWebGLConfig, integralMatMulWebGLConfig, integralConv2DWebGLConfig,
  integralWeightWebGPUConfig, integralWeightBackpropWebGPUConfig, integralMatMulWebGPUConfig,
  integralConv2DWebGPUConfig,
  integralWeightTensorflowConfig, integralWeightBackpropTensorflowConfig, integralMatMulTensorflowConfig,
  integralConv2DTensorflowConfig,
];

/** Every backend the integral kernels are registered for. */
export const INTEGRAL_BACKENDS = [...new Set(integralKernels.map(k => k.backendName))];

/** Stock kernels that tfjs 4.22's wasm backend lacks and training needs: registered only where missing. */
export const wasmMissingKernels: KernelConfig[] = [
  conv2DBackpropFilterWasmConfig, depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
];

/** Stock wasm kernels of tfjs 4.x that are far slower than a formulation on wasm's fast kernels: replaced. */
export const wasmFasterKernels: KernelConfig[] = [conv2DBackpropInputWasmConfig, maxPoolGradWasmConfig];

/** What this module changed in the wasm backend's registry, and what it replaced. */
const wasmChanges: Array<{config: KernelConfig, replaced?: KernelConfig}> = [];
/** Set by {@link unregisterWasmTrainingKernels}: the wasm training kernels stay tfjs's. */
let wasmOptedOut = false;

// Idempotent: a second copy of this module (e.g. ESM and UMD builds in one page) registers nothing twice.
for (const config of integralKernels) {
  if (getKernel(config.kernelName, config.backendName) == null) registerKernel(config);
}
installWasmTrainingKernels();

/**
 * Puts this package's wasm training kernels in the registry: the missing ones where tfjs has none, the faster ones
 * over tfjs's (tfjs 4.x). Run at import, and again before integral layers compute on wasm: importing
 * `@tensorflow/tfjs-backend-wasm` after this package registers tfjs's own kernels over these, whichever order a
 * linter sorts the imports in.
 */
function installWasmTrainingKernels() {
  for (const config of wasmMissingKernels) {
    if (getKernel(config.kernelName, 'wasm') != null) continue;
    registerKernel(config);
    wasmChanges.push({config});
  }
  for (const config of version_core.startsWith('4.') ? wasmFasterKernels : []) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
    const change = wasmChanges.find(c => c.config === config);
    if (change != null) change.replaced = current;
    else wasmChanges.push({config, replaced: current});
  }
}

/** Re-installs the wasm training kernels if tfjs-backend-wasm put its own back since (see above); cheap. */
export function ensureWasmTrainingKernels() {
  if (wasmOptedOut) return;
  const ours = [...wasmChanges.map(c => c.config), ...wasmFasterKernels];
  if (ours.every(c => getKernel(c.kernelName, 'wasm')?.kernelFunc === c.kernelFunc)) return;
  installWasmTrainingKernels();
}

/**
 * Opt out of the wasm training kernels: removes the ones importing the package added to tfjs's wasm backend
 * (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`) and puts
 * back tfjs's own `Conv2DBackpropInput` and `MaxPoolGrad`. Returns the names of the kernels it touched.
 */
export function unregisterWasmTrainingKernels(): string[] {
  wasmOptedOut = true;
  const names = wasmChanges.map(c => c.config.kernelName);
  // A backend runs its kernels' setup when it starts: a kernel put back after that needs its setup now.
  const wasm = findBackend('wasm');
  for (const {config, replaced} of wasmChanges) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc !== config.kernelFunc) continue;
    unregisterKernel(config.kernelName, 'wasm');
    if (replaced == null) continue;
    registerKernel(replaced);
    if (wasm != null) replaced.setupFunc?.(wasm);
  }
  wasmChanges.length = 0;
  return names;
}
