// "Remember this browser for N days" on the second step of a login; not shown when the
// account's policy offers 0 days.
import { Checkbox } from '@mantine/core';
import { strings } from '../common/strings';

const s = strings.login;

export function RememberBrowser({ days, checked, onChange }: { days: number; checked: boolean; onChange: (v: boolean) => void }) {
  if (days <= 0) return null;
  return (
    <Checkbox
      label={s.rememberBrowser(days)}
      description={s.rememberBrowserHint}
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
      data-testid="remember-browser"
    />
  );
}
