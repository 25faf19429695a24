// An entry of the list of OTP entries: label, description, status, failed attempts ("n / 10"), PIN
// codes left, creation date, last use, DELETE x. A pending or locked entry, or one nearly out of PIN
// codes, says what that means.
import { Box, Button, Group, Text } from '@mantine/core';
import type { Credential } from '../common/api';
import { formatDate } from '../common/format';
import { AlertIcon, ClockIcon } from '../common/icons';
import type { EntryPlace } from '../common/ListCard';
import { strings } from '../common/strings';
import { CredentialEntry } from '../credentials/CredentialEntry';
import { OTP_LOCK_AFTER } from './codes';

/** At or below this many unused PIN codes an enabled entry suggests making new ones. */
const FEW_PINS = 2;

const s = strings.sections.otp;
const c = strings.credentials;

/** A line on what a pending or locked entry means; the icon carries the colour, the words stay readable. */
function Hint({ color, icon, children }: { color: string; icon: React.ReactNode; children: string }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="otp-hint">
      <Box c={color} style={{ flexShrink: 0, marginTop: 2, lineHeight: 0 }}>
        {icon}
      </Box>
      <Text size="sm" c="gray.8">
        {children}
      </Text>
    </Group>
  );
}

/** "Label value", the value in bold: one fact of an entry. */
function Fact({ label, value, color = 'gray.9', testId }: { label: string; value: string; color?: string; testId: string }) {
  return (
    <Text size="sm" c="gray.7">
      {label}{' '}
      <Text span inherit fw={600} c={color} data-testid={testId}>
        {value}
      </Text>
    </Text>
  );
}

const TEST_IDS = { entry: 'otp-entry', label: 'otp-label', status: 'otp-status' };

interface Props {
  entry: Credential;
  place: EntryPlace;
  onDelete: () => void;
  /** NEW PIN CODES (not offered for a pending entry, whose codes come with its creation). */
  onRenew: () => void;
}

export function OtpEntry({ entry: e, place, onDelete, onRenew }: Props) {
  const failed = e.failedAttempts;
  // A pending entry's PIN codes do not work yet: their count would mislead.
  const pins = e.status === 'pending' ? undefined : e.pinCodesLeft;
  return (
    <CredentialEntry
      credential={e}
      place={place}
      testIds={TEST_IDS}
      onDelete={onDelete}
      actions={
        e.status !== 'pending' && (
          <Button variant="light" size="xs" aria-label={strings.renewPins.buttonName(e.label)} onClick={onRenew} data-testid="otp-renew">
            {strings.renewPins.button}
          </Button>
        )
      }
    >
          <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="otp-description">
            {e.description}
          </Text>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            <Text size="sm" c="gray.7">
              {s.failedAttempts}{' '}
              <Text span inherit fw={600} c={failed > 0 ? 'red.9' : 'gray.9'} ff="monospace" data-testid="otp-failed">
                {s.failedCount(failed, OTP_LOCK_AFTER)}
              </Text>
            </Text>
            {pins !== undefined && (
              <Fact label={s.pinCodesLeft} value={String(pins)} color={pins <= FEW_PINS ? 'red.9' : 'gray.9'} testId="otp-pins-left" />
            )}
            <Text size="sm" c="gray.7">
              {c.createdAt(formatDate(e.createdAt))}
            </Text>
            <Fact label={s.lastUsed} value={e.lastUsedAt ? formatDate(e.lastUsedAt) : s.neverUsed} testId="otp-last-used" />
          </Group>
          {e.status === 'pending' && (
            <Hint color="yellow.8" icon={<ClockIcon size={16} />}>
              {s.pendingHint}
            </Hint>
          )}
          {e.status === 'enabled' && pins !== undefined && pins <= FEW_PINS && (
            <Hint color="orange.8" icon={<AlertIcon size={16} />}>
              {s.fewPinsHint(pins)}
            </Hint>
          )}
          {e.status === 'locked' && (
            <Hint color="red.8" icon={<AlertIcon size={16} />}>
              {s.lockedHint}
            </Hint>
          )}
    </CredentialEntry>
  );
}
