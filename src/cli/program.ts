/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {Command, CommanderError, InvalidArgumentError, Option} from 'commander';

import {MAX_CHANNELS, MAX_UPSAMPLING} from '../util/limits';
import {version} from '../version';
import {NODE_BACKENDS, useFastestNodeBackend} from './node_backend';

/** Where the CLI writes: standard output and standard error. */
export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const QUADRATURES = ['trapezoid', 'simpson', 'riemann'];

/** A plain decimal number (`0.5`, `.25`, `2`, `1e-3`), or NaN for anything else (`0x10`, `1_0`, `Infinity`, ''). */
function decimal(value: string): number {
  return /^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim()) ? Number(value) : NaN;
}

function positiveFraction(value: string): number {
  const width = decimal(value);
  if (!(width > 0 && width <= MAX_UPSAMPLING)) {
    throw new InvalidArgumentError(`expected a decimal fraction of the original widths in (0, ${MAX_UPSAMPLING}] ` +
                                   `(e.g. 0.5), got '${value}'.`);
  }
  return width;
}

function budgetFraction(value: string): number {
  const fraction = decimal(value);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new InvalidArgumentError(`expected a decimal fraction in (0, 1] (e.g. 0.3), got '${value}'.`);
  }
  return fraction;
}

function groupWidth(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^(.+)=(\d+)$/.exec(value);
  if (match == null || !(Number(match[2]) >= 1 && Number(match[2]) <= MAX_CHANNELS)) {
    throw new InvalidArgumentError(`expected <group name>=<width, an integer in [1, ${MAX_CHANNELS}]> ` +
                                   `(e.g. conv2d_Conv2D1=48), got '${value}'.`);
  }
  return {...previous, [match[1]]: Number(match[2])};
}

function widthRange(value: string): {min: number, max: number} {
  const [min, max = 1] = value.split(',').map(decimal);
  if (!(min > 0 && min <= 1 && max >= min && max <= MAX_UPSAMPLING) || value.split(',').length > 2) {
    throw new InvalidArgumentError(`expected <min>[,<max>] fractions with 0 < min ≤ max (e.g. 0.25,1), got '${value}'.`);
  }
  return {min, max};
}

/** Commander's parser of an integer ≥ 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected an integer ≥ 1, got '${value}'.`);
  }
  return n;
}

/** Commander's parser of a decimal number in (0, 1e6]. */
export function positiveNumber(value: string): number {
  const n = decimal(value);
  if (!(n > 0 && n <= 1e6)) throw new InvalidArgumentError(`expected a decimal number in (0, 1e6], got '${value}'.`);
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'.`);
  }
  return n;
}

/**
 * The `tfjs-integral` command line: `inspect`, `convert`, `resample`, `distill`, `export`. The tfjs backend is chosen before
 * the package's kernels load (tfjs-backend-wasm replaces kernels registered before it).
 */
