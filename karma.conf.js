/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Browser suite: the same specs as in Node, bundled by esbuild, in headless Chromium on the webgl and webgpu
// backends (SwiftShader when there is no GPU). CommonJS: karma 6 require()s its config.
const fs = require('node:fs');
const path = require('node:path');

process.env.CHROME_BIN ??= '/usr/bin/chromium';
// karma-esbuild writes its entry into the temp dir; keep it inside the project so relative imports resolve.
const tmp = path.join(__dirname, '.karma-tmp');
fs.mkdirSync(tmp, {recursive: true});
process.env.TMPDIR = tmp;

/** Writes the counts for scripts/test_all.mjs; a run error (e.g. in beforeAll) counts as one failure. */
function CountsReporter() {
  this.onRunComplete = (_browsers, r) => {
    const counts = {passed: r.success, failed: r.failed + (r.error || r.disconnected ? 1 : 0), skipped: r.skipped};
    fs.mkdirSync(path.join(__dirname, '.test-results'), {recursive: true});
    fs.writeFileSync(path.join(__dirname, '.test-results/browser.json'), JSON.stringify(counts));
    process.stdout.write(`karma: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  };
}

module.exports = (config) => config.set({
  frameworks: ['jasmine'],
  files: [
    {pattern: 'test/browser_setup.ts', watched: false},
    {pattern: 'test/**/*_test.ts', watched: false},
  ],
  // The demo, the CLI and the file:// tests run in Node only; the app's test drives its own Chromium.
  exclude: ['test/graph/mobilenet_v2_test.ts', 'test/demo/**', 'test/cli/**', 'test/io/**', 'test/package/**', 'test/app/**'],
  preprocessors: {'test/**/*.ts': ['esbuild']},
  // ignoreAnnotations: bundle the specs despite package.json's sideEffects; Node-only specs import node: modules.
  esbuild: {target: 'es2020', ignoreAnnotations: true, external: ['node:fs', 'node:os']},
  // KARMA_GREP=pattern runs only the specs whose full name matches it.
  client: {jasmine: {random: false, timeoutInterval: 60000}, args: process.env.KARMA_GREP ? ['--grep', process.env.KARMA_GREP] : []},
  browsers: ['ChromeHeadlessGPU'],
  customLaunchers: {
    ChromeHeadlessGPU: {
      base: 'ChromeHeadless',
      flags: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'],
    },
  },
  plugins: ['karma-*', {'reporter:counts': ['type', CountsReporter]}],
  reporters: ['dots', 'counts'],
  reportSlowerThan: 15000,
  singleRun: true,
  browserNoActivityTimeout: 300000,
  browserDisconnectTimeout: 60000,
});
