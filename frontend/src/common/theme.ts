import { createTheme, Modal, Notification, PasswordInput, TextInput } from '@mantine/core';
import { strings } from './strings';

// Mantine's defaults (blue primary, system font stack) with slightly softer corners.
export const theme = createTheme({
  primaryColor: 'blue',
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
      defaultProps: { closeButtonProps: { 'aria-label': strings.close } },
      // The dialog's name is its heading: make it look like one.
      styles: { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } },
    }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': strings.close } } }),
  },
});
