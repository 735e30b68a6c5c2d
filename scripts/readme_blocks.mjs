/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The README's fenced code blocks, each with its language, its line and the heading it stands under.
import {readFileSync} from 'node:fs';

/**
 * Every fenced block of the markdown file `path`: `{language, code, line, heading}` (`heading`: the nearest `#`
 * heading above it, without the hashes; `line`: the 1-based line of the opening fence).
 */
export function readmeBlocks(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks = [];
  let heading = '', open = null;
  lines.forEach((text, i) => {
    if (open == null && /^#{1,6} /.test(text)) heading = text.replace(/^#+ /, '');
    const fence = /^```(\w*)\s*$/.exec(text);
    if (fence == null) {
      if (open != null) open.code.push(text);
      return;
    }
    if (open == null) {
      open = {language: fence[1], code: [], line: i + 1, heading};
    } else {
      blocks.push({...open, code: `${open.code.join('\n')}\n`});
      open = null;
    }
  });
  if (open != null) throw new Error(`README: the block opened at line ${open.line} is never closed`);
  return blocks;
}
