/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run check:package` (after `npm run build`): the package as users install it. Packs the tarball, checks it
// with @arethetypeswrong/cli and publint, checks that every module its bundles import is a dependency, installs it
// with stock tfjs 4.22 into a fresh project through the README's install command, and there runs an ES module
// script, a CommonJS script (one IntegralModel class for both), a strict TypeScript typecheck, the whole CLI path on
// a saved CNN (inspect, convert, resample with a .npy and with an image directory, export), every code block of the
// README (TypeScript programs with tsx, the command-line block, the install block; the HTML pages in headless
// Chromium on webgl and webgpu under a strict Content-Security-Policy). Exits non-zero on the first failure.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {builtinModules} from 'node:module';
import {tmpdir} from 'node:os';
import {extname, join, resolve} from 'node:path';

import puppeteer from 'puppeteer-core';

import {readmeBlocks} from './readme_blocks.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tfjs-integral-package-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (cmd, args, cwd = work, env = {}) => execFileSync(cmd, args, {
  cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: {...process.env, ...env}, maxBuffer: 2 ** 26});
const step = (name) => console.log(`check:package: ${name}`);
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** Each module the built files import (`require`, `import ... from`, `import()` of a literal). */
function importedModules(dir) {
  const found = new Set();
  const visit = (d) => {
    for (const entry of readdirSync(d, {withFileTypes: true})) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(m?js|cjs)$/.test(entry.name)) {
        const code = readFileSync(path, 'utf8');
        for (const m of code.matchAll(/(?:require\(|\bfrom\s+|\bimport\()\s*['"]([@\w][\w@./:-]*)['"]/g)) found.add(m[1]);
      }
    }
  };
  visit(dir);
  return [...found];
}

/** Checks that every module `dist/` imports is the package's own file, Node's, a dependency or a peer dependency. */
function checkDependencies(dist) {
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const packageOf = (id) => id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
  const missing = importedModules(dist).filter(id => !id.startsWith('.') && !id.startsWith('node:') &&
                                                     !builtinModules.includes(id) && !declared.has(packageOf(id)));
  if (missing.length > 0) throw new Error(`dist/ imports modules that are not dependencies: ${missing.join(', ')}`);
}

/** The README's blocks, each with how it is checked; a block no rule covers is an error. */
function classifiedBlocks() {
  const kinds = readmeBlocks(join(root, 'README.md')).map(b => {
    const kind = b.language === '' ? 'text' :
        b.language === 'html' ? 'page' :
        b.language === 'ts' || b.language === 'js' ? 'program' :
        b.language === 'sh' && b.heading === 'Install' ? 'install' :
        b.language === 'sh' && b.heading === 'Command line' ? 'cli' :
        // The newcomer's commands run in this repository (CI runs them); so does the app's.
        b.language === 'sh' && (b.heading === pkg.name || b.heading.startsWith('The app')) ? 'repository' : null;
    if (kind == null) throw new Error(`README line ${b.line}: no check covers this ${b.language} block under '${b.heading}'`);
    return {...b, kind};
  });
  for (const kind of ['install', 'page', 'program', 'cli']) {
    if (!kinds.some(b => b.kind === kind)) throw new Error(`README: no ${kind} block found`);
  }
  return kinds;
}

/** The README's install block run in `project`, the tarball's path put where it says `/path/to/`. */
function installAsReadmeSays(blocks, project, tarball) {
  const commands = blocks.filter(b => b.kind === 'install').flatMap(b => b.code.split('\n'))
                       .map(l => l.replace(/#.*$/, '').trim()).filter(l => l.startsWith('npm install'));
  if (!commands.some(c => c.includes('/path/to/tfjs-integral-'))) {
    throw new Error('README install block: no `npm install /path/to/tfjs-integral-<version>.tgz` line');
  }
  for (const command of commands) {
    const args = command.split(/\s+/).slice(1).map(a => a.replace(/^\/path\/to\/tfjs-integral-.*\.tgz$/, tarball));
    run('npm', [...args, '--no-audit', '--no-fund'], project);
  }
  run('npm', ['install', '--no-audit', '--no-fund', '@tensorflow/tfjs-backend-webgpu@4.22.0', 'typescript@5.9.3',
              'tsx@4.23.15', 'puppeteer-core@24'], project);
}

/** A stock CNN of 28×28×1 inputs and 10 classes, saved to `model/` and `demo/output/trained/` of the project. */
function saveCnn(project) {
  writeFileSync(join(project, 'make-cnn.mjs'), `import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';
