// The caller's Exchange ActiveSync devices: what synced, with which protocol, when; a lost
// phone can be wiped from here (only this account's data, or the whole phone).
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { api, type Device } from '../common/api';
import { formatDate } from '../common/format';
import { PhoneIcon } from '../common/icons';
import { Fact } from '../common/Fact';
import { ListCard, ListEntry, type EntryPlace } from '../common/ListCard';
import { useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { strings } from '../common/strings';
import { WipeDialog, wipeSummary } from '../common/WipeDialog';
import { deviceName } from '../otp/codes';

const s = strings.sections.devices;

function Entry({ device: d, place, onWipe }: { device: Device; place: EntryPlace; onWipe: (d: Device) => void }) {
  const name = deviceName(d);
  const wipe = wipeSummary(d, formatDate);
  return (
    <ListEntry place={place} testId="device" id={d.deviceId}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
          <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="device-name">
              {name}
            </Text>
            {name !== d.deviceType && (
              <Badge variant="default" radius="sm" tt="none" fw={500}>
                {d.deviceType}
              </Badge>
            )}
            {wipe && (
              <Badge variant="light" color="red" radius="sm" tt="none" data-testid="device-wipe-state">
                {wipe.label}
              </Badge>
            )}
            {d.access !== 'allowed' && (
              <Badge variant="light" color={d.access === 'blocked' ? 'red' : 'yellow'} radius="sm" data-testid="device-access">
                {s.access[d.access]}
              </Badge>
            )}
            {d.suspended && (
              <Badge variant="light" color="gray" radius="sm">
                {s.access.suspended}
              </Badge>
            )}
          </Group>
          {d.wipeState !== 'requested' && (
            <Button variant="light" color="red" size="xs" aria-label={s.wipeFor(name)} onClick={() => onWipe(d)}>
              {s.wipeButton}
            </Button>
          )}
        </Group>
        {d.access === 'quarantined' && (
          <Text size="sm" c="gray.7">
            {s.waitingHint}
          </Text>
        )}
        {wipe?.detail && (
          <Text size="sm" c="gray.7" data-testid="device-wipe-detail">
            {wipe.detail}
          </Text>
        )}
        <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
          <Fact label={s.deviceId} mono>
            {d.deviceId}
          </Fact>
          <Fact label={s.protocol}>{d.protocolVersion}</Fact>
          {d.os && <Fact label={s.os}>{d.os}</Fact>}
        </Group>
        <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
          <Fact label={s.lastSync}>{formatDate(d.lastSyncAt)}</Fact>
          <Fact label={s.firstSync}>{formatDate(d.firstSyncAt)}</Fact>
        </Group>
      </Stack>
    </ListEntry>
  );
}

export function DevicesCard() {
  const { state, reload } = useLoad(() => api.myDevices(), []);
  const [target, setTarget] = useState<Device | null>(null);
  const [opened, setOpened] = useState(false);
  const name = target ? deviceName(target) : '';
  return (
    <>
      <ListCard
        title={s.title}
        intro={s.intro}
        state={state}
        onRetry={reload}
        loadError={s.loadError}
        empty={{ icon: <PhoneIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'devices-empty' }}
        listLabel={s.listLabel}
        keyOf={(d) => d.deviceId}
        mt="lg"
        testId="devices-card"
      >
        {(d, place) => (
          <Entry
            device={d}
            place={place}
            onWipe={(dev) => {
              setTarget(dev);
              setOpened(true);
            }}
          />
        )}
      </ListCard>
      <WipeDialog
        opened={opened}
        device={target}
        name={name}
        onClose={() => setOpened(false)}
        onWipe={async (scope) => {
          if (!target) return;
          await api.wipeMyDevice(target.deviceId, scope);
          notifyDone(strings.wipe.requested(name));
          reload(true);
        }}
      />
    </>
  );
}
