// The second step of the creation dialog: the new secret, shown this once. It lives only in the
// state of the open dialog; DONE (or closing the dialog) throws it away.
import { Alert, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Fragment, useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import type { CreatedCredential } from '../common/api';
import { AlertIcon, CheckIcon, CopyIcon } from '../common/icons';
import { strings } from '../common/strings';
import type { KindInfo } from './kinds';
import { halves, passwordGroups } from './label';
import { AppleProfileOffer } from './AppleProfile';
import { MailSettingsInDialog } from './MailSettings';

const s = strings.credentials;
const COPIED_FOR_MS = 3000;

type CopyState = 'idle' | 'copied' | 'failed';

interface CopyProps {
  text: string;
  label: string;
  variant: 'filled' | 'light' | 'default' | 'subtle';
  /** The test id of the status next to the button. */
  statusId?: string;
}

/** A button that copies `text`, with "Copied" (or a failure) announced next to it. */
export function CopySecret({ text, label, variant, statusId = 'copy-status' }: CopyProps) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    clearTimeout(timer.current);
    try {
      // Undefined outside a secure context (plain HTTP to another host than localhost).
      await navigator.clipboard.writeText(text);
      setState('copied');
      timer.current = setTimeout(() => setState('idle'), COPIED_FOR_MS);
    } catch {
      setState('failed');
    }
  };

  return (
    <Group gap="sm" wrap="wrap">
      <Button variant={variant} leftSection={<CopyIcon size={16} />} onClick={copy}>
        {label}
      </Button>
      <Box aria-live="polite" aria-atomic="true" data-testid={statusId}>
        {state === 'copied' && (
          <Group gap={4} c="teal" wrap="nowrap">
            <CheckIcon size={16} />
            <Text size="sm" fw={600}>
              {s.copied}
            </Text>
          </Group>
        )}
        {state === 'failed' && (
          <Text size="sm" c="red.8">
            {s.copyFailed}
          </Text>
        )}
      </Box>
    </Group>
  );
}

function Dash() {
  return (
    <Text span inherit c="dimmed" mx={2}>
      -
    </Text>
  );
}

/** XXXX-XXXX-XXXX-XXXX, large and monospaced; one click selects all of it. */
export function PasswordDisplay({ password, label = s.passwordLabel }: { password: string; label?: string }) {
  return (
    <Paper bg="gray.0" withBorder radius="md" px="md" py="lg">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} ta="center" mb={6}>
        {label}
      </Text>
      <Text
        component="div"
        ta="center"
        ff="monospace"
        fw={700}
        fz={{ base: 20, xs: 30 }}
        lh={1.35}
        data-testid="new-secret"
        style={{ letterSpacing: '0.06em', userSelect: 'all' }}
      >
        {halves(passwordGroups(password)).map((half, h) => (
          // Two unbreakable halves: on a narrow screen it wraps in the middle, never inside a group.
          <Fragment key={h}>
            {h > 0 && <Dash />}
            <span style={{ whiteSpace: 'nowrap', display: 'inline-block' }}>
              {half.map((group, i) => (
                <Fragment key={i}>
                  {i > 0 && <Dash />}
                  {group}
                </Fragment>
              ))}
            </span>
          </Fragment>
        ))}
      </Text>
    </Paper>
  );
}

/** The QR code at its native 320 px, on white with a quiet zone, so that phones read it easily. */
export function QrDisplay({ src, alt, testId = 'new-qr' }: { src: string; alt: string; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="xs" bg="white" style={{ alignSelf: 'center', lineHeight: 0 }}>
      <img
        src={src}
        alt={alt}
        width={320}
        height={320}
        data-testid={testId}
        style={{ display: 'block', maxWidth: '100%', height: 'auto', imageRendering: 'pixelated' }}
      />
    </Paper>
  );
}

export function SecretView({ info, created, onDone }: { info: KindInfo; created: CreatedCredential; onDone: () => void }) {
  const { me } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  const { credential, secret } = created;

  // The form (and the button that had focus) is gone: take focus to the news.
  useEffect(() => heading.current?.focus(), []);

  return (
    <Stack gap="md">
      <Title order={3} size="h5" ref={heading} tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
        {info.words.createdTitle(credential.label)}
      </Title>
      {secret.password && <PasswordDisplay password={secret.password} label={info.words.secretLabel} />}
      {secret.qrCode && <QrDisplay src={secret.qrCode} alt={s.qrAlt(credential.label)} />}
      {me && (
        <Text size="sm" c="dimmed">
          {info.words.useIt(me.email)}
        </Text>
      )}
      {secret.password && <CopySecret text={secret.password} label={info.words.copySecret} variant="filled" />}
      {secret.payload && <CopySecret text={secret.payload} label={s.copyPayload} variant="subtle" />}
      <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="secret-warning">
        <Text size="sm" fw={600}>
          {info.words.warnSecret}
        </Text>
      </Alert>
      {secret.appleProfile && <AppleProfileOffer profile={secret.appleProfile} label={credential.label} />}
      {info.mailSettings && <MailSettingsInDialog />}
      <Group justify="flex-end">
        <Button onClick={onDone}>{s.done}</Button>
      </Group>
    </Stack>
  );
}
