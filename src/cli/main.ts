/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The `tfjs-integral` executable.
import {runCli} from './program';

// A closed pipe (`tfjs-integral inspect m.json | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

runCli(process.argv.slice(2), {out: t => process.stdout.write(t), err: t => process.stderr.write(t)})
    .then(status => {
      process.exitCode = status;
    });
