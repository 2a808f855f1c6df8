import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appearanceStyle } from '../src/appearance.js';
import DEFAULTS from '../src/defaults.json' with { type: 'json' };

const contractExample = {
  accent_color: '#2f5bea',
  text_color: 'light',
  logo_url: '',
  position: 'bottom-right',
  offset_x: 20,
  offset_y: 20,
  font_size: 15,
  border_radius: 24,
  padding: 12,
};

test('the contract example maps to the trigger style', () => {
  assert.deepEqual(appearanceStyle(contractExample), {
    '--sd-accent': '#2f5bea',
    '--sd-on-accent': '#fff',
    '--sd-font-size': '15px',
    '--sd-radius': '24px',
    '--sd-padding': '12px',
    '--sd-bottom': '20px',
    '--sd-right': '20px',
  });
});

test('the corner decides which edges get the offsets', () => {
  const style = appearanceStyle({
    ...contractExample,
    position: 'top-left',
    offset_x: 5,
    offset_y: 40,
  });
  assert.equal(style['--sd-top'], '40px');
  assert.equal(style['--sd-left'], '5px');
  assert.equal(style['--sd-bottom'], undefined);
  assert.equal(style['--sd-right'], undefined);
});

test('font size, radius, padding and colours come from the config', () => {
  const style = appearanceStyle({
    ...contractExample,
    accent_color: '#ff0000',
    text_color: 'dark',
    font_size: 18,
    border_radius: 4,
    padding: 20,
  });
  assert.equal(style['--sd-accent'], '#ff0000');
  assert.equal(style['--sd-on-accent'], '#111');
  assert.equal(style['--sd-font-size'], '18px');
  assert.equal(style['--sd-radius'], '4px');
  assert.equal(style['--sd-padding'], '20px');
});

test('a missing appearance or unknown corner gives the bottom-right defaults', () => {
  assert.deepEqual(appearanceStyle(undefined), appearanceStyle(contractExample));
  assert.deepEqual(
    appearanceStyle({ ...contractExample, position: 'middle', accent_color: '' }),
    appearanceStyle(contractExample),
  );
});

test('with no appearance the widget draws the shared defaults the server starts from', () => {
  assert.deepEqual(appearanceStyle({}), appearanceStyle(DEFAULTS));
  assert.equal(appearanceStyle({})['--sd-accent'], DEFAULTS.accent_color);
});
