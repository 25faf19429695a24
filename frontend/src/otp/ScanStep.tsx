// Step 2 of NEW OTP +: the QR code, the otpauth:// link and the key for manual entry, and a code
// from the app that confirms the entry.
import { Box, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { Fragment, useId, useRef, useState } from 'react';
import { api, type CreatedCredential, type Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import { halves } from '../credentials/label';
import { CopySecret, QrDisplay } from '../credentials/SecretView';
import { groupCode, isTotp, normaliseTotp } from './codes';
import { StepTitle, Warning } from './StepParts';
import { Failure } from '../common/Failure';

const s = strings.newOtp;

export function ScanStep({ created, onConfirmed }: { created: CreatedCredential; onConfirmed: (c: Credential) => void }) {
  const { credential, secret } = created;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const failureId = useId();
  const [code, setCode] = useState('');

  // Problems are shown below the row of the field and NEXT, in one announced place.
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!isTotp(code)) {
      setFailure(s.codeRequired);
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onConfirmed(await api.confirmOtp(credential.id, normaliseTotp(code)));
    } catch (err) {
      setFailure(errorMessage(err, { invalid_code: strings.errors.invalid_confirm_code }));
      setCode('');
      codeRef.current?.focus();
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <StepTitle>{s.scanTitle(credential.label)}</StepTitle>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg" verticalSpacing="md">
        <Box style={{ justifySelf: 'center' }}>
          {secret.qrCode && <QrDisplay src={secret.qrCode} alt={s.qrAlt(credential.label)} />}
        </Box>
        <Stack gap="sm" justify="center">
          <Text size="sm">{s.scanIntro}</Text>
          <Text size="sm" c="gray.7">
            {s.copyLinkHint}
          </Text>
          {secret.otpauthUrl && (
            <CopySecret text={secret.otpauthUrl} label={s.copyLink} variant="default" statusId="copy-link-status" />
          )}
          <Paper bg="gray.0" withBorder radius="md" p="sm" mt={4}>
            <Text size="sm" fw={600}>
              {s.manualTitle}
            </Text>
            <Text size="xs" c="gray.7" mb={8}>
              {s.manualHint}
            </Text>
            <Text
              component="div"
              ff="monospace"
              fw={700}
              fz="md"
              lh={1.6}
              mb={8}
              data-testid="otp-secret"
              style={{ userSelect: 'all' }}
            >
              {/* Two rows of four groups: it wraps in the middle, never inside a group. */}
              {halves(groupCode(secret.secret ?? '').split(' ')).map((half, i) => (
                <Fragment key={i}>
                  {i > 0 && ' '}
                  <span style={{ display: 'inline-block', whiteSpace: 'nowrap', wordSpacing: '0.2em' }}>{half.join(' ')}</span>
                </Fragment>
              ))}
            </Text>
            {secret.secret && <CopySecret text={secret.secret} label={s.copyKey} variant="default" statusId="copy-key-status" />}
          </Paper>
        </Stack>
      </SimpleGrid>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group align="flex-end" justify="space-between" gap="md">
            <TextInput
              ref={codeRef}
              label={s.codeField}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              w={320}
              maw="100%"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 18, letterSpacing: '0.15em' } }}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={failure !== null}
              aria-describedby={failure ? failureId : undefined}
            />
            <Button type="submit" loading={busy}>
              {s.next}
            </Button>
          </Group>
          <Failure text={failure} testId="confirm-error" id={failureId} />
          <Warning />
        </Stack>
      </form>
    </Stack>
  );
}
