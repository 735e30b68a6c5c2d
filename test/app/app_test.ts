/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The browser app as a user runs it: `npm run app -- --port N`, headless Debian Chromium (puppeteer-core) on webgl
// and webgpu (SwiftShader without a GPU). Moves the global slider, calibrates, fits a budget, downloads, and reloads
// the download with stock tfjs in a fresh page.
import {ChildProcess, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

import '@tensorflow/tfjs-backend-cpu';
import puppeteer, {Browser, ElementHandle, Page} from 'puppeteer-core';

import type {AppState} from '../../app/main';
import {invertedResidualGraph} from '../graph/graphs';

const root = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROME_BIN ?? '/usr/bin/chromium';
/** The name the app gives the download of the model at 50 % width, in float32. */
const STEM = 'integral-50';
/** Where the screenshots go (ignored by git). */
const OUTPUT = join(root, '.test-results');

/** The demo's published test accuracy of (e) resample + calibrate, by width. */
function demoCalibratedAccuracy(width: number): number {
  const results = JSON.parse(readFileSync(join(root, 'demo/results/results.json'), 'utf8')) as
      {rows: {method: string, width: number, accuracy: number}[]};
  return results.rows.find(r => r.method === 'calibrated' && r.width === width)!.accuracy;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as {port: number};
  await new Promise(done => server.close(done));
  return port;
}

/** Starts `npm run app -- --port N` and resolves with its URL once it answers HTTP requests. */
async function startApp(): Promise<{app: ChildProcess, url: string}> {
  const port = await freePort();
  const app = spawn('npm', ['run', '--silent', 'app', '--', '--port', String(port)], {cwd: root, detached: true});
  const url = `http://127.0.0.1:${port}/`;
  let output = '', exited: number | null | undefined;
  app.stdout!.on('data', chunk => output += chunk);
  app.stderr!.on('data', chunk => output += chunk);
  app.on('exit', code => exited = code);
  for (const end = Date.now() + 60000; Date.now() < end; await new Promise(r => setTimeout(r, 250))) {
    if (exited !== undefined) throw new Error(`npm run app exited with ${exited}:\n${output}`);
    try {
      if ((await fetch(url)).ok) return {app, url};
    } catch {
      // Not listening yet.
    }
  }
  throw new Error(`npm run app did not serve ${url} in 60 s:\n${output}`);
}

const state = (page: Page) => page.evaluate(() => window.appState);

/** Waits until the app has finished what it was asked (and fails on an error it shows). */
async function settled(page: Page, timeout = 240000): Promise<AppState> {
  await page.waitForFunction(() => window.appState?.ready || window.appState?.error != null, {timeout, polling: 100});
  const s = await state(page);
  expect(s.error).toBeNull();
  return s;
}

/** Sets a range input and fires the `change` event a user's release of the slider fires. */
async function slide(page: Page, group: string, value: number) {
  await page.$eval(`input[data-group="${group}"]`, (el, v) => {
    const slider = el as HTMLInputElement;
    slider.value = String(v);
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    slider.dispatchEvent(new Event('change', {bubbles: true}));
  }, value);
}

/** Waits for a browser download of `files` into `dir`, complete. */
async function downloaded(dir: string, files: string[], timeout = 60000) {
  for (const end = Date.now() + timeout; Date.now() < end; await new Promise(r => setTimeout(r, 100))) {
    const present = readdirSync(dir);
    if (files.every(f => present.includes(f))) return;
  }
  throw new Error(`no download of ${files.join(', ')} in ${dir} (found ${readdirSync(dir).join(', ')})`);
}

/**
 * Loads the downloaded model with stock tfjs (no tfjs-integral) in a fresh page of the app's origin, via the File API as
 * a user would pick the files, and scores it on the sample's scored half: the accuracy.
 */
async function stockAccuracy(browser: Browser, url: string, backend: string, dir: string, stem: string) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}samples/fashion-mnist/meta.json`);
    await page.addScriptTag({path: join(root, 'node_modules/@tensorflow/tfjs/dist/tf.min.js')});
    await page.addScriptTag({path: join(root, 'node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js')});
    const files = [`${stem}.json`, `${stem}.weights.bin`].map(f => [f, [...readFileSync(join(dir, f))]] as const);
    return await page.evaluate(async (backend, files) => {
      const tf = (window as unknown as {tf: typeof import('@tensorflow/tfjs')}).tf;
      await tf.setBackend(backend);
      const model = await tf.loadLayersModel(tf.io.browserFiles(files.map(([name, bytes]) => new File([new Uint8Array(bytes)], name))));
      const meta = await (await fetch('meta.json')).json();
      const images = new Uint8Array(await (await fetch('images.u8')).arrayBuffer());
      const labels = new Uint8Array(await (await fetch('labels.u8')).arrayBuffer());
      const half = meta.count / 2, size = images.length / meta.count;
      let hits = 0;
      for (let start = half; start < meta.count; start += 64) {
        const n = Math.min(64, meta.count - start);
        const x = tf.tensor(Float32Array.from(images.subarray(start * size, (start + n) * size), v => v * meta.scale),
                            [n, ...meta.shape]);
        const top = tf.tidy(() => tf.argMax(model.predict(x) as import('@tensorflow/tfjs').Tensor, -1));
        const classes = await top.data();
        classes.forEach((c, i) => hits += c === labels[start + i] ? 1 : 0);
        tf.dispose([x, top]);
      }
      return {accuracy: hits / half, layers: model.layers.map(l => l.getClassName())};
    }, backend, files);
  } finally {
    await page.close();
  }
}

describe('app', () => {
  let app: ChildProcess, url: string, browser: Browser;
  beforeAll(async () => {
    ({app, url} = await startApp());
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true, protocolTimeout: 900000,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--window-size=1200,1000'],
    });
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    if (app?.pid != null) process.kill(-app.pid);
  });

  for (const backend of ['webgl', 'webgpu']) {
    describe(`on ${backend}`, () => {
      let page: Page, downloads: string, full: AppState, calibrated: AppState, halfAccuracy: number;
      beforeAll(async () => {
        page = await browser.newPage();
        await page.setViewport({width: 1200, height: 1000});
        page.on('pageerror', e => console.error(`app page error: ${e}`));
        downloads = mkdtempSync(join(tmpdir(), 'app-downloads-'));
        const cdp = await page.createCDPSession();
        await cdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads});
        await page.goto(`${url}?backend=${backend}`);
        full = await settled(page);
      }, 300000);
      afterAll(async () => {
        await page?.close();
        rmSync(downloads, {recursive: true, force: true});
      });

      it('opens with the demo model at full width: its groups, sliders and accuracy', async () => {
        expect(full.backend).toMatch(new RegExp(`^${backend}`));
        expect(full.computeBackend).toBe('wasm');
        expect(full.model).toMatch(/demo/);
        expect(full.groups.length).toBeGreaterThan(0);
        for (const g of full.groups) {
          expect(g.size).toBe(g.originalSize);
          const slider = await page.$eval(`input[type="range"][data-group="${g.name}"]`,
                                          el => ({disabled: (el as HTMLInputElement).disabled, max: (el as HTMLInputElement).max}));
          expect(slider).toEqual({disabled: !g.adjustable, max: String(g.originalSize)});
        }
        expect(full.groups.filter(g => g.continuous).length).toBeGreaterThan(0);
        expect(full.groups.filter(g => !g.continuous).every(g => typeof g.reason === 'string')).toBeTrue();
        expect(full.calibrated).toBeFalse();
        expect(full.metric).toBe('accuracy');
        // The scored half of the sample, against the demo's 10,000 test images.
        expect(Math.abs(full.accuracy! - demoCalibratedAccuracy(1))).toBeLessThan(0.04);
        expect(full.params! * 4).toBeLessThan(full.bytes!);
        expect(full.flops!).toBeGreaterThan(full.params!);
        expect(full.latencyMs!).toBeGreaterThan(0);
      });

      it('halves every group with the global slider, then calibrates close to the demo\'s accuracy', async () => {
        await slide(page, '*', 50);
        const half = await settled(page);
        for (const g of half.groups.filter(g => g.adjustable)) expect(g.size).toBe(Math.round(g.originalSize / 2));
        expect(half.params!).toBeLessThan(0.5 * full.params!);
        expect(half.flops!).toBeLessThan(0.5 * full.flops!);
        expect(half.bytes!).toBeLessThan(0.5 * full.bytes!);
        expect(half.calibrated).toBeFalse();
        halfAccuracy = half.accuracy!;
        console.log(`app ${backend}: width change ${half.timings.update!.toFixed(0)} ms (accuracy shown after ${
            half.timings.accuracy!.toFixed(0)} ms); 50 % accuracy ${half.accuracy}, latency ${
            half.latencyMs!.toFixed(2)} ms per image`);
        // Back to full width and to 50 % again: widths the backend has run before, whose programs are compiled.
        await slide(page, '*', 100);
        await settled(page);
        await slide(page, '*', 50);
        const again = await settled(page);
        expect(again.params).toBe(half.params);
        expect(again.accuracy).toBe(half.accuracy);
        console.log(`app ${backend}: width change to a width seen before ${again.timings.update!.toFixed(0)} ms ` +
                    `(accuracy shown after ${again.timings.accuracy!.toFixed(0)} ms)`);

        expect(await page.$eval('#latency', el => el.textContent)).toMatch(/ms per input \(timed in batches of 64 on /);
        expect(await page.$eval('#params', el => el.textContent)).toMatch(/% of the full model's\)$/);
        expect(await page.$eval('#global-value', el => el.textContent)).toBe('50 %');
        await page.click('[data-action="calibrate"]');
        calibrated = await settled(page);
        expect(calibrated.calibrated).toBeTrue();
        // Calibrated: the button rests until the widths change (calibrating again would aim at the same reference).
        expect(await page.$eval('[data-action="calibrate"]', el => (el as HTMLButtonElement).disabled)).toBeTrue();
        expect(calibrated.params).toBe(half.params);
        expect(calibrated.accuracy!).toBeGreaterThan(half.accuracy!);
        expect(calibrated.accuracy!).toBeGreaterThan(demoCalibratedAccuracy(0.5) - 0.04);
        console.log(`app ${backend}: calibration ${calibrated.timings.calibrate!.toFixed(0)} ms (accuracy shown after ${
            calibrated.timings.accuracy!.toFixed(0)} ms); calibrated accuracy ${calibrated.accuracy}`);
        mkdirSync(OUTPUT, {recursive: true});
        await page.screenshot({path: join(OUTPUT, `app-${backend}.png`), fullPage: true});
      }, 600000);

      it('downloads a stock model that stock tfjs reloads in a fresh page and scores the same', async () => {
        const before = await state(page);
        await page.click('[data-action="download"]');
        const after = await settled(page);
        expect(after.downloads).toBe(before.downloads + 1);
        const stem = STEM;
        await downloaded(downloads, [`${stem}.json`, `${stem}.weights.bin`]);
        const reloaded = await stockAccuracy(browser, url, backend, downloads, stem);
        expect(reloaded.layers.every(name => !name.startsWith('Integral'))).toBeTrue();
        expect(Math.abs(reloaded.accuracy - after.accuracy!)).toBeLessThanOrEqual(1 / 512);
        const bytes = [`${stem}.json`, `${stem}.weights.bin`].reduce((n, f) => n + readFileSync(join(downloads, f)).length, 0);
        expect(Math.abs(bytes - after.bytes!) / after.bytes!).toBeLessThan(0.02);
      }, 300000);

      if (backend === 'webgl') {
        it('fits a parameter budget with the search button, calibrated', async () => {
          await page.$eval('#budget', el => (el as HTMLInputElement).value = '40');
          await page.click('[data-action="search"]');
          const searched = await settled(page, 600000);
          expect(searched.params!).toBeLessThanOrEqual(0.4 * full.params!);
          expect(searched.calibrated).toBeTrue();
          expect(searched.accuracy!).toBeGreaterThan(0.7);
          console.log(`app ${backend}: search ${searched.timings.search!.toFixed(0)} ms, widths ${
              searched.groups.map(g => g.size).join('-')}, accuracy ${searched.accuracy}`);
        }, 600000);

        it('distills the calibrated model on the sample, showing the accuracy as it improves, and cancels', async () => {
          const before = await state(page);
          await page.$eval('#distill-epochs', el => (el as HTMLInputElement).value = '3');
          await page.click('[data-action="distill"]');
          const distilled = await settled(page, 600000);
          expect(distilled.distilled).toBe(3);
          expect(distilled.distillScores.length).toBe(3);
          expect(distilled.params).toBe(before.params);
          expect(distilled.accuracy!).toBeGreaterThan(before.accuracy! - 0.01);
          expect(await page.$eval('#distill-log', el => el.textContent)).toMatch(/after epoch 3: \d+\.\d %/);
          console.log(`app ${backend}: distillation of 3 epochs on 512 images ${distilled.timings.distill!.toFixed(0)} ms; ` +
                      `accuracy by epoch ${distilled.distillScores.map(a => a.toFixed(3)).join(', ')} (before ` +
                      `${before.accuracy})`);
          // Cancel: the training stops after the current batch, keeping what was trained.
          await page.$eval('#distill-epochs', el => (el as HTMLInputElement).value = '50');
          await page.click('[data-action="distill"]');
          // The scores go on from the 3 epochs above: wait for 2 more, then cancel.
          await page.waitForFunction(() => window.appState.distillScores.length >= 3 + 2, {polling: 100, timeout: 600000});
          // The button's own click (the page re-renders above it after every epoch, so a click at coordinates races).
          await page.$eval('[data-action="cancel"]', button => (button as HTMLButtonElement).click());
          const cancelled = await settled(page, 600000);
          expect(cancelled.distilled).toBeGreaterThanOrEqual(3 + 2);
          expect(cancelled.distilled).toBeLessThan(3 + 50);
          expect(cancelled.error).toBeNull();
        }, 900000);

        it('opens a model the user picks (the download), which scores what it scored as the app\'s model', async () => {
          const before = await state(page);
          const chooser = await page.$('#model-files') as ElementHandle<HTMLInputElement>;
          await chooser.uploadFile(...[`${STEM}.json`, `${STEM}.weights.bin`].map(f => join(downloads, f)));
          await page.waitForFunction(stem => window.appState.model === `${stem}.json`, {polling: 100}, STEM);
          const opened = await settled(page);
          const widths = (s: AppState, key: 'size'|'originalSize') => s.groups.filter(g => g.adjustable).map(g => g[key]);
          expect(widths(opened, 'originalSize')).toEqual(widths(calibrated, 'size'));
          expect(widths(opened, 'size')).toEqual(widths(opened, 'originalSize'));
          expect(opened.params).toBe(calibrated.params);
          expect(Math.abs(opened.accuracy! - calibrated.accuracy!)).toBeLessThanOrEqual(1 / 512);
          expect(opened.calibrated).toBeFalse();
          expect(before.model).not.toBe(opened.model);
        }, 300000);

        it('scores the same with the model work on the latency backend (?compute=same)', async () => {
          const same = await browser.newPage();
          try {
            await same.goto(`${url}?backend=${backend}&compute=same`);
            const opened = await settled(same);
            expect(opened.computeBackend).toBe(backend);
            expect(Math.abs(opened.accuracy! - full.accuracy!)).toBeLessThanOrEqual(1 / 512);
            await slide(same, '*', 50);
            const half = await settled(same);
            expect(half.params).toBe(calibrated.params);
            expect(Math.abs(half.accuracy! - halfAccuracy)).toBeLessThanOrEqual(1 / 512);
            // Distillation trains on the latency backend too.
            await same.$eval('#distill-epochs', el => (el as HTMLInputElement).value = '1');
            await same.click('[data-action="distill"]');
            const distilled = await settled(same, 600000);
            expect(distilled.distilled).toBe(1);
            expect(distilled.distillScores.length).toBe(1);
            expect(distilled.error).toBeNull();
            console.log(`app ${backend}: distillation of 1 epoch on 512 images with the model work on ${backend} ` +
                        `${distilled.timings.distill!.toFixed(0)} ms; accuracy ${half.accuracy} → ${distilled.accuracy}`);
          } finally {
            await same.close();
          }
        }, 900000);

        it('says "mixed" when one group moves alone, and opens user files through the checked loader', async () => {
          const first = (await state(page)).groups.find(g => g.adjustable)!;
          await slide(page, first.name, Math.max(1, Math.floor(first.originalSize / 4)));
          const moved = await settled(page);
          expect(await page.$eval('#global-value', el => el.textContent)).toMatch(/^mixed \(mean \d+ %\)$/);
          expect(await page.$eval('[data-action="calibrate"]', el => (el as HTMLButtonElement).disabled)).toBeFalse();
          // A model file whose initializer would make tfjs draw forever: refused before tfjs builds it.
          const hostile = JSON.parse(readFileSync(join(downloads, `${STEM}.json`), 'utf8'));
          hostile.modelTopology.config.layers[0].config.kernel_initializer = {
            class_name: 'TruncatedNormal', config: {mean: 0, stddev: 'x', seed: null}};
          writeFileSync(join(downloads, 'hostile.json'), JSON.stringify(hostile));
          const chooser = await page.$('#model-files') as ElementHandle<HTMLInputElement>;
          await chooser.uploadFile(join(downloads, 'hostile.json'), join(downloads, `${STEM}.weights.bin`));
          await page.waitForFunction(() => window.appState.ready && window.appState.error != null, {polling: 100});
          const after = await state(page);
          expect(after.error).toMatch(/Error in loadModel: .*stddev' must be a finite number/);
          expect(after.model).toBe(moved.model);
        }, 300000);

        it('keeps the model and names the problem when a model URL does not load', async () => {
          const before = await state(page);
          await page.$eval('#model-url', el => (el as HTMLInputElement).value = 'http://127.0.0.1:9/missing/model.json');
          await page.click('#url-form button');
          await page.waitForFunction(() => window.appState.ready && window.appState.error != null, {polling: 100});
          const after = await state(page);
          expect(after.error).toMatch(/missing\/model\.json|fetch/i);
          expect(after.model).toBe(before.model);
          expect(after.params).toBe(before.params);
        });

        it('opens a graph model (tfjs-converter output) and shrinks it', async () => {
          // A graph of every convolution form, its input [8, 8, 3] (the sample does not fit: scored by agreement).
          const artifacts = await invertedResidualGraph(1).artifacts();
          writeFileSync(join(downloads, 'graph.json'), JSON.stringify({
            modelTopology: artifacts.modelTopology, format: 'graph-model',
            weightsManifest: [{paths: ['graph.weights.bin'], weights: artifacts.weightSpecs}]}));
          writeFileSync(join(downloads, 'graph.weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
          const chooser = await page.$('#model-files') as ElementHandle<HTMLInputElement>;
          await chooser.uploadFile(join(downloads, 'graph.json'), join(downloads, 'graph.weights.bin'));
          await page.waitForFunction(() => window.appState.model === 'graph.json', {polling: 100, timeout: 120000});
          const opened = await settled(page);
          expect(opened.metric).toBe('agreement');
          expect(opened.accuracy).toBe(1);
          expect(opened.groups.filter(g => g.adjustable).map(g => g.originalSize)).toEqual([8, 16, 6, 4]);
          await slide(page, '*', 50);
          const half = await settled(page);
          expect(half.groups.filter(g => g.adjustable).map(g => g.size)).toEqual([4, 8, 3, 2]);
          expect(half.params!).toBeLessThan(opened.params!);
        }, 300000);
      }
    });
  }
});
