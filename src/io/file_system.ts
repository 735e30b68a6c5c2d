/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {importByName} from '../util/import_by_name';

/** The file:// scheme handled by {@link fileSystem}. */
export const FILE_SCHEME = 'file://';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/** The largest model.json read (its topology and manifest; the weights are in the shards). */
const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

/**
 * Node's `fs` and `path`, imported at call time. The specifiers are hidden from bundlers so that browser bundles of
 * the package neither include nor fail on them; only Node ever calls this.
 */
async function nodeModules(): Promise<{fs: NodeFs, path: NodePath}> {
  const [fs, path] = await Promise.all([importByName<NodeFs>('node:fs/promises'), importByName<NodePath>('node:path')]);
  return {fs, path};
}

/** An Error of the file:// handler of `dir`, naming it. */
const ioError = (dir: string, message: string) => new Error(`Error in fileSystem('${dir}'): ${message}`);

const BYTES_PER_ELEMENT: Record<string, number> = {float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2,
                                                    int8: 1, int16: 2};

/** Bytes a weight spec occupies in the shards, or an Error naming it when the spec is not a valid numeric one. */
function specBytes(dir: string, spec: tf.io.WeightsManifestEntry): number {
  const ok = spec != null && typeof spec.name === 'string' && Array.isArray(spec.shape) &&
      spec.shape.every(d => Number.isSafeInteger(d) && d >= 0);
  if (!ok) throw ioError(dir, `weight spec ${JSON.stringify(spec)?.slice(0, 200)} is not a named numeric spec.`);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES_PER_ELEMENT[dtype];
  if (bytes == null) throw ioError(dir, `weight '${spec.name}' has dtype '${dtype}', which a LayersModel does not hold.`);
  return spec.shape.reduce((a, b) => a * b, 1) * bytes;
}

/** The model.json of `file`, parsed and checked for the fields a LayersModel needs, with errors naming the file. */
async function readModelJson(fs: NodeFs, dir: string, file: string): Promise<tf.io.ModelJSON> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw ioError(dir, `'${file}' does not exist.`);
  }
  if (!stat.isFile()) throw ioError(dir, `'${file}' is not a regular file.`);
  if (stat.size > MAX_MODEL_JSON_BYTES) throw ioError(dir, `'${file}' is ${stat.size} bytes, over the ${MAX_MODEL_JSON_BYTES} a model.json may have.`);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw ioError(dir, `'${file}' is not valid JSON (${(e as Error).message}).`);
  }
  const model = json as tf.io.ModelJSON;
  if (model == null || typeof model !== 'object' || Array.isArray(model) || typeof model.modelTopology !== 'object' ||
      model.modelTopology == null) {
    throw ioError(dir, `'${file}' is not a model.json: it has no 'modelTopology' object.`);
  }
  const manifest = model.weightsManifest ?? [];
  if (!Array.isArray(manifest) || !manifest.every(g => g != null && Array.isArray(g.paths) && Array.isArray(g.weights) &&
                                                       g.paths.every(p => typeof p === 'string'))) {
    throw ioError(dir, `'${file}' has a malformed 'weightsManifest' (groups of 'paths' and 'weights' expected).`);
  }
  return model;
}

/**
 * The shard files of `manifest`, each resolved against `root` (the model.json's directory, symlinks resolved) and
 * refused when it leaves that directory, is not a regular file, is listed twice, or when their sizes disagree with
 * the weight specs; read once each, only after every check passed.
 */
