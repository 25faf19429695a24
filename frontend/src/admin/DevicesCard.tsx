// The EAS devices of one account: reset (resync from 0), request a remote wipe (of this
// account's data only, or of the whole phone), remove; read-only: the list alone.
import { Badge, Button, Group, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { api, type Device } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import { deviceName } from '../otp/codes';
import { ListStates, useLoad } from '../common/load';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { notifyDone } from '../common/notify';
import { formatDateCompact } from '../common/format';
import { WipeDialog, wipeSummary } from '../common/WipeDialog';
import { DateCell, ScrollTable } from './common';
import { DeviceAccessCell } from './DeviceAccessCell';

const s = strings.admin.devices;

type Dialog = { kind: 'wipe' | 'remove'; device: Device } | null;

export function DevicesCard({ email, readOnly = false, onChanged }: { email: string; readOnly?: boolean; onChanged: () => void }) {
  const { state, reload } = useLoad(() => api.admin.devices(email), [email]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [last, setLast] = useState<Device | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const target = dialog?.device ?? last;
  const name = target ? deviceName(target) : '';

  const changed = () => {
    reload(true);
    onChanged();
  };

  const reset = async (d: Device) => {
    setBusy(d.deviceId);
    setFailure(null);
    try {
      await api.admin.resetDevice(email, d.deviceId);
      notifyDone(s.resetDone(deviceName(d)));
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setBusy(null);
    changed();
  };

  const open = (kind: 'wipe' | 'remove', device: Device) => {
    setLast(device);
    setDialog({ kind, device });
  };

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="admin-devices">
      <Title order={2} size="h4" mb="sm">
        {s.title}
      </Title>
      <div aria-live="assertive" aria-atomic="true">
        {failure && (
          <Text size="sm" c="red.8" mb="sm" data-testid="devices-error">
            {failure}
          </Text>
        )}
      </div>
      <ListStates state={state} onRetry={() => reload()} empty={s.empty}>
        {(items) => (
          <ScrollTable label={s.listLabel} minWidth={1040}>
            <Table verticalSpacing="sm" fz="sm" aria-label={s.listLabel}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{s.device}</Table.Th>
                  <Table.Th>{s.deviceId}</Table.Th>
                  <Table.Th>{s.protocol}</Table.Th>
                  <Table.Th>{s.lastSync}</Table.Th>
                  <Table.Th>{s.wipeState}</Table.Th>
                  <Table.Th>{s.accessColumn}</Table.Th>
                  {!readOnly && (
                    <Table.Th>
                      <VisuallyHidden>{s.actions}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => {
                  const n = deviceName(d);
                  return (
                    <Table.Tr key={d.deviceId} data-testid="admin-device" data-id={d.deviceId}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {n}
                        </Text>
                        {n !== d.deviceType && (
                          <Text size="xs" c="dimmed">
                            {d.deviceType}
                          </Text>
                        )}
                        {d.loop && (
                          <Text size="xs" c="orange.9" data-testid="device-sync-loop">
                            {s.syncLoop(d.loop.item, d.loop.collection, d.loop.count)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                        {d.deviceId}
                      </Table.Td>
                      <Table.Td>{d.protocolVersion}</Table.Td>
                      <DateCell iso={d.lastSyncAt} />
                      <Table.Td>
                        <WipeCell device={d} />
                      </Table.Td>
                      <Table.Td>
                        <DeviceAccessCell email={email} device={d} name={n} readOnly={readOnly} onDone={changed} onError={setFailure} />
                      </Table.Td>
                      {!readOnly && (
                        <Table.Td>
                          <Group gap={6} wrap="nowrap" justify="flex-end">
                            <Button variant="default" size="xs" aria-label={s.resetFor(n)} loading={busy === d.deviceId} onClick={() => reset(d)}>
                              {s.reset}
                            </Button>
                            <Button
                              variant="light"
                              color="red"
                              size="xs"
                              aria-label={s.wipeFor(n)}
                              disabled={d.wipeState === 'requested'}
                              onClick={() => open('wipe', d)}
                            >
                              {s.wipe}
                            </Button>
                            <Button variant="subtle" color="red" size="xs" aria-label={s.removeFor(n)} onClick={() => open('remove', d)}>
                              {s.remove}
                            </Button>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </ListStates>
      <WipeDialog
        opened={dialog?.kind === 'wipe'}
        device={target}
        name={name}
        onClose={() => setDialog(null)}
        onWipe={async (scope) => {
          if (!target) return;
          await api.admin.wipeDevice(email, target.deviceId, scope);
          notifyDone(strings.wipe.requested(name));
          changed();
        }}
      />
      <ConfirmDialog
        opened={dialog?.kind === 'remove'}
        title={s.removeTitle(name)}
        confirmLabel={s.removeConfirm}
        danger
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          if (!target) return;
          await api.admin.removeDevice(email, target.deviceId);
          notifyDone(s.removed(name));
          changed();
        }}
      >
        {s.removeBody}
      </ConfirmDialog>
    </Paper>
  );
}

/** The wipe column: none, or what was asked (this account's data, the whole phone) with its time. */
function WipeCell({ device: d }: { device: Device }) {
  const w = wipeSummary(d, formatDateCompact);
  if (!w) {
    return (
      <Badge miw="max-content" variant="light" radius="sm" color="gray" data-testid="device-wipe-state">
        {s.wipeStates.none}
      </Badge>
    );
  }
  return (
    <>
      <Badge miw="max-content" variant="light" radius="sm" color="red" data-testid="device-wipe-state" data-scope={d.wipeScope}>
        {w.label}
      </Badge>
      {w.detail && (
        <Text size="xs" c="dimmed" mt={2} data-testid="device-wipe-detail">
          {w.detail}
        </Text>
      )}
    </>
  );
}
