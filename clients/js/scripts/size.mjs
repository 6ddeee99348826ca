// Prints the size of the browser bundle dist/realtime.min.js, minified and gzipped (run `npm run build` first).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const bundle = readFileSync(new URL('../dist/realtime.min.js', import.meta.url));
const gzipped = gzipSync(bundle, { level: 9 }).length;
console.log(`dist/realtime.min.js: ${bundle.length} bytes minified, ${gzipped} bytes minified+gzipped`);
