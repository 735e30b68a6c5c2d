/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm run check:package` (after `npm run build`): the package as users install it. Packs the tarball, checks it
// with @arethetypeswrong/cli and publint, installs it with stock tfjs 4.22 into a fresh project, and there runs an
// ES module script, a CommonJS script, a strict TypeScript typecheck and the CLI, then pages in headless Chromium
// (puppeteer-core, Debian's /usr/bin/chromium) on webgl and webgpu: UMD script tags and an import map, both under
// a strict Content-Security-Policy. Exits non-zero on the first failure.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {extname, join, resolve} from 'node:path';

import puppeteer from 'puppeteer-core';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tfjs-integral-package-'));
const run = (cmd, args, cwd = work) => execFileSync(cmd, args, {cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8'});
const step = (name) => console.log(`check:package: ${name}`);

try {
  step('npm pack');
  run('npm', ['pack', '--silent', '--pack-destination', work], root);
  const tarball = join(work, readdirSync(work).find(f => f.endsWith('.tgz')));
  step('@arethetypeswrong/cli');
  run('npx', ['attw', tarball], root);
  step('publint');
  const lint = run('npx', ['publint', tarball], root);
  if (/Errors|Warnings/.test(lint)) throw new Error(`publint:\n${lint}`);

  step('install into a fresh project with @tensorflow/tfjs 4.22');
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'consumer', private: true}));
  run('npm', ['install', '--no-audit', '--no-fund', tarball, '@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0',
              '@tensorflow/tfjs-backend-webgpu@4.22.0', 'typescript@5.9.3'], project);

  const usage = (tfi, tf) => `
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1), controls = tf.randomNormal([9, 8], 0, 1, 'float32', 2);
    const diff = tf.max(tf.abs(tf.sub(${tfi}.integralMatMul(x, controls, {outSize: 5}),
                                      tf.matMul(x, ${tfi}.integralWeight(controls, {inSize: 6, outSize: 5}))))).dataSync()[0];
    const model = tf.sequential({layers: [tf.layers.dense({units: 8, activation: 'relu', inputShape: [6]}),
                                          tf.layers.dense({units: 3})]});
    const inn = await ${tfi}.wrapModel(model);
    const half = inn.resample(0.5);
    const plain = half.toLayersModel();
    const units = plain.layers[0].getConfig().units;
    [inn, half].forEach(m => m.dispose());
    if (!(diff < 1e-5) || units !== 4) throw new Error('tfjs-integral misbehaves: ' + diff + ' ' + units);`;

  step('ES module script');
  writeFileSync(join(project, 'esm.mjs'), `import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';
await tf.setBackend('cpu');${usage('tfi', 'tf')}
console.log('esm ok', tfi.version);\n`);
  run('node', ['esm.mjs'], project);

  step('CommonJS script');
  writeFileSync(join(project, 'cjs.cjs'), `const tf = require('@tensorflow/tfjs');
const tfi = require('tfjs-integral');
(async () => {
  await tf.setBackend('cpu');${usage('tfi', 'tf')}
  console.log('cjs ok', tfi.version);
})().catch(e => { console.error(e); process.exit(1); });\n`);
  run('node', ['cjs.cjs'], project);

  step('strict TypeScript typecheck (node16 modules, ESM and CommonJS)');
  writeFileSync(join(project, 'typed.mts'), `import * as tf from '@tensorflow/tfjs';
import * as tfi from 'tfjs-integral';
const y: tf.Tensor2D = tfi.integralMatMul(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([4, 5]) as tf.Tensor2D, {outSize: 2});
const layer: tfi.layers.IntegralDense = tfi.layers.integralDense({units: 3, quadrature: 'simpson'});
export async function shrink(model: tf.LayersModel): Promise<tf.LayersModel> {
  const inn: tfi.IntegralModel = await tfi.wrapModel(model, {permute: true});
  const small = await inn.resample(0.5).calibrate(tf.zeros([8, 6]), {ridge: 1e-3});
  return small.toLayersModel();
}
export {y, layer};\n`);
  writeFileSync(join(project, 'typed.cts'), `import tfi = require('tfjs-integral');