async function readShards(fs: NodeFs, path: NodePath, dir: string, root: string,
                          manifest: tf.io.WeightsManifestConfig): Promise<ArrayBuffer[]> {
  const realRoot = await fs.realpath(root);
  const inside = (p: string) => {
    const rel = path.relative(realRoot, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const seen = new Set<string>();
  const files: Array<{name: string, file: string, size: number}> = [];
  for (const name of manifest.flatMap(g => g.paths)) {
    if (path.isAbsolute(name) || name.includes('\0')) throw ioError(dir, `shard path '${name}' must be relative to the model.json.`);
    const file = path.resolve(realRoot, name);
    if (!inside(file)) throw ioError(dir, `shard path '${name}' leaves the model's directory '${root}'.`);
    let real: string, stat;
    try {
      real = await fs.realpath(file);
      stat = await fs.stat(real);
    } catch {
      throw ioError(dir, `shard '${name}' does not exist in '${root}'.`);
    }
    if (!inside(real)) throw ioError(dir, `shard '${name}' is a link that leaves the model's directory '${root}'.`);
    if (!stat.isFile()) throw ioError(dir, `shard '${name}' is not a regular file.`);
    if (seen.has(real)) throw ioError(dir, `shard '${name}' is listed more than once.`);
    seen.add(real);
    files.push({name, file: real, size: stat.size});
  }
  const expected = manifest.flatMap(g => g.weights).reduce((sum, spec) => sum + specBytes(dir, spec), 0);
  const actual = files.reduce((sum, f) => sum + f.size, 0);
  if (actual !== expected) {
    throw ioError(dir, `the shards (${files.map(f => f.name).join(', ') || 'none'}) hold ${actual} bytes, but the ` +
                       `weight specs need ${expected}.`);
  }
  const buffers: ArrayBuffer[] = [];
  for (const f of files) {
    const bytes = await fs.readFile(f.file);
    if (bytes.byteLength !== f.size) throw ioError(dir, `shard '${f.name}' changed while it was read.`);
    buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  return buffers;
}

/** Magic numbers (statfs `f_type`) of Linux's special file systems: proc, sysfs, devpts, cgroup(2), debugfs, ... */
const SPECIAL_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673,
                                      0x74726163, 0xcafe4a11]);

/**
 * Refuses, before anything is written, a directory on a special file system (/proc, /sys, /dev and the like: writing
 * there can hang, or do something other than store a file): the nearest existing ancestor of `dir` is checked.
 */
async function refuseSpecialFileSystem(fs: NodeFs, path: NodePath, dir: string) {
  let existing = path.resolve(dir);
  while (true) {
    try {
      existing = await fs.realpath(existing);
      break;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return;
      existing = parent;
    }
  }
  const special = /^\/(proc|sys|dev)(\/|$)/.test(existing) ||
      (typeof fs.statfs === 'function' && SPECIAL_FILE_SYSTEMS.has((await fs.statfs(existing)).type));
  if (special) throw ioError(dir, `'${existing}' is on a special file system (/proc, /sys, /dev); models are not saved there.`);
}

/** Name of the lock file a save holds in the model's directory. */
const LOCK_FILE = '.tfjs-integral-save.lock';

/**
 * Takes the directory's save lock (a file made exclusively, holding this process's id), or throws when another save
 * holds it; a lock whose process is gone (a crash) is taken over. Resolves to its release.
 */
async function lockDirectory(fs: NodeFs, path: NodePath, dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.rm(file, {force: true});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await fs.readFile(file, 'utf8').catch(() => ''));
      if (attempt > 0 || !Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) break;
      await fs.rm(file, {force: true});  // its process is gone
    }
  }
  throw ioError(dir, `another save to this directory is running (it holds '${file}'; if none runs, delete it).`);
}

/** True when a process `pid` runs on this machine. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `data` to a new file `file` and flushes it to the disk. */
async function writeDurably(fs: NodeFs, file: string, data: Uint8Array|string) {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (renames) to the disk, where the platform can. */
async function syncDirectory(fs: NodeFs, dir: string) {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform opens or syncs directories (Windows): the renames stand regardless.
  }
}

/**
 * Replaces `dir`'s `files` (name → data) atomically as a set: under the directory's lock, each is written to a
 * unique temporary name and flushed, the current files are kept as backups (hard links), then the new ones are
 * renamed in place; if a rename fails, the backups are put back, so the directory holds the old set or the new one.
 */