await tf.setBackend('cpu');
const init = seed => tf.initializers.glorotUniform({seed});
const model = tf.sequential({layers: [
  tf.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', inputShape: [28, 28, 1], kernelInitializer: init(1)}),
  tf.layers.batchNormalization(), tf.layers.reLU(), tf.layers.maxPooling2d({poolSize: 2}),
  tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: init(2)}),
  tf.layers.reLU(), tf.layers.maxPooling2d({poolSize: 2}), tf.layers.flatten(),
  tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: init(3)}),
  tf.layers.dense({units: 10, activation: 'softmax', kernelInitializer: init(4)}),
]});
for (const dir of ['model', 'demo/output/trained']) await model.save(tfi.fileSystem(dir));
`);
  run('node', ['make-cnn.mjs'], project);
}

/** Unlabeled inputs for the CLI: `calibration.npy` (float32 [64, 28, 28, 1]) and `images/` (16 grey PNGs). */
function writeInputs(project) {
  writeFileSync(join(project, 'make-inputs.mjs'), `import {mkdirSync, writeFileSync} from 'node:fs';
import {PNG} from 'pngjs';
let s = 7;
const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
const values = Float32Array.from({length: 64 * 28 * 28}, random);
const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (64, 28, 28, 1), }";
const padded = header.padEnd(117, ' ') + '\\n';  // 10 + 118 bytes: the data starts 64-aligned
const magic = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, padded.length, 0]);
writeFileSync('calibration.npy', Buffer.concat([magic, Buffer.from(padded), Buffer.from(values.buffer)]));
mkdirSync('images', {recursive: true});
for (let i = 0; i < 16; i++) {
  const png = new PNG({width: 28, height: 28});
  for (let p = 0; p < 28 * 28; p++) {
    const grey = Math.floor(255 * random());
    png.data.set([grey, grey, grey, 255], p * 4);
  }
  writeFileSync(\`images/\${String(i).padStart(2, '0')}.png\`, PNG.sync.write(png));
}
`);
  run('node', ['make-inputs.mjs'], project);
}

/**
 * The README's command-line block, line by line, in the project (after the CNN and the inputs exist), then checks
 * that the exported models load in stock tfjs and predict what the installed package's IntegralModels predict.
 */
