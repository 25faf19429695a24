// "Where you're signed in": the web sessions of the caller (or, with `email`, of an account an
// administrator manages), each with browser, address, start and last use, and an End button
// behind a confirmation. Ending the caller's own session is a logout.
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, type Credential, type WebSession } from '../common/api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { formatDate } from '../common/format';
import { LockIcon } from '../common/icons';
import { ListCard, ListEntry, type EntryPlace } from '../common/ListCard';
import { useLoad } from '../common/load';
import { strings } from '../common/strings';
import { useSession } from './session';
import { TrustedBrowsersCard } from './TrustedBrowsersCard';

const s = strings.webSessions;

function Entry({ session: w, place, readOnly, onEnd }: { session: WebSession; place: EntryPlace; readOnly: boolean; onEnd: () => void }) {
  return (
    <ListEntry place={place} testId="web-session">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} data-testid="web-session-browser">
              {w.browser}
            </Text>
            {w.current && (
              <Badge variant="light" color="green" radius="sm" data-testid="web-session-current">
                {s.current}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="gray.7" title={w.userAgent} style={{ overflowWrap: 'anywhere' }}>
            {w.userAgent}
          </Text>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            <Text size="sm" c="gray.7">
              {s.address} <Text span inherit c="var(--mantine-color-text)" ff="monospace">{w.ip}</Text>
            </Text>
            <Text size="sm" c="gray.7">
              {s.started} <Text span inherit c="var(--mantine-color-text)">{formatDate(w.createdAt)}</Text>
            </Text>
            <Text size="sm" c="gray.7">
              {s.lastSeen} <Text span inherit c="var(--mantine-color-text)">{formatDate(w.lastSeenAt)}</Text>
            </Text>
          </Group>
        </Stack>
        {!readOnly && (
          <Button variant="default" color="red" size="xs" onClick={onEnd} aria-label={s.endAria(w.browser)} data-testid="web-session-end">
            {s.end}
          </Button>
        )}
      </Group>
    </ListEntry>
  );
}

export function SessionsCard({ email, readOnly = false }: { email?: string; readOnly?: boolean }) {
  const session = useSession();
  const { state, reload } = useLoad(() => (email ? api.admin.sessions(email) : api.mySessions()), [email]);
  const [ending, setEnding] = useState<WebSession | null>(null);
  const end = async () => {
    if (!ending) return;
    if (email) await api.admin.endSession(email, ending.id);
    else await api.endMySession(ending.id);
    notifications.show({ color: 'green', message: s.ended });
    if (ending.current) {
      await session.logout(); // the cookie is gone already; this forgets the account here too
      return;
    }
    reload();
  };
  return (
    <>
      <ListCard
        title={email ? s.adminTitle : s.title}
        intro={s.intro}
        state={state}
        onRetry={reload}
        loadError={s.loadError}
        empty={{ icon: <LockIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'web-sessions-empty' }}
        listLabel={s.listLabel}
        keyOf={(w) => String(w.id)}
        mt="lg"
        testId="web-sessions-card"
      >
        {(w, place) => <Entry session={w} place={place} readOnly={readOnly} onEnd={() => setEnding(w)} />}
      </ListCard>
      <ConfirmDialog
        opened={ending !== null}
        title={s.confirmTitle}
        confirmLabel={s.confirm}
        danger
        onClose={() => setEnding(null)}
        onConfirm={end}
      >
        {ending ? (ending.current ? s.confirmCurrentBody : s.confirmBody(ending.browser, ending.ip)) : ''}
      </ConfirmDialog>
      <TrustedBrowsersCard email={email} readOnly={readOnly} />
    </>
  );
}

function AppEntry({ app, place, onEnd }: { app: Credential; place: EntryPlace; onEnd: () => void }) {
  return (
    <ListEntry place={place} testId="app-session">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {app.label}
          </Text>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            <Text size="sm" c="gray.7">
              {s.address} <Text span inherit c="var(--mantine-color-text)" ff="monospace">{app.lastUsedAddress || '-'}</Text>
            </Text>
            <Text size="sm" c="gray.7">
              {s.started} <Text span inherit c="var(--mantine-color-text)">{formatDate(app.createdAt)}</Text>
            </Text>
            <Text size="sm" c="gray.7">
              {s.lastSeen} <Text span inherit c="var(--mantine-color-text)">{app.lastUsedAt ? formatDate(app.lastUsedAt) : s.neverUsed}</Text>
            </Text>
          </Group>
        </Stack>
        <Button variant="default" color="red" size="xs" onClick={onEnd} aria-label={s.endAria(app.label)} data-testid="app-session-end">
          {s.end}
        </Button>
      </Group>
    </ListEntry>
  );
}

/**
 * The mobile-app sessions of the caller (or, with `email`, of an account an administrator
 * manages): its enabled QR-code tokens (each app exchanges its token for access tokens, which
 * die with it). Ending one deletes the token.
 */
export function AppSessionsCard({ email }: { email?: string }) {
  const { state, reload } = useLoad(
    () =>
      (email ? api.admin.credentials(email) : api.listCredentials()).then((cs) =>
        cs.filter((c) => c.kind === 'mobile_app' && c.status === 'enabled'),
      ),
    [email],
  );
  const [ending, setEnding] = useState<Credential | null>(null);
  const end = async () => {
    if (!ending) return;
    if (email) await api.admin.deleteCredential(ending.id);
    else await api.deleteCredential(ending.id);
    notifications.show({ color: 'green', message: s.ended });
    reload();
  };
  return (
    <>
      <ListCard
        title={s.appsTitle}
        intro={s.appsIntro}
        state={state}
        onRetry={reload}
        loadError={s.loadError}
        empty={{ icon: <LockIcon size={26} />, title: s.appsEmpty, hint: email ? s.appsEmptyHintAdmin : s.appsEmptyHint, testId: 'app-sessions-empty' }}
        listLabel={s.appsListLabel}
        keyOf={(c) => String(c.id)}
        mt="lg"
        testId="app-sessions-card"
      >
        {(c, place) => <AppEntry app={c} place={place} onEnd={() => setEnding(c)} />}
      </ListCard>
      <ConfirmDialog opened={ending !== null} title={s.confirmTitle} confirmLabel={s.confirm} danger onClose={() => setEnding(null)} onConfirm={end}>
        {ending ? s.confirmAppBody(ending.label) : ''}
      </ConfirmDialog>
    </>
  );
}