async function replaceFiles(fs: NodeFs, path: NodePath, dir: string, files: Array<[string, Uint8Array|string]>) {
  const unlock = await lockDirectory(fs, path, dir);
  const suffix = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const temporary = files.map(([name]) => path.join(dir, name + suffix));
  const backups: Array<[string, string]> = [];
  try {
    for (const [i, [, data]] of files.entries()) await writeDurably(fs, temporary[i], data);
    for (const [name] of files) {
      const target = path.join(dir, name), backup = `${target}.old${suffix}`;
      try {
        await fs.link(target, backup);
        backups.push([backup, target]);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        backups.push(['', target]);  // no current file: nothing to put back but its absence
      }
    }
    const renamed: string[] = [];
    try {
      for (const [i, [name]] of files.entries()) {
        await fs.rename(temporary[i], path.join(dir, name));
        renamed.push(name);
      }
    } catch (e) {
      for (const [backup, target] of backups) {
        if (!renamed.includes(path.basename(target))) continue;
        if (backup === '') await fs.rm(target, {force: true}); else await fs.rename(backup, target);
      }
      throw e;
    }
    await syncDirectory(fs, dir);
  } finally {
    await Promise.all([...temporary, ...backups.map(([b]) => b).filter(b => b !== '')].map(f => fs.rm(f, {force: true})));
    await unlock();
  }
}

/**
 * An IOHandler for a directory `<dir>/model.json` + `<dir>/weights.bin`, the layout of tfjs-node's `file://`
 * handler, in Node without `@tensorflow/tfjs-node`. Loading reads only shards inside the model.json's directory,
 * each once and after checking their sizes against the weight specs. Saving is atomic per directory: under a lock
 * (a second save to the same directory meanwhile is an Error), both files are written under temporary names and
 * flushed, then renamed in place, the old ones put back if that fails: the directory holds one whole model, old or
 * new. Directories on special file systems (/proc, /sys, /dev) are refused before anything is written.
 */
export function fileSystem(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw ioError(dir, 'binary model topologies cannot be saved.');
      const {fs, path} = await nodeModules();
      await refuseSpecialFileSystem(fs, path, dir);
      try {
        await fs.mkdir(dir, {recursive: true});
      } catch (e) {
        throw ioError(dir, `cannot make the directory '${dir}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
      }
      if (!(await fs.stat(dir)).isDirectory()) throw ioError(dir, `'${dir}' is a file, not a directory.`);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        weightsManifest: [{paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? []}],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig != null ? {trainingConfig: artifacts.trainingConfig} : {}),
        ...(artifacts.userDefinedMetadata != null ? {userDefinedMetadata: artifacts.userDefinedMetadata} : {}),
        ...(artifacts.signature != null ? {signature: artifacts.signature} : {}),
      };
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      try {
        await replaceFiles(fs, path, dir, [['weights.bin', new Uint8Array(weights)], ['model.json', JSON.stringify(modelJSON)]]);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('Error in ')) throw e;
        throw ioError(dir, `cannot write the model (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
      }
      return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const {fs, path} = await nodeModules();
      let file = dir;
      try {
        if (!dir.endsWith('.json') && (await fs.stat(dir)).isDirectory()) file = path.join(dir, 'model.json');
      } catch {
        throw ioError(dir, `'${dir}' does not exist.`);
      }
      const modelJSON = await readModelJson(fs, dir, file);
      const buffers = await readShards(fs, path, dir, path.dirname(file), modelJSON.weightsManifest ?? []);
      return tf.io.getModelArtifactsForJSON(modelJSON, async manifest => [tf.io.getWeightSpecs(manifest), buffers]);
    },
  };
}

const isNode = () => typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Lets `tf.loadLayersModel('file://…')` and `model.save('file://…')` work in Node without tfjs-node. Skipped
 * outside Node and when another handler (tfjs-node's) already claims file:// URLs.
 */
export function registerFileSystemRouter() {
  if (!isNode() || tf.io.getLoadHandlers(`${FILE_SCHEME}/probe`).length > 0) return;
  const router = (url: string|string[]) => (typeof url === 'string' && url.startsWith(FILE_SCHEME)) ?
      fileSystem(url.slice(FILE_SCHEME.length)) :
      null as unknown as tf.io.IOHandler;  // IORouter's type has no "not mine"; tfjs skips nulls
  tf.io.registerLoadRouter(router);
  tf.io.registerSaveRouter(router);
}