export function createProgram(output: CliOutput): Command {
  const program = new Command('tfjs-integral')
      .description('Integral Neural Networks for TensorFlow.js: convert a LayersModel, resample it to any width, ' +
                   'calibrate and distill it without labels, export a stock model.')
      .addOption(new Option('--backend <name>', 'tfjs backend (default: the fastest installed)')
                     .choices(NODE_BACKENDS.map(b => b.name)))
      .version(version, '--version', 'print the version of tfjs-integral')
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({writeOut: output.out, writeErr: output.err})
      .exitOverride();
  program.hook('preAction', async () => {
    const backend = await useFastestNodeBackend(program.opts<{backend?: string}>().backend);
    output.err(`tfjs-integral: ${backend} backend` + (backend === 'cpu' ?
        ' (slow: npm install @tensorflow/tfjs-backend-wasm runs the same work tens of times faster)\n' : '\n'));
  });
  const commands = () => import('./commands');
  const print = (line: string) => output.out(`${line}\n`);

  program.command('inspect')
      .description('list the channel groups (widths, continuous or discrete and why) and parameters of a model')
      .argument('<in>', 'model.json, or a directory holding one (stock or IntegralModel)')
      .option('--json', 'print the report as JSON')
      .action(async (input: string, o: {json?: boolean}) => (await commands()).inspect(input, print, o.json));

  program.command('convert')
      .description('wrap a stock LayersModel as an IntegralModel (exact at the original width) and save it')
      .argument('<in>', 'model.json of a stock LayersModel, or its directory')
      .argument('<out>', 'directory for the IntegralModel (model.json + weights.bin)')
      .option('--no-permute', 'keep the channel order (no smoothing permutation)')
      .addOption(new Option('--quadrature <rule>', 'quadrature of the integrated axes').choices(QUADRATURES)
                     .default('trapezoid'))
      .option('--seed <n>', 'seed of the permutation search', nonNegativeInteger, 1)
      .option('--force', 'overwrite a model saved in <out>')
      .option('--json', 'print the report as JSON')
      .action(async (input: string, out: string, o: {permute: boolean, quadrature: 'trapezoid', seed: number,
                                                       force?: boolean, json?: boolean}) =>
                  (await commands()).convert(input, out, {...o, force: o.force ?? false}, print));

  program.command('resample')
      .description('resample an IntegralModel to other widths and save it as an IntegralModel')
      .argument('<in>', 'model.json of an IntegralModel, or its directory')
      .argument('<out>', 'directory for the resampled IntegralModel')
      .option('--width <fraction>', 'width of every continuous group, as a fraction of its original width',
              positiveFraction)
      .option('--group <name=width>', 'width of one group in channels (repeatable; overrides --width)', groupWidth, {})
      .option('--params <fraction>', 'search per-group widths under this fraction of the parameters (with --calibrate)',
              budgetFraction)
      .option('--flops <fraction>', 'search per-group widths under this fraction of the FLOPs (with --calibrate)',
              budgetFraction)
      .option('--calibrate <data>', 'calibrate on unlabeled inputs: a .npy float32 array [N, ...input shape] or a ' +
              'directory of PNG/JPEG images (resized to the input)')
      .option('--samples <n>', 'calibration inputs to read at most', positiveInteger, 512)
      .option('--scale <factor>', 'factor applied to image pixels (0-255) for calibration', positiveNumber, 1 / 255)
      .option('--uniform', 'calibrate on the uniform grid (default: a grid fitted to the data)')
      .option('--rows-per-regressor <n>', 'rows (inputs × output positions) a layer\'s least squares reads at most ' +
              'per regressor (default: calibrate\'s, 1024)', positiveInteger)
      .option('--distill <epochs>', 'after calibrating, distill that many epochs on the same inputs', positiveInteger)
      .option('--force', 'overwrite a model saved in <out>')
      .option('--json', 'print the report as JSON')
      .action(async (input: string, out: string, o: {width?: number, params?: number, flops?: number,
                                                       group: Record<string, number>, force?: boolean,
                                                       calibrate?: string, samples: number, scale: number,
                                                       distill?: number, uniform?: boolean,
                                                       rowsPerRegressor?: number, json?: boolean}) =>
                  (await commands()).resample(input, out, {...o, force: o.force ?? false}, print));

  program.command('distill')
      .description('train an IntegralModel without labels toward its reference network, at its widths or for a ' +
                   'range of widths, and save it')
      .argument('<in>', 'model.json of an IntegralModel, or its directory')
      .argument('<out>', 'directory for the distilled IntegralModel')
      .requiredOption('--data <path>', 'unlabeled inputs: a .npy float32 array [N, ...input shape] or a directory of ' +
                      'PNG/JPEG images (resized to the input)')
      .option('--samples <n>', 'inputs to read at most', positiveInteger, 60000)
      .option('--scale <factor>', 'factor applied to image pixels (0-255)', positiveNumber, 1 / 255)
      .option('--epochs <n>', 'passes over the inputs', positiveInteger, 1)
      .option('--learning-rate <rate>', "Adam's starting rate (cosine decay)", positiveNumber, 5e-3)
      .option('--temperature <t>', 'softmax temperature of a classifier', positiveNumber, 1)
      .option('--widths <min[,max]>', 'train once for every width in this range of fractions (sandwich rule)',
              widthRange)
      .option('--force', 'overwrite a model saved in <out>')
      .option('--json', 'print the report as JSON')
      .action(async (input: string, out: string, o: {data: string, samples: number, scale: number, epochs: number,
                                                       learningRate: number, temperature: number,
                                                       widths?: {min: number, max: number}, force?: boolean,
                                                       json?: boolean}) =>
                  (await commands()).distill(input, out, o, print));

  program.command('export')
      .description('save an IntegralModel at its current widths as a stock LayersModel (no tfjs-integral needed)')
      .argument('<in>', 'model.json of an IntegralModel, or its directory')
      .argument('<out>', 'directory for the stock model')
      .option('--quantize <dtype>', 'store the weights as uint8 (a quarter of the bytes) or float16 (half)')
      .option('--force', 'overwrite a model saved in <out>')
      .option('--json', 'print the report as JSON')
      .action(async (input: string, out: string, o: {force?: boolean, json?: boolean, quantize?: string}) =>
                  (await commands()).exportStock(input, out, o, print));

  for (const command of program.commands) {
    command.showHelpAfterError('(add --help for usage)').configureOutput({writeOut: output.out, writeErr: output.err})
        .exitOverride();
  }
  return program;
}

/** Runs the CLI on `argv` (user arguments only); resolves to the exit status. Errors go to `output.err`. */
export async function runCli(argv: string[], output: CliOutput): Promise<number> {
  const program = createProgram(output);
  try {
    await program.parseAsync(argv, {from: 'user'});
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    output.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
