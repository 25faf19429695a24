// "Install on an Apple device" under a new EAS password or application passcode: the one-time
// configuration profile the server made with the password (it can only be made then). The page
// downloads it with its session; a phone scans the QR code of the one-time URL instead. Either
// works once, for 10 minutes: the server deletes the profile on its first download.
import { Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { api, type AppleProfile } from '../common/api';
import { saveBlob } from '../common/download';
import { errorMessage } from '../common/errors';
import { Failure } from '../common/Failure';
import { formatDateParts } from '../common/format';
import { CheckIcon } from '../common/icons';
import { strings } from '../common/strings';
import { QrDisplay } from './SecretView';

const s = strings.appleProfile;

export function AppleProfileOffer({ profile, label }: { profile: AppleProfile; label: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const panelId = useId();
  const titleId = useId();
  const until = formatDateParts(profile.expiresAt)?.time ?? profile.expiresAt;

  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      saveBlob(await api.appleProfile(profile.token), s.fileName);
      setDone(true);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <Button variant="default" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        {s.open}
      </Button>
      {/* A plain div carries `hidden`: Paper's own display style would override it. */}
      <div id={panelId} hidden={!open} data-testid="apple-profile">
      <Paper role="region" aria-labelledby={titleId} withBorder radius="md" p="md" mt="sm">
        <Stack gap="sm">
          <Title order={4} size="h6" id={titleId}>
            {s.title}
          </Title>
          <Text size="sm">{s.intro}</Text>
          <Group gap="sm" wrap="wrap">
            <Button onClick={download} loading={busy} disabled={done}>
              {s.download}
            </Button>
            <Box aria-live="polite" aria-atomic="true" data-testid="apple-profile-status">
              {done && (
                <Group gap={4} c="teal" wrap="nowrap" align="flex-start">
                  <CheckIcon size={16} />
                  <Text size="sm" fw={600}>
                    {s.downloaded}
                  </Text>
                </Group>
              )}
            </Box>
          </Group>
          <Failure text={failure} testId="apple-profile-error" />
          {/* Once downloaded the link is spent: its QR code and its deadline would mislead. */}
          {!done && (
            <>
              <Text size="sm">{s.scan}</Text>
              <QrDisplay src={profile.qrCode} alt={s.qrAlt(label)} testId="apple-profile-qr" />
              <Text size="sm" c="dimmed">
                {s.expires(until)}
              </Text>
            </>
          )}
        </Stack>
      </Paper>
      </div>
    </Box>
  );
}
