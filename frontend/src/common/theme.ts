import {
  createTheme,
  darken,
  luminance,
  Menu,
  Modal,
  Notification,
  PasswordInput,
  TextInput,
  type CSSVariablesResolver,
} from '@mantine/core';
import type { MouseEvent } from 'react';
import { strings } from './strings';

/** WCAG AA for normal-size text. */
export const MIN_CONTRAST = 4.5;

/** The WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Grey help text ("dimmed"). Mantine's gray-6 (#868e96) reaches 3.3:1 on white; this one
 * passes 4.5:1 on white, on the page background (gray-0) and on a light blue (blue-1).
 */
export const DIMMED = '#5c636a';

/**
 * The shade of filled buttons and badges, and of links. Mantine's 6 puts white text on #228be6
 * at 3.6:1; shade 8 passes 4.5:1 for blue and red, the colours that carry text here.
 */
const PRIMARY_SHADE = 8;

/**
 * The text colour of a "light" variant (a tinted background, shade 1, with shade 9 text): for
 * teal, green, orange and yellow Mantine's shade 9 is too light on it (2.7–4.3:1). Darkened
 * step by step until it passes, with a little margin for the hover tint.
 */
export function lightVariantText(palette: readonly string[]): string {
  let text = palette[9];
  for (let step = 1; contrast(text, palette[2]) < MIN_CONTRAST && step <= 20; step++) {
    text = darken(palette[9], step * 0.05);
  }
  return text;
}

/**
 * The colour of text in a colour (c="red", c="teal"), which Mantine takes from the filled shade
 * (so filled buttons get it too, white on it passing as well):
 * the first shade from PRIMARY_SHADE on that passes on the page background (gray-0), else shade 9
 * darkened until it does.
 */
export function coloredText(palette: readonly string[], background: string): string {
  for (let shade = PRIMARY_SHADE; shade <= 9; shade++) if (contrast(palette[shade], background) >= MIN_CONTRAST) return palette[shade];
  let text = palette[9];
  for (let step = 1; contrast(text, background) < MIN_CONTRAST && step <= 20; step++) text = darken(palette[9], step * 0.05);
  return text;
}

// Mantine's defaults (blue primary, system font stack) with slightly softer corners.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: PRIMARY_SHADE, dark: PRIMARY_SHADE },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // Every field of this app is required; say so to assistive technology (the `required`
    // attribute) rather than with a red asterisk on each label.
    TextInput: TextInput.extend({ defaultProps: { withAsterisk: false } }),
    PasswordInput: PasswordInput.extend({
      defaultProps: { withAsterisk: false, visibilityToggleButtonProps: { 'aria-label': strings.togglePassword } },
    }),
    Modal: Modal.extend({
      defaultProps: {
        closeButtonProps: { 'aria-label': strings.close },
        trapFocus: true,
        returnFocus: true,
        // The focus trap only keeps Tab inside while focus is inside: a click on the backdrop
        // would move focus to <body>, and the next Tab to the page behind. Keep focus where it is.
        overlayProps: { onMouseDown: (e: MouseEvent) => e.preventDefault() },
      },
      // The dialog's name is its heading: make it look like one.
      styles: { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } },
    }),
    // The dropdown's focus placeholder is a focusable role="presentation" inside role="menu",
    // which ARIA forbids (axe: aria-required-children); without it the first item takes focus.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': strings.close } } }),
  },
});

/**
 * CSS variables Mantine's theme object cannot set: the dimmed text, coloured text, field errors and the light variants' text
 * (light scheme; the app offers no dark one). Passed to MantineProvider next to the theme.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': DIMMED,
    // Field errors: Mantine's red-6 is 3.3:1 on white.
    '--mantine-color-error': coloredText(t.colors.red, t.colors.gray[0]),
  };
  for (const [name, palette] of Object.entries(t.colors)) {
    light[`--mantine-color-${name}-light-color`] = lightVariantText(palette);
    // c="red", c="teal" and filled buttons take the "filled" shade: one that also reads as text.
    const text = coloredText(palette, t.colors.gray[0]);
    light[`--mantine-color-${name}-filled`] = text;
    light[`--mantine-color-${name}-text`] = text;
  }
  return { variables: {}, light, dark: {} };
};
