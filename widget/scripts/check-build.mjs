// Fail when the committed dist/ is not exactly what the sources build to. Compressed copies
// are compared by what they decompress to: another zlib may compress the same bytes
// differently.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from './build.mjs';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

async function files(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(relative(dir, join(entry.parentPath ?? entry.path, entry.name)));
  }
  return found.sort();
}

function decoded(name, data) {
  if (name.endsWith('.gz')) return gunzipSync(data);
  return name.endsWith('.br') ? brotliDecompressSync(data) : data;
}

const fresh = await mkdtemp(join(tmpdir(), 'snagdesk-widget-'));
try {
  await build(fresh);
  const [built, committed] = await Promise.all([files(fresh), files(DIST).catch(() => [])]);
  const problems = [];
  for (const name of new Set([...built, ...committed])) {
    if (!committed.includes(name)) problems.push(`missing from dist/: ${name}`);
    else if (!built.includes(name)) problems.push(`stale file in dist/: ${name}`);
    else if (
      !decoded(name, await readFile(join(fresh, name))).equals(
        decoded(name, await readFile(join(DIST, name))),
      )
    ) {
      problems.push(`differs from a fresh build: dist/${name}`);
    }
  }
  if (problems.length) {
    console.error(`${problems.join('\n')}\nRun \`npm run build\` and commit dist/.`);
    process.exitCode = 1;
  } else {
    console.log(`dist/ matches a fresh build (${built.length} files)`);
  }
} finally {
  await rm(fresh, { recursive: true, force: true });
}
