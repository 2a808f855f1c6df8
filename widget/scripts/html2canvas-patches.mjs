// Patches to html2canvas-pro 2.5.2, applied as esbuild loads the library (build.mjs), so
// node_modules stays as npm installed it and every build is the same. Each patch must
// match exactly once: a library upgrade that moves the code fails the build instead of
// silently shipping it unpatched. Why each exists: ENGINE.md.
import { readFile } from 'node:fs/promises';

// The engine writes <style> elements into its copy of the page (the rules hiding its
// pseudo-element surrogates; the page's and shadow roots' adopted stylesheets). Under a
// strict style-src each is refused: a CSP violation and a console error on the visitor's
// page, and ::before/::after content then drawn twice, the copy's layout shifted. They
// become inert <template data-snagdesk-css> carriers instead, which clone.js turns into
// constructed stylesheets (allowed by any policy) before anything is drawn.
export const CSS_CARRIER = 'data-snagdesk-css';

export const PATCHES = [
  {
    name: 'pseudo-element hiding rules carried, not a <style>',
    find: `\t\tconst style = document.createElement("style");
\t\tstyle.textContent = styles;
\t\tif (cspNonce) style.nonce = cspNonce;
\t\tbody.appendChild(style);`,
    replace: `\t\tconst style = document.createElement("template");
\t\tstyle.setAttribute("${CSS_CARRIER}", styles);
\t\tbody.appendChild(style);`,
  },
  {
    name: 'adopted stylesheets carried, not a <style>',
    find: `\tconst style = styleDocument.createElement("style");
\tstyle.textContent = css;
\tif (nonce) style.nonce = nonce;
\treturn style;`,
    replace: `\tconst style = styleDocument.createElement("template");
\tstyle.setAttribute("${CSS_CARRIER}", css);
\treturn style;`,
  },
  // A counter incremented where none is in scope (`li { counter-increment: step }` with
  // no counter-reset, which browsers accept: CSS Lists 3 instantiates it at 0) was never
  // counted: every item read "1.". It is now instantiated, in the scope of the element's
  // parent (popped when the parent's subtree is done), as browsers do.
  {
    name: 'counters: a scope stack beside the counters',
    find: `\tcounters = {};
\tgetCounterValue(name) {`,
    replace: `\tcounters = {};
\tscopes = [[]];
\tgetCounterValue(name) {`,
  },
  {
    name: 'counters: instantiate a counter incremented out of any scope',
    find: `\t\t\tconst counter = this.counters[entry.counter];
\t\t\tif (counter && entry.increment !== 0) {`,
    replace: `\t\t\tlet counter = this.counters[entry.counter];
\t\t\tif ((!counter || !counter.length) && entry.increment !== 0) {
\t\t\t\tcounter = this.counters[entry.counter] = [0];
\t\t\t\tthis.scopes[this.scopes.length - 1].push(entry.counter);
\t\t\t}
\t\t\tif (counter && entry.increment !== 0) {`,
  },
  {
    name: 'counters: open an element scope',
    find: `\t\t\tconst counters = this.counters.parse(new CSSParsedCounterDeclaration(this.context, style));`,
    replace: `\t\t\tconst counters = this.counters.parse(new CSSParsedCounterDeclaration(this.context, style));
\t\t\tthis.counters.scopes.push(counters);`,
  },
  {
    name: 'counters: close an element scope',
    find: `\t\t\tthis.counters.pop(counters);`,
    replace: `\t\t\tthis.counters.scopes.pop();
\t\t\tthis.counters.pop(counters);`,
  },
  {
    // <ol reversed> without start counts down from its number of items (HTML); the
    // engine started at 1 and went on to 0, -1…
    name: 'reversed lists count down from their length',
    find: `\t\tthis.start = element.start;
\t\tthis.reversed = typeof element.reversed === "boolean" && element.reversed === true;`,
    replace: `\t\tthis.reversed = typeof element.reversed === "boolean" && element.reversed === true;
\t\tthis.start = this.reversed && !element.hasAttribute("start") ? element.querySelectorAll(":scope > li").length : element.start;`,
  },
  {
    // The engine sizes the iframe holding its copy with width/height attributes, which
    // any page rule on iframes overrides (`iframe { width: 100%; height: auto }` for
    // responsive embeds): the copy was laid out in that size, every fixed element placed
    // against the wrong viewport. Inline !important styles win over page rules.
    name: 'the copy iframe keeps the window size whatever the page says about iframes',
    find: [
      '\tcloneIframeContainer.width = bounds.width.toString();',
      '\tcloneIframeContainer.height = bounds.height.toString();',
    ].join('\n'),
    replace: [
      '\tcloneIframeContainer.width = bounds.width.toString();',
      '\tcloneIframeContainer.height = bounds.height.toString();',
      '\tfor (const [name, value] of [["width", bounds.width + "px"], ["height", bounds.height + "px"], ["min-width", "0"], ["min-height", "0"], ["max-width", "none"], ["max-height", "none"], ["padding", "0"], ["margin", "0"], ["box-sizing", "content-box"], ["transform", "none"]]) cloneIframeContainer.style.setProperty(name, value, "important");',
    ].join('\n'),
  },
  {
    // The SVG feature probe loads a data: image (a CSP violation under a strict img-src);
    // it was run for the first image of any kind. Now only when an SVG image is drawn.
    name: 'SVG drawing probed only for SVG images',
    find: 'const isRenderable = (src) => FEATURES.SUPPORT_SVG_DRAWING || !isSVG(src);',
    replace: 'const isRenderable = (src) => !isSVG(src) || FEATURES.SUPPORT_SVG_DRAWING;',
  },
];

/** `source` with every patch applied; throws when one does not match exactly once. */
export function applyPatches(source, patches = PATCHES) {
  return patches.reduce((text, { name, find, replace }) => {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`html2canvas-pro patch "${name}" matched ${count} times`);
    return text.replace(find, () => replace);
  }, source);
}

export const html2canvasPatches = {
  name: 'html2canvas-pro-patches',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]html2canvas-pro[\\/]dist[\\/]html2canvas-pro\.esm\.js$/ },
      async (args) => ({
        contents: applyPatches(await readFile(args.path, 'utf8')),
        loader: 'js',
      }),
    );
  },
};
