import { DEFAULT_THEME, getPrimaryShade, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, cssVariablesResolver, DIMMED, MIN_CONTRAST, theme } from './theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const gray = full.colors.gray;
const vars = cssVariablesResolver(full).light;

describe('contrast', () => {
  it('is the WCAG ratio', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 2); // Mantine's gray-6, what axe found
  });
});

describe('the theme passes WCAG AA (4.5:1) for text', () => {
  it('dims help text legibly on white, the page background and a light blue', () => {
    expect(vars['--mantine-color-dimmed']).toBe(DIMMED);
    for (const bg of ['#ffffff', gray[0], gray[1], full.colors.blue[1]]) {
      expect(contrast(DIMMED, bg), bg).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
  });

  it('puts white text on filled blue, red and teal (buttons, links)', () => {
    const shade = getPrimaryShade(full, 'light');
    for (const color of ['blue', 'red', 'teal']) {
      expect(contrast('#ffffff', vars[`--mantine-color-${color}-filled`]), color).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
    // Links are the primary shade on the page background.
    expect(contrast(full.colors.blue[shade], gray[0])).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('writes coloured text and field errors legibly on white and on the page background', () => {
    for (const [name, palette] of Object.entries(full.colors)) {
      const text = vars[`--mantine-color-${name}-filled`];
      expect(text, name).toBeDefined();
      expect(vars[`--mantine-color-${name}-text`], name).toBe(text);
      expect(palette.includes(text) || text.startsWith('rgba('), name).toBe(true);
      for (const bg of ['#ffffff', gray[0]]) expect(contrast(text, bg), `${name} on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
    for (const bg of ['#ffffff', gray[0]]) expect(contrast(vars['--mantine-color-error'], bg)).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('gives every light variant (badges, alerts, the active menu entry) legible text', () => {
    for (const [name, palette] of Object.entries(full.colors)) {
      const text = vars[`--mantine-color-${name}-light-color`];
      expect(text, name).toBeDefined();
      // On the tint (shade 1) and its hover (shade 2).
      expect(contrast(text, palette[1]), name).toBeGreaterThanOrEqual(MIN_CONTRAST);
      expect(contrast(text, palette[2]), name).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
  });
});
