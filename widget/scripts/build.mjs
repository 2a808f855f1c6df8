// Build dist/v1: loader.js and screenshot.js (minified IIFEs) and one i18n/<lang>.json per
// language, each with its gzip (.gz) and brotli (.br) copy for the server to send to
// browsers that accept them. Deterministic — no timestamps, no absolute paths — so
// check-build can compare a fresh build with the committed files byte for byte.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { html2canvasPatches } from './html2canvas-patches.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Modern evergreen browsers: adoptedStyleSheets (Safari 16.4, Firefox 101, Chrome 73)
// already implies full ES2020 support, so nothing older is worth transpiling for.
const TARGET = 'es2020';

// `import css from './x.css'` gives the minified stylesheet text.
const cssAsText = {
  name: 'css-as-text',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await esbuild.transform(await readFile(args.path, 'utf8'), {
        loader: 'css',
        minify: true,
      });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
    });
  },
};

/** Build into `outdir` (its v1/ folder is replaced). */
export async function build(outdir) {
  const v1 = join(outdir, 'v1');
  await rm(v1, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: {
      loader: 'src/loader.js',
      screenshot: 'src/screenshot/index.js',
      signin: 'src/signin.js',
    },
    outdir: v1,
    bundle: true,
    minify: true,
    format: 'iife',
    target: TARGET,
    charset: 'utf8',
    legalComments: 'eof',
    plugins: [cssAsText, html2canvasPatches],
    logLevel: 'warning',
  });
  const { CATALOGUES, LANGUAGES } = await import(pathToFileURL(join(ROOT, 'src/i18n.js')).href);
  await mkdir(join(v1, 'i18n'), { recursive: true });
  for (const lang of LANGUAGES) {
    await writeFile(join(v1, 'i18n', `${lang}.json`), `${JSON.stringify(CATALOGUES[lang])}\n`);
  }
  await precompress(v1);
}

/** The .gz and .br copies of every file in `dir`, at the highest levels (made once). */
async function precompress(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const data = await readFile(path);
    await writeFile(`${path}.gz`, gzipSync(data, { level: 9 }));
    const params = {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    };
    await writeFile(`${path}.br`, brotliCompressSync(data, { params }));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build(join(ROOT, 'dist'));
  console.log('built dist/v1');
}
