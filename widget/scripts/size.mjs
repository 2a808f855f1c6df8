// Print the raw and gzipped sizes of dist/v1 in bytes, and what bundling every language
// into the loader would have cost (the reason none is bundled, see README.md). Exits
// non-zero when the loader is over its budget.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const V1 = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'v1');
const LOADER_BUDGET = 8 * 1024;
const gzip = (data) => gzipSync(data, { level: 9 }).length;
const bytes = (n) => n.toLocaleString('en-US').padStart(9);

function row(name, raw, gz, note = '') {
  console.log(
    `${name.padEnd(34)}${raw === null ? ' '.repeat(9) : bytes(raw)}  ${bytes(gz)}  ${note}`,
  );
}

const loader = await readFile(join(V1, 'loader.js'));
const chunk = await readFile(join(V1, 'screenshot.js'));
const signin = await readFile(join(V1, 'signin.js'));
// The build's .gz and .br copies of each catalogue are not languages of their own.
const names = (await readdir(join(V1, 'i18n'))).filter((name) => name.endsWith('.json')).sort();
const langs = await Promise.all(
  names.map(async (name) => ({ name, data: await readFile(join(V1, 'i18n', name)) })),
);
const bySize = langs.map((l) => ({ ...l, gz: gzip(l.data) })).sort((a, b) => a.gz - b.gz);
const [smallest, largest] = [bySize[0], bySize[bySize.length - 1]];

console.log(`${'file'.padEnd(34)}${'raw'.padStart(9)}  ${'gzipped'.padStart(9)}  (bytes, gzip -9)`);
row('loader.js', loader.length, gzip(loader), `budget ${LOADER_BUDGET.toLocaleString('en-US')}`);
row('screenshot.js', chunk.length, gzip(chunk), 'lazy: hover/focus on the trigger, or opening');
row('signin.js', signin.length, gzip(signin), 'lazy: a login-only token, signed out');
row(
  `i18n/${largest.name} (largest of ${langs.length})`,
  largest.data.length,
  largest.gz,
  'one per visitor',
);
row(`i18n/${smallest.name} (smallest)`, smallest.data.length, smallest.gz);
row(
  `all ${langs.length} languages in one file`,
  null,
  gzip(Buffer.concat(langs.map((l) => l.data))),
  'if bundled',
);

if (gzip(loader) > LOADER_BUDGET) {
  console.error('loader.js is over its 8 KB gzipped budget');
  process.exitCode = 1;
}
