// Administration › Devices awaiting approval: the quarantined devices of the accounts the admin
// covers, oldest first; one click approves (the phone syncs at once) or blocks (Status 129).
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api, type HeldDevice } from '../common/api';
import { errorMessage } from '../common/errors';
import { Failure } from '../common/Failure';
import { formatDate } from '../common/format';
import { PhoneIcon } from '../common/icons';
import { Fact } from '../common/Fact';
import { ListCard, ListEntry, type EntryPlace } from '../common/ListCard';
import { useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { deviceName } from '../otp/codes';
import { quarantineChanged } from './quarantineCount';

const s = strings.admin.quarantine;

interface EntryProps {
  held: HeldDevice;
  place: EntryPlace;
  busy: boolean;
  onDecide: (h: HeldDevice, decision: 'allow' | 'block') => void;
}

function Entry({ held, place, busy, onDecide }: EntryProps) {
  const d = held.device;
  const name = deviceName(d);
  return (
    <ListEntry place={place} testId="held-device">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={6} style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="held-name">
              {name}
            </Text>
            {name !== d.deviceType && (
              <Badge variant="default" radius="sm" tt="none" fw={500}>
                {d.deviceType}
              </Badge>
            )}
          </Group>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            <Fact label={s.account}>{held.account}</Fact>
            <Fact label={s.deviceId} mono>
              {d.deviceId}
            </Fact>
          </Group>
          <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
            {d.model && <Fact label={s.model}>{d.model}</Fact>}
            {d.os && <Fact label={s.os}>{d.os}</Fact>}
            {d.userAgent && <Fact label={s.userAgent}>{d.userAgent}</Fact>}
            <Fact label={s.since}>{formatDate(d.firstSyncAt)}</Fact>
          </Group>
        </Stack>
        <Group gap="xs">
          <Button size="sm" disabled={busy} onClick={() => onDecide(held, 'allow')} aria-label={s.approveFor(name, held.account)}>
            {s.approve}
          </Button>
          <Button size="sm" variant="light" color="red" disabled={busy} onClick={() => onDecide(held, 'block')} aria-label={s.blockFor(name, held.account)}>
            {s.block}
          </Button>
        </Group>
      </Group>
    </ListEntry>
  );
}

export function QuarantinePage() {
  const { state, reload } = useLoad(() => api.admin.quarantine(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const decide = async (h: HeldDevice, decision: 'allow' | 'block') => {
    const key = h.account + '/' + h.device.deviceId;
    setBusy(key);
    setFailure(null);
    try {
      await api.admin.decideDevice(h.account, h.device.deviceId, decision);
      const name = deviceName(h.device);
      notifyDone(decision === 'allow' ? s.approved(name) : s.blocked(name));
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setBusy(null);
    reload(true);
    quarantineChanged();
  };

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      <Failure text={failure} testId="quarantine-error" />
      <ListCard
        title={s.cardTitle}
        state={state}
        onRetry={() => reload()}
        loadError={s.loadError}
        empty={{ icon: <PhoneIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'quarantine-empty' }}
        listLabel={s.listLabel}
        keyOf={(h) => h.account + '/' + h.device.deviceId}
        testId="quarantine-card"
      >
        {(h, place) => <Entry held={h} place={place} busy={busy === h.account + '/' + h.device.deviceId} onDecide={(x, d) => void decide(x, d)} />}
      </ListCard>
    </>
  );
}