export const version: string = tfi.version;\n`);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({compilerOptions: {
    strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2020', noEmit: true, skipLibCheck: true,
    types: []}, files: ['typed.mts', 'typed.cts']}));
  run('npx', ['tsc', '-p', 'tsconfig.json'], project);

  step('the CLI');
  const version = run('npx', ['tfjs-integral', '--version'], project).trim();
  const expected = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (version !== expected) throw new Error(`tfjs-integral --version printed '${version}', expected ${expected}`);
  run('npx', ['tfjs-integral', 'inspect', '--help'], project);

  await checkPages(project, usage);
  console.log('check:package: all passed');
} finally {
  rmSync(work, {recursive: true, force: true});
}

/**
 * Serves `project` on loopback and runs two pages in headless Chromium on webgl and webgpu: UMD script tags, and an
 * import map of the separate ES module bundles; both under `script-src 'self'` (the import map by its hash).
 */
async function checkPages(project, usage) {
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
  const nm = '/node_modules';
  const body = (tfi) => `
    const backend = new URLSearchParams(location.search).get('backend');
    (async () => {
      if (!(await tf.setBackend(backend))) throw new Error('backend ' + backend + ' did not start');${usage(tfi, 'tf')}
      window.result = 'ok ' + tf.getBackend();
    })().catch(e => { window.result = 'error ' + e.message; });`;
  const csp = (extra = '') => `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'${extra}">`;
  writeFileSync(join(project, 'umd.js'), body('tfi'));
  writeFileSync(join(project, 'umd.html'), `<!doctype html><html><head>${csp()}
<script src="${nm}/@tensorflow/tfjs/dist/tf.es2017.min.js"></script>
<script src="${nm}/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.es2017.min.js"></script>
<script src="${nm}/tfjs-integral/dist/index.umd.min.js"></script>
<script src="umd.js"></script></head><body></body></html>`);
  const importMap = JSON.stringify({imports: {
    '@tensorflow/tfjs-core': `${nm}/@tensorflow/tfjs-core/dist/tf-core.fesm.js`,
    '@tensorflow/tfjs-layers': `${nm}/@tensorflow/tfjs-layers/dist/tf-layers.fesm.js`,
    '@tensorflow/tfjs-backend-webgl': `${nm}/@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.fesm.js`,
    '@tensorflow/tfjs-backend-webgpu': `${nm}/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.fesm.js`,
    'tfjs-integral': `${nm}/tfjs-integral/dist/index.mjs`,
  }});
  const hash = createHash('sha256').update(importMap).digest('base64');
  writeFileSync(join(project, 'esm-page.mjs'), `import * as core from '@tensorflow/tfjs-core';
import * as layers from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tfi from 'tfjs-integral';
const tf = {...core, ...layers, layers: layers.layers, sequential: layers.sequential};
${body('tfi')}\n`);
  writeFileSync(join(project, 'esm.html'), `<!doctype html><html><head>${csp(` 'sha256-${hash}'`)}
<script type="importmap">${importMap}</script>
<script type="module" src="esm-page.mjs"></script></head><body></body></html>`);

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--disable-background-networking',
           '--disable-component-update', '--no-first-run'],
  });
  try {
    for (const page of ['umd', 'esm']) {
      for (const backend of ['webgl', 'webgpu']) {
        step(`browser page: ${page} on ${backend} (strict CSP)`);
        const tab = await browser.newPage();
        const violations = [];
        tab.on('console', m => /Content Security Policy|Refused/.test(m.text()) && violations.push(m.text()));
        tab.on('pageerror', e => violations.push(`page error: ${e.message}`));
        await tab.goto(`${base}/${page}.html?backend=${backend}`);
        await tab.waitForFunction('window.result != null', {timeout: 120000});
        const result = await tab.evaluate('window.result');
        if (result !== `ok ${backend}` || violations.length > 0) {
          throw new Error(`${page} page on ${backend}: ${result}${violations.length ? `; ${violations.join('; ')}` : ''}`);
        }
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}
