/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {existsSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';

/** A path argument without the `file://` scheme that tfjs URLs carry (both forms are accepted). */
const withoutScheme = (arg: string) => (arg.startsWith('file://') ? arg.slice('file://'.length) : arg);

/** A CLI command's failure: the message is printed as is and the process exits with status 1. */
export class CliError extends Error {}

/**
 * The model.json of an input argument (a path or a `file://` URL): the file itself, or `<dir>/model.json`. Throws a CliError naming the command
 * and the argument when there is none.
 */
export function modelJsonPath(command: string, url: string): string {
  const arg = withoutScheme(url);
  const file = existsSync(arg) && statSync(arg).isDirectory() ? join(arg, 'model.json') : arg;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new CliError(`tfjs-integral ${command}: <in> must be a model.json file or a directory holding one; ` +
                       `'${arg}' ${existsSync(arg) ? 'has no model.json' : 'does not exist'}.`);
  }
  return file;
}

/** The files a model saved to directory `dir` occupies. */
const savedFiles = (dir: string) => [join(dir, 'model.json'), join(dir, 'weights.bin')];

/**
 * The output directory of an `<out>` argument (a directory or a path ending in model.json; `file://` URLs too). Throws a CliError when it
 * would overwrite a saved model without `force`, or when it is a file.
 */
export function outputDir(command: string, url: string, force: boolean): string {
  const arg = withoutScheme(url);
  const dir = arg.endsWith('.json') ? dirname(arg) : arg;
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new CliError(`tfjs-integral ${command}: <out> must be a directory; '${dir}' is a file.`);
  }
  const existing = savedFiles(dir).filter(f => existsSync(f));
  if (existing.length > 0 && !force) {
    const verb = existing.length > 1 ? 'exist' : 'exists';
    throw new CliError(`tfjs-integral ${command}: '${existing.join("' and '")}' ${verb}; pass --force to overwrite.`);
  }
  return dir;
}
