// The 2FA switch at the top of the OTP section. A policy level (COS, domain, global) that decides
// locks it, and the note under it says which; otherwise the user turns 2FA on (which needs an
// enabled OTP entry: without one the switch is off limits, and a hint says what to do first) or off.
import { Badge, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useId, useState } from 'react';
import { ApiError, api, type TwoFactor } from '../common/api';
import { errorMessage } from '../common/errors';
import { CheckIcon, LockIcon, ShieldIcon } from '../common/icons';
import { LoadError, Loading } from '../common/load';
import { strings } from '../common/strings';
import { lockMessage } from './codes';
import type { TwoFactorState } from './useTwoFactor';
import { Failure } from '../common/Failure';

const s = strings.twoFactor;

interface Props {
  state: TwoFactorState;
  reload: () => void;
  onChanged: (value: TwoFactor) => void;
  /** The account has an enabled OTP entry (a no_otp refusal no longer applies); null while not known. */
  hasEnabledEntry: boolean | null;
}

export function TwoFactorCard({ state, reload, onChanged, hasEnabledEntry }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const shownFailure = failure && !(failure.code === 'no_otp' && hasEnabledEntry) ? failure.message : null;
  const noteId = useId();
  const hintId = useId();

  const toggle = async (on: boolean) => {
    setBusy(true);
    setFailure(null);
    try {
      const value = await api.setTwoFactor(on);
      onChanged(value);
      notifications.show({ color: 'teal', icon: <CheckIcon size={18} />, message: value.enabled ? s.turnedOn : s.turnedOff });
    } catch (err) {
      // A policy was set in the meantime: show it.
      if (err instanceof ApiError && err.code === 'policy_locked') reload();
      setFailure({ code: err instanceof ApiError ? err.code : 'unknown', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (state.status === 'loading') {
    body = <Loading py="sm" />;
  } else if (state.status === 'error') {
    body = <LoadError error={state.error} onRetry={reload} title={s.loadError} py={0} />;
  } else {
    const tf = state.data;
    const locked = lockMessage(tf);
    // Off, and nothing to turn it on with: the server would refuse (no_otp).
    const cannotTurnOn = !tf.enabled && locked === null && hasEnabledEntry !== true;
    const describedBy = [locked ? noteId : null, cannotTurnOn && hasEnabledEntry === false ? hintId : null].filter(Boolean).join(' ');
    body = (
      <Stack gap="sm">
        <Switch
          size="md"
          checked={tf.enabled}
          onChange={(e) => toggle(e.currentTarget.checked)}
          disabled={locked !== null || busy || cannotTurnOn}
          label={
            <Group component="span" gap="xs" wrap="nowrap">
              {s.switchLabel}
              {/* The switch itself tells assistive technology whether it is on. */}
              <Badge component="span" aria-hidden="true" variant="light" color={tf.enabled ? 'teal' : 'gray'} radius="sm">
                {tf.enabled ? s.on : s.off}
              </Badge>
            </Group>
          }
          description={s.description}
          aria-describedby={describedBy || undefined}
          className="tessera-switch"
          data-testid="two-factor-switch"
          // Locked, it is still the setting that applies: no greyed-out words.
          styles={{
            label: { fontWeight: 600, fontSize: 'var(--mantine-font-size-md)', color: 'var(--mantine-color-text)' },
            description: { color: 'var(--mantine-color-gray-7)' },
          }}
        />
        {locked && (
          <Group gap={8} wrap="nowrap" align="flex-start" c="gray.8" id={noteId} data-testid="two-factor-lock">
            <LockIcon size={16} style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="sm">
              <Text span inherit fw={600}>
                {locked}
              </Text>{' '}
              {s.locked.adminOnly}
            </Text>
          </Group>
        )}
        {cannotTurnOn && hasEnabledEntry === false && (
          <Group gap={8} wrap="nowrap" align="flex-start" c="gray.8" id={hintId} data-testid="two-factor-needs-entry">
            <ShieldIcon size={16} style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="sm">{s.needsEntry}</Text>
          </Group>
        )}
        {tf.enabled && (
          <Text size="sm" c="gray.7">
            {s.passwordNote}
          </Text>
        )}
        <Failure text={shownFailure} testId="two-factor-error" />
      </Stack>
    );
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mb="lg" data-testid="two-factor-card">
      {body}
    </Paper>
  );
}
