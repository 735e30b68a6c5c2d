/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// WebGPU in Node through Dawn (npm `webgpu`) on SwiftShader's Vulkan driver (Debian's chromium). Must run before
// '@tensorflow/tfjs-backend-webgpu' is imported: that backend registers itself only if `navigator.gpu` exists.
import {tmpdir} from 'node:os';
import {create, globals} from 'webgpu';

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= tmpdir();
Object.assign(globalThis, globals);
const g = globalThis as {navigator?: {gpu?: unknown}};
g.navigator ??= {};
g.navigator.gpu = create([]);
