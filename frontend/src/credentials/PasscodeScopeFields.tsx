// The doors and the lifetime of a new application passcode (NEW AUTHENTICATION + on the
// Application passcodes page): checkboxes for IMAP, POP3, SMTP, CalDAV/CardDAV and Exchange
// ActiveSync (the first four ticked), and when it expires.
import { Checkbox, NativeSelect, Stack } from '@mantine/core';
import type { useForm } from '@mantine/form';
import type { PasscodeScope, PasscodeService } from '../common/api';
import { strings } from '../common/strings';

const s = strings.passcodeScope;

/** A door as the user sees it: CalDAV and CardDAV are one (DAV clients use both). */
export type Door = keyof typeof s.doors;

export const DOORS: Door[] = ['imap', 'pop3', 'smtp', 'dav', 'eas'];
/** Every mail door of a desktop client; EAS is asked for (phones have EAS passwords). */
export const DEFAULT_DOORS: Door[] = ['imap', 'pop3', 'smtp', 'dav'];
export const EXPIRY_CHOICES = ['0', '30', '90', '365'] as const;

const servicesOf: Record<Door, PasscodeService[]> = {
  imap: ['imap'],
  pop3: ['pop3'],
  smtp: ['smtp'],
  dav: ['caldav', 'carddav'],
  eas: ['eas'],
};

/** The request's scope for the doors ticked and the expiry chosen. */
export function scopeOf(doors: string[], expiry: string): PasscodeScope {
  return {
    services: DOORS.filter((d) => doors.includes(d)).flatMap((d) => servicesOf[d]),
    expiresInDays: Number(expiry) as PasscodeScope['expiresInDays'],
  };
}

/** The two fields' input props, as @mantine/form's getInputProps gives them. */
type InputProps = ReturnType<ReturnType<typeof useForm>['getInputProps']>;

interface Props {
  doors: InputProps;
  expiry: InputProps;
}

export function PasscodeScopeFields({ doors, expiry }: Props) {
  return (
    <Stack gap="md">
      <Checkbox.Group label={s.doorsLegend} description={s.doorsHint} {...doors} data-testid="passcode-doors">
        <Stack gap={8} mt={8}>
          {DOORS.map((d) => (
            <Checkbox key={d} value={d} label={s.doors[d]} data-testid={`door-${d}`} />
          ))}
        </Stack>
      </Checkbox.Group>
      <NativeSelect
        label={s.expiry}
        description={s.expiryHint}
        data={EXPIRY_CHOICES.map((v) => ({ value: v, label: s.expiryChoices[v] }))}
        data-testid="passcode-expiry"
        {...expiry}
      />
    </Stack>
  );
}
