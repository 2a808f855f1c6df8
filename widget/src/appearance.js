// The config's `appearance` turned into CSS custom properties set on the widget's host
// element through CSSOM (element.style.setProperty), which a host page's CSP does not
// block. Values arrive validated by the server; missing ones take the defaults.

// The server's widget settings start from the same file (website_support/config.py).
import DEFAULTS from './defaults.json' with { type: 'json' };

const CORNERS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];

/** {property: value} for the host element; only the corner's two edges get an offset. */
export function appearanceStyle(appearance) {
  const a = { ...DEFAULTS, ...appearance };
  const [vertical, horizontal] = (
    CORNERS.includes(a.position) ? a.position : DEFAULTS.position
  ).split('-');
  return {
    '--sd-accent': a.accent_color || DEFAULTS.accent_color,
    '--sd-on-accent': a.text_color === 'dark' ? '#111' : '#fff',
    '--sd-font-size': `${a.font_size}px`,
    '--sd-radius': `${a.border_radius}px`,
    '--sd-padding': `${a.padding}px`,
    [`--sd-${vertical}`]: `${a.offset_y}px`,
    [`--sd-${horizontal}`]: `${a.offset_x}px`,
  };
}
