// The caller's Exchange ActiveSync devices, read-only: what synced, with which protocol, when.
import { Alert, Badge, Box, Button, Center, EmptyState, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Device } from '../common/api';
import { errorMessage } from '../common/errors';
import { formatDate } from '../common/format';
import { AlertIcon, PhoneIcon } from '../common/icons';
import { strings } from '../common/strings';
import { deviceName } from '../otp/codes';

const s = strings.sections.devices;

type State = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; items: Device[] };

function Fact({ label, children, mono }: { label: string; children: string; mono?: boolean }) {
  return (
    <Text size="sm" c="gray.7">
      {label}{' '}
      <Text span inherit c="var(--mantine-color-text)" ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Text>
  );
}

function Entry({ device: d, first, last }: { device: Device; first: boolean; last: boolean }) {
  const name = deviceName(d);
  return (
    <Box
      component="li"
      pt="md"
      pb={last ? 0 : 'md'}
      data-testid="device"
      style={first ? undefined : { borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
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
        </Group>
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
    </Box>
  );
}

export function DevicesCard() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const latest = useRef(0);

  const load = useCallback(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    api.myDevices().then(
      (items) => request === latest.current && setState({ status: 'ready', items }),
      (error: unknown) => request === latest.current && setState({ status: 'error', error }),
    );
  }, []);

  useEffect(() => {
    load();
    return () => {
      latest.current++;
    };
  }, [load]);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="devices-card">
      <Title order={2} size="h4">
        {s.title}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {s.intro}
      </Text>
      {state.status === 'loading' && (
        <Center py="xl">
          <Loader size="sm" aria-label={strings.loading} />
        </Center>
      )}
      {state.status === 'error' && (
        <Stack align="flex-start" py="md">
          <Alert color="red" variant="light" icon={<AlertIcon />} title={s.loadError} w="100%">
            <Text size="sm">{errorMessage(state.error)}</Text>
          </Alert>
          <Button variant="default" onClick={load}>
            {strings.retry}
          </Button>
        </Stack>
      )}
      {state.status === 'ready' && state.items.length === 0 && (
        <EmptyState
          py="xl"
          variant="light"
          icon={<PhoneIcon size={26} />}
          title={s.empty}
          description={s.emptyHint}
          data-testid="devices-empty"
        />
      )}
      {state.status === 'ready' && state.items.length > 0 && (
        <Box component="ul" aria-label={s.listLabel} m={0} p={0} style={{ listStyle: 'none' }}>
          {state.items.map((d, i) => (
            <Entry key={d.deviceId} device={d} first={i === 0} last={i === state.items.length - 1} />
          ))}
        </Box>
      )}
    </Paper>
  );
}
