// What to type into a desktop mail app (IMAP, POP3, SMTP): under a new application passcode and
// as a panel on the Application passcodes page. The settings are the same for every account but
// the username; while the certificate is self-signed its fingerprint is shown, because the mail
// app asks the user to trust it and only the fingerprint tells the real server from another.
import { Alert, Box, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useId } from 'react';
import { api, type MailSettings } from '../common/api';
import { LoadError, Loading, useLoad } from '../common/load';
import { strings } from '../common/strings';
import { CopySecret } from './SecretView';

const s = strings.mailSettings;

/** The settings as text, for the clipboard. */
export function settingsText(m: MailSettings): string {
  const lines = [s.copyUsername(m.username), s.copyPassword];
  for (const sv of m.servers) lines.push(s.copyServer(s.protocols[sv.protocol], sv.host, sv.port, s.security[sv.security]));
  if (m.dav) lines.push(s.copyDav(m.dav));
  if (m.certificate?.selfSigned) lines.push(s.copyFingerprint(m.certificate.sha256));
  return lines.join('\n') + '\n';
}

function Fingerprint({ sha256 }: { sha256: string }) {
  const labelId = useId();
  return (
    <Alert color="blue" variant="light" data-testid="mail-fingerprint">
      <Text size="sm" fw={600} id={labelId}>
        {s.fingerprintLabel}
      </Text>
      <Text
        size="sm"
        ff="monospace"
        aria-labelledby={labelId}
        data-testid="mail-fingerprint-value"
        style={{ userSelect: 'all' }}
      >
        {/* A line breaks only after a colon, never inside a pair of hex digits. */}
        {sha256.split(':').map((pair, i) => (
          <Fragment key={i}>
            {i > 0 && (
              <>
                :<wbr />
              </>
            )}
            {pair}
          </Fragment>
        ))}
      </Text>
      <Text size="sm" mt={6}>
        {s.fingerprintHint}
      </Text>
    </Alert>
  );
}

/** The servers, the username, the fingerprint while self-signed, and COPY SETTINGS. */
export function MailSettingsView({ settings: m }: { settings: MailSettings }) {
  if (m.servers.length === 0 && !m.dav) {
    return (
      <Text size="sm" c="dimmed" data-testid="mail-settings-none">
        {s.none}
      </Text>
    );
  }
  return (
    <Stack gap="sm" data-testid="mail-settings">
      <Text size="sm">
        {s.username}{' '}
        <Text span inherit fw={600} ff="monospace" data-testid="mail-username" style={{ overflowWrap: 'anywhere' }}>
          {m.username}
        </Text>
      </Text>
      {/* No scroll container: at phone width the cells wrap, so keyboard users reach everything. */}
      {m.servers.length > 0 && (
        <Table verticalSpacing={4} horizontalSpacing={6} fz="sm" aria-label={s.tableLabel} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{s.protocolColumn}</Table.Th>
              <Table.Th scope="col">{s.serverColumn}</Table.Th>
              <Table.Th scope="col">{s.portColumn}</Table.Th>
              <Table.Th scope="col">{s.securityColumn}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.servers.map((sv) => (
              <Table.Tr key={`${sv.protocol}-${sv.port}`} data-testid="mail-server">
                <Table.Th scope="row" fw={500}>
                  {s.protocols[sv.protocol]}
                </Table.Th>
                {/* break-word, not anywhere: an address breaks only when it cannot fit whole. */}
                <Table.Td ff="monospace" style={{ overflowWrap: 'break-word' }}>
                  {sv.host}
                </Table.Td>
                <Table.Td ff="monospace">{sv.port}</Table.Td>
                <Table.Td>{s.security[sv.security]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {m.dav && (
        <Box data-testid="mail-dav">
          <Text size="sm">
            {s.dav}{' '}
            <Text span inherit fw={600} ff="monospace" data-testid="mail-dav-url" style={{ overflowWrap: 'anywhere' }}>
              {m.dav}
            </Text>
          </Text>
          <Text size="xs" c="dimmed">
            {s.davHint}
          </Text>
        </Box>
      )}
      {m.certificate?.selfSigned && <Fingerprint sha256={m.certificate.sha256} />}
      <CopySecret text={settingsText(m)} label={s.copy} variant="default" statusId="copy-settings-status" />
    </Stack>
  );
}

/** Loads the settings and shows them, with `intro` above when there are any. */
function LoadedSettings({ intro }: { intro: string }) {
  const { state, reload } = useLoad(() => api.mailSettings(), []);
  if (state.status === 'loading') return <Loading py="sm" />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={reload} title={s.loadError} py="xs" />;
  return (
    <Stack gap="sm">
      {(state.data.servers.length > 0 || state.data.dav) && (
        <Text size="sm" c="dimmed">
          {intro}
        </Text>
      )}
      <MailSettingsView settings={state.data} />
    </Stack>
  );
}

/**
 * Under a new application passcode, in the dialog that shows it once; nothing when the server
 * has no mail door (the passcode is then for EAS or a proxy the operator runs).
 */
export function MailSettingsInDialog() {
  const headingId = useId();
  const { state } = useLoad(() => api.mailSettings(), []);
  if (state.status !== 'ready' || (state.data.servers.length === 0 && !state.data.dav)) return null;
  return (
    <Box component="section" aria-labelledby={headingId} data-testid="dialog-mail-settings">
      <Title order={4} size="h6" id={headingId} mb={6}>
        {s.dialogTitle}
      </Title>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {s.dialogIntro}
        </Text>
        <MailSettingsView settings={state.data} />
      </Stack>
    </Box>
  );
}

/** The panel on the Application passcodes page. */
export function MailSettingsCard() {
  const headingId = useId();
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="mail-settings-card">
      <Title order={2} size="h4" id={headingId} mb="xs">
        {s.title}
      </Title>
      <LoadedSettings intro={s.intro} />
    </Paper>
  );
}
