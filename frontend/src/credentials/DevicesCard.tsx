// The caller's Exchange ActiveSync devices, read-only: what synced, with which protocol, when.
import { Badge, Group, Stack, Text } from '@mantine/core';
import { api, type Device } from '../common/api';
import { formatDate } from '../common/format';
import { PhoneIcon } from '../common/icons';
import { Fact } from '../common/Fact';
import { ListCard, ListEntry, type EntryPlace } from '../common/ListCard';
import { useLoad } from '../common/load';
import { strings } from '../common/strings';
import { deviceName } from '../otp/codes';

const s = strings.sections.devices;

function Entry({ device: d, place }: { device: Device; place: EntryPlace }) {
  const name = deviceName(d);
  return (
    <ListEntry place={place} testId="device">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="device-name">
            {name}
          </Text>
          {name !== d.deviceType && (
            <Badge variant="default" radius="sm" tt="none" fw={500}>
              {d.deviceType}
            </Badge>
          )}
          {d.wipeState !== 'none' && (
            <Badge variant="light" color="red" radius="sm">
              {s.wipe[d.wipeState]}
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
        {d.access === 'quarantined' && (
          <Text size="sm" c="gray.7">
            {s.waitingHint}
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
  return (
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
      {(d, place) => <Entry device={d} place={place} />}
    </ListCard>
  );
}
