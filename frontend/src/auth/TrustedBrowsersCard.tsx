// Remembered browsers (they skip the second factor at login, never the password) of the caller
// or, with `email`, of an account an administrator manages; each with browser, last address,
// dates and a Forget button behind a confirmation. Shown with the web sessions (SessionsCard).
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { api, type TrustedBrowser } from '../common/api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Fact } from '../common/Fact';
import { formatDate } from '../common/format';
import { LockIcon } from '../common/icons';
import { ListCard, ListEntry, type EntryPlace } from '../common/ListCard';
import { useLoad } from '../common/load';
import { strings } from '../common/strings';

const s = strings.trustedBrowsers;

function Entry({ browser: b, place, readOnly, onForget }: { browser: TrustedBrowser; place: EntryPlace; readOnly: boolean; onForget: () => void }) {
  return (
    <ListEntry place={place} testId="trusted-browser">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} data-testid="trusted-browser-name">
              {b.browser}
            </Text>
            {b.current && (
              <Badge variant="light" color="green" radius="sm" data-testid="trusted-browser-current">
                {s.current}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="gray.7" title={b.userAgent} style={{ overflowWrap: 'anywhere' }}>
            {b.userAgent}
          </Text>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            <Fact label={s.address} mono>
              {b.ip}
            </Fact>
            <Fact label={s.remembered}>{formatDate(b.createdAt)}</Fact>
            <Fact label={s.lastUsed}>{formatDate(b.lastUsedAt)}</Fact>
            <Fact label={s.until}>{formatDate(b.expiresAt)}</Fact>
          </Group>
        </Stack>
        {!readOnly && (
          <Button
            variant="default"
            color="red"
            size="xs"
            onClick={onForget}
            aria-label={s.forgetAria(b.browser)}
            data-testid="trusted-browser-forget"
            style={{ flexShrink: 0 }}
          >
            {s.forget}
          </Button>
        )}
      </Group>
    </ListEntry>
  );
}

export function TrustedBrowsersCard({ email, readOnly = false }: { email?: string; readOnly?: boolean }) {
  const { state, reload } = useLoad(() => (email ? api.admin.trustedBrowsers(email) : api.myTrustedBrowsers()), [email]);
  const [forgetting, setForgetting] = useState<TrustedBrowser | null>(null);
  const forget = async () => {
    if (!forgetting) return;
    if (email) await api.admin.forgetTrustedBrowser(email, forgetting.id);
    else await api.forgetMyTrustedBrowser(forgetting.id);
    notifications.show({ color: 'green', message: s.forgotten });
    reload();
  };
  return (
    <>
      <ListCard
        title={s.title}
        intro={s.intro}
        state={state}
        onRetry={reload}
        loadError={s.loadError}
        empty={{ icon: <LockIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'trusted-browsers-empty' }}
        listLabel={s.listLabel}
        keyOf={(b) => String(b.id)}
        mt="lg"
        testId="trusted-browsers-card"
      >
        {(b, place) => <Entry browser={b} place={place} readOnly={readOnly} onForget={() => setForgetting(b)} />}
      </ListCard>
      <ConfirmDialog
        opened={forgetting !== null}
        title={s.confirmTitle}
        confirmLabel={s.confirm}
        danger
        onClose={() => setForgetting(null)}
        onConfirm={forget}
      >
        {forgetting ? s.confirmBody(forgetting.browser) : ''}
      </ConfirmDialog>
    </>
  );
}