function runCliBlock(blocks, project) {
  const lines = blocks.filter(b => b.kind === 'cli').flatMap(b => b.code.split('\n'))
                    .map(l => l.replace(/\s+#.*$/, '').trim()).filter(l => l.startsWith('tfjs-integral '));
  for (const needed of ['inspect', 'convert', 'resample', 'export', '--calibrate calibration.npy', '--calibrate images']) {
    if (!lines.some(l => l.includes(` ${needed}`))) throw new Error(`README CLI block: no line with '${needed}'`);
  }
  for (const line of lines) {
    step(`README CLI: ${line}`);
    run('npx', line.split(/\s+/), project);
  }
  writeFileSync(join(project, 'check-cli.mjs'), `import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tfi from 'tfjs-integral';
await tf.setBackend('wasm');
const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 3);
for (const [integral, stock] of ${JSON.stringify(exportedPairs(lines))}) {
  const inn = await tfi.loadIntegralModel('file://' + integral);
  const plain = await tf.loadLayersModel('file://' + stock);
  const [a, b] = [inn.predict(x), plain.predict(x)];
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  if (!(diff < (stock.includes('-u8') ? 0.05 : 1e-5))) throw new Error(stock + ' differs from ' + integral + ' by ' + diff);
  if (plain.layers.some(l => l.getClassName().startsWith('Integral'))) throw new Error(stock + ' is not stock');
  tf.dispose([a, b]);
  inn.dispose();
  plain.dispose();
}
console.log('exported models agree with their IntegralModels');
`);
  run('node', ['check-cli.mjs'], project);
}

/** `[IntegralModel dir, exported dir]` of every `tfjs-integral export IN OUT` line. */
function exportedPairs(lines) {
  return lines.filter(l => l.startsWith('tfjs-integral export ')).map(l => l.split(/\s+/).slice(2, 4));
}

/** Identifiers the README's fragments may use without declaring them, provided by readme-prelude.mjs. */
const PRELUDE_NAMES = ['model', 'inn', 'x', 'unlabeledInputs', 'unlabeled', 'onProgress', 'graphUrl'];

/** `code` without its comments and the contents of its string literals: where free names are looked for. */
function withoutCommentsAndStrings(code) {
  let out = '', i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '/' && code[i + 1] === '*') {
      i = code.indexOf('*/', i + 2) + 2 || code.length;
    } else if (c === "'" || c === '"' || c === '`') {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
      out += `${c}${c}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Every TypeScript block of the README as a program in the project (fragments get the prelude), run with tsx. */
function runPrograms(blocks, project) {
  writeFileSync(join(project, 'readme-prelude.mjs'), `// What the README's fragments refer to: the CNN of model/,
// wrapped, and unlabeled inputs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tfi from 'tfjs-integral';
await tf.setBackend('wasm');
export const model = await tf.loadLayersModel('file://model/model.json');
export const inn = await tfi.wrapModel(model);
export const x = tf.randomUniform([128, 28, 28, 1], 0, 1, 'float32', 1);
export const unlabeledInputs = x;
export const unlabeled = tf.randomUniform([1024, 28, 28, 1], 0, 1, 'float32', 2);
export const onProgress = () => {};

// A small graph model as tfjs-converter writes one: Conv2D + BiasAdd + Relu, Mean, MatMul + BiasAdd, Softmax.
const str = s => ({s: Buffer.from(s).toString('base64')});
const ints = v => ({list: {i: v.map(String)}});
const constant = (name, shape) => ({name, op: 'Const', attr: {dtype: {type: 'DT_FLOAT'},
  value: {tensor: {dtype: 'DT_FLOAT', tensorShape: {dim: shape.map(d => ({size: String(d)}))}}}}});
const weights = {'conv/filter': tf.randomNormal([3, 3, 1, 16], 0, 0.3, 'float32', 3),
                 'conv/bias': tf.randomNormal([16], 0, 0.1, 'float32', 4),
                 'dense/weights': tf.randomNormal([16, 10], 0, 0.3, 'float32', 5),
                 'dense/bias': tf.randomNormal([10], 0, 0.1, 'float32', 6),
                 'mean/axes': tf.tensor1d([1, 2], 'int32')};
const node = [
  {name: 'image', op: 'Placeholder', attr: {dtype: {type: 'DT_FLOAT'}, shape: {shape: {dim: [-1, 28, 28, 1].map(d => ({size: String(d)}))}}}},
  constant('conv/filter', [3, 3, 1, 16]), constant('conv/bias', [16]), constant('dense/weights', [16, 10]),
  constant('dense/bias', [10]),
  {name: 'mean/axes', op: 'Const', attr: {dtype: {type: 'DT_INT32'}, value: {tensor: {dtype: 'DT_INT32', tensorShape: {dim: [{size: '2'}]}}}}},
  {name: 'conv', op: 'Conv2D', input: ['image', 'conv/filter'], attr: {strides: ints([1, 1, 1, 1]), padding: str('SAME'), data_format: str('NHWC'), dilations: ints([1, 1, 1, 1])}},
  {name: 'conv/biased', op: 'BiasAdd', input: ['conv', 'conv/bias']},
  {name: 'conv/relu', op: 'Relu', input: ['conv/biased']},
  {name: 'mean', op: 'Mean', input: ['conv/relu', 'mean/axes'], attr: {keep_dims: {b: false}}},
  {name: 'dense', op: 'MatMul', input: ['mean', 'dense/weights'], attr: {transpose_a: {b: false}, transpose_b: {b: false}}},
  {name: 'dense/biased', op: 'BiasAdd', input: ['dense', 'dense/bias']},
  {name: 'probabilities', op: 'Softmax', input: ['dense/biased']},
];
const encoded = await tf.io.encodeWeights(weights);
await tfi.fileSystem('graph').save({modelTopology: {node, versions: {producer: 1}}, format: 'graph-model', weightSpecs: encoded.specs,
                                    weightData: encoded.data});
export const graphUrl = 'file://graph/model.json';
`);
  for (const block of blocks.filter(b => b.kind === 'program')) {
    const code = withoutCommentsAndStrings(block.code);
    const declared = (name) => [
      `(?:const|let|var)\\s+${name}\\b`, `(?:const|let|var)\\s*[{[][^=]*\\b${name}\\b[^=]*[}\\]]\\s*=`,
      `function\\s+${name}\\b`, `import[^;]*\\b${name}\\b[^;]*from`,
    ].some(pattern => new RegExp(pattern).test(code));
    const used = (name) => new RegExp(`\\b${name}\\b`).test(code);
    const free = PRELUDE_NAMES.filter(n => used(n) && !declared(n));
    const imports = [
      ...(free.length > 0 ? [`import {${free.join(', ')}} from './readme-prelude.mjs';`] : []),
      ...(used('tf') && !declared('tf') ? [`import * as tf from '@tensorflow/tfjs';`] : []),
      ...(used('tfi') && !declared('tfi') ? [`import * as tfi from 'tfjs-integral';`] : []),
    ];
    const file = `readme-${block.line}.mts`;
    writeFileSync(join(project, file), `${imports.join('\n')}\n${block.code}\nexport {};\n`);
    step(`README program at line ${block.line} (${block.heading})${free.length ? `, with ${free.join(', ')}` : ''}`);
    // A program that takes a model URL and an output URL gets the project's CNN.
    const args = /process\.argv/.test(block.code) ? ['file://model', 'file://out/readme-half', FASHION_MNIST] : [];
    run('npx', ['tsx', file, ...args], project);
  }
}

/** ESM and CommonJS scripts share one IntegralModel class; a strict TypeScript check of the typed API. */
function checkModuleFormats(project) {
  const usage = `
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1), controls = tf.randomNormal([9, 8], 0, 1, 'float32', 2);
    const diff = tf.max(tf.abs(tf.sub(tfi.integralMatMul(x, controls, {outSize: 5}),
                                      tf.matMul(x, tfi.integralWeight(controls, {inSize: 6, outSize: 5}))))).dataSync()[0];
    const model = tf.sequential({layers: [tf.layers.dense({units: 8, activation: 'relu', inputShape: [6]}),
                                          tf.layers.dense({units: 3})]});
    const inn = await tfi.wrapModel(model);
    const plain = inn.resample(0.5).toLayersModel();
    const units = plain.layers[0].getConfig().units;
    inn.dispose();
    if (!(diff < 1e-5) || units !== 4) throw new Error('tfjs-integral misbehaves: ' + diff + ' ' + units);`;
  step('ES module script; the same IntegralModel class through require');
  writeFileSync(join(project, 'esm.mjs'), `import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';
import {createRequire} from 'node:module';
await tf.setBackend('cpu');${usage}
const required = createRequire(import.meta.url)('tfjs-integral');
if (required.IntegralModel !== tfi.IntegralModel) throw new Error('import and require give two IntegralModel classes');
console.log('esm ok', tfi.version);\n`);
  run('node', ['esm.mjs'], project);

  step('CommonJS script');
  writeFileSync(join(project, 'cjs.cjs'), `const tf = require('@tensorflow/tfjs');
const tfi = require('tfjs-integral');
(async () => {
  await tf.setBackend('cpu');${usage}
  const imported = await import('tfjs-integral');
  if (imported.IntegralModel !== tfi.IntegralModel) throw new Error('require and import give two IntegralModel classes');
  console.log('cjs ok', tfi.version);
})().catch(e => { console.error(e); process.exit(1); });\n`);
  run('node', ['cjs.cjs'], project);

  step('strict TypeScript typecheck (node16 modules, ESM and CommonJS; tf.data datasets, batched or not)');
  writeFileSync(join(project, 'typed.mts'), `import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';
const y: tf.Tensor2D = tfi.integralMatMul(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([4, 5]) as tf.Tensor2D, {outSize: 2});
const layer: tfi.layers.IntegralDense = tfi.layers.integralDense({units: 3, quadrature: 'simpson'});
export async function shrink(model: tf.LayersModel, x: tf.Tensor4D): Promise<tf.LayersModel> {
  const inn: tfi.IntegralModel = await tfi.wrapModel(model, {permute: true});
  const batched = tf.data.array([x]).batch(2);
  const items = tf.data.array(tf.unstack(x));
  const small = await inn.resample(0.5).calibrate(batched, {ridge: 1e-3});
  const again = await small.calibrate(items);
  const searched = await tfi.searchWidths(inn, {budget: {params: 0.5}, calibration: batched});
  searched.model.dispose();
  const back = await tfi.loadIntegralModel('models/inn/model.json', {requestInit: {credentials: 'include'}});
  back.dispose();
  return again.toLayersModel();
}
export {y, layer};\n`);
  writeFileSync(join(project, 'typed.cts'), `import tfi = require('tfjs-integral');
export const version: string = tfi.version;\n`);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({compilerOptions: {
    strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2020', noEmit: true, skipLibCheck: true,
    types: []}, files: ['typed.mts', 'typed.cts']}));
  run('npx', ['tsc', '-p', 'tsconfig.json'], project);
}

try {
  step('npm pack');
  run('npm', ['pack', '--silent', '--pack-destination', work], root);
  const tarball = join(work, readdirSync(work).find(f => f.endsWith('.tgz')));
  step('@arethetypeswrong/cli');
  run('npx', ['attw', tarball], root);
  step('publint');
  const lint = run('npx', ['publint', tarball], root);
  if (/Errors|Warnings/.test(lint)) throw new Error(`publint:\n${lint}`);
  step('every module the bundles import is a dependency or a peer dependency');
  checkDependencies(join(root, 'dist'));
  const blocks = classifiedBlocks();

  step('install into a fresh project as the README says, with @tensorflow/tfjs 4.22');
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'consumer', private: true}));
  installAsReadmeSays(blocks, project, tarball);
  if (existsSync(join(project, 'node_modules', 'tfjs-integral', 'dist', 'docs'))) throw new Error('the tarball holds docs');
  checkModuleFormats(project);

  step('the CLI path: inspect, convert, resample (.npy and images), export, as the README writes it');
  saveCnn(project);
  writeInputs(project);
  runCliBlock(blocks, project);
  runPrograms(blocks, project);
  await checkPages(blocks, project);
  console.log('check:package: all passed');
} finally {
  rmSync(work, {recursive: true, force: true});
}

/**
 * The README's HTML blocks as pages served from `project` on loopback, CDN URLs pointing at the installed packages
 * (same versions), under `script-src 'self'` plus the hashes of their inline scripts; each runs a short check on
 * webgl and webgpu in headless Chromium.
 */
async function checkPages(blocks, project) {
  const types = {'.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
                 '.wasm': 'application/wasm', '.map': 'application/json'};
  const server = createServer((req, res) => {
    const file = join(project, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      const body = readFileSync(file);
      res.writeHead(200, {'content-type': types[extname(file)] ?? 'application/octet-stream'});
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise(done => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}`;
  const installedVersion = (name) => JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')).version;
  const local = (html) => html.replace(/https:\/\/cdn\.jsdelivr\.net\/npm\/((?:@[^/@]+\/)?[^/@]+)@([^/]+)\//g, (_, name, v) => {
    if (v !== installedVersion(name)) throw new Error(`README page: ${name}@${v} is not the version installed (${installedVersion(name)})`);
    return `/node_modules/${name}/`;
  });
  // The check each page runs after the README's scripts: the globals or the module's imports as the page has them.
  const check = `
    const backend = new URLSearchParams(location.search).get('backend');
    (async () => {
      // The page's own scripts (module scripts load asynchronously) have run once tf and tfi are there.
      while ((window.readmePage ?? window).tfi == null) await new Promise(r => setTimeout(r, 50));
      const {tf, tfi} = window.readmePage ?? window;
      if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not start');
      const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1), controls = tf.randomNormal([9, 8], 0, 1, 'float32', 2);
      const y = await tfi.integralMatMul(x, controls, {outSize: 5}).data();
      if (y.length !== 20) throw new Error('integralMatMul gave ' + y.length + ' values');
      window.result = 'ok ' + tf.getBackend();
    })().catch(e => { window.result = 'error ' + e.message; });`;
  writeFileSync(join(project, 'readme-check.js'), check);
  const pages = blocks.filter(b => b.kind === 'page').map(b => {
    let html = local(b.code);
    // A module page hands its imports to the check.
    html = html.replace(/(<script type="module">[\s\S]*?)(<\/script>)/, (_, body, end) =>
        `${body}  window.readmePage = {tf: {...tf, setBackend: tf.setBackend, getBackend: tf.getBackend}, tfi};\n${end}`);
    const hashes = [...html.matchAll(/<script(?: type="(?:importmap|module)")?>([\s\S]*?)<\/script>/g)]
                       .map(m => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
    const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' ${hashes.join(' ')}">`;
    const page = `readme-page-${b.line}.html`;
    writeFileSync(join(project, page), `<!doctype html><html><head>${csp}\n${html}\n` +
                                           `<script src="readme-check.js" defer></script></head><body></body></html>`);
    return {page, line: b.line};
  });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
           '--disable-component-update', '--no-first-run'],
  });
  try {
    for (const {page, line} of pages) {
      for (const backend of ['webgl', 'webgpu']) {
        step(`README page at line ${line} on ${backend} (strict CSP)`);
        const tab = await browser.newPage();
        const violations = [];
        tab.on('console', m => /Content Security Policy|Refused/.test(m.text()) && violations.push(m.text()));
        tab.on('pageerror', e => violations.push(`page error: ${e.message}`));
        await tab.goto(`${base}/${page}?backend=${backend}`);
        await tab.waitForFunction('window.result != null', {timeout: 120000});
        const result = await tab.evaluate('window.result');
        if (result !== `ok ${backend}` || violations.length > 0) {
          throw new Error(`README page at line ${line} on ${backend}: ${result}${violations.length ? `; ${violations.join('; ')}` : ''}`);
        }
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}
