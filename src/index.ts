/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Importing the package registers every kernel (all backends) and gradient.
import '../kernels/register_all_kernels';
import './register_all_gradients';

import {registerFileSystemRouter} from './io/file_system';
import {checkTfjsVersions} from './util/version_check';

checkTfjsVersions();
registerFileSystemRouter();

export * from './base';
export {INTEGRAL_BACKENDS, unregisterWasmTrainingKernels} from '../kernels/register_all_kernels';
