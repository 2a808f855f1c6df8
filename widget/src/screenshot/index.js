// The screenshot chunk, loaded on demand by the loader (src/chunk.js). The loader uses
// mount(); capture() and annotate() are the building blocks it is made of.
import { annotate } from './annotate.js';
import { capture } from './capture.js';
import { mount } from './panel.js';

window.__snagdeskScreenshot = { capture, annotate, mount };
