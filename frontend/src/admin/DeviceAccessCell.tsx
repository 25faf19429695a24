// The access of one device on an account's page: its state (allowed, quarantined, blocked,
// suspended) and, for an admin who manages the account, the decisions one click away.
import { Badge, Button, Group, Stack } from '@mantine/core';
import { api, type Device, type DeviceDecision } from '../common/api';
import { errorMessage } from '../common/errors';
import { notifyDone } from '../common/notify';
import { strings } from '../common/strings';
import { quarantineChanged } from './quarantineCount';

const s = strings.admin.devices.access;
const COLOR = { allowed: 'green', quarantined: 'yellow', blocked: 'red' } as const;

interface Props {
  email: string;
  device: Device;
  name: string;
  readOnly: boolean;
  onDone: () => void;
  onError: (message: string) => void;
}

export function DeviceAccessCell({ email, device: d, name, readOnly, onDone, onError }: Props) {
  const decide = async (decision: DeviceDecision) => {
    try {
      await api.admin.decideDevice(email, d.deviceId, decision);
      notifyDone(s.done[decision](name));
      quarantineChanged();
    } catch (err) {
      onError(errorMessage(err));
    }
    onDone();
  };
  const button = (decision: DeviceDecision, color?: string) => (
    <Button size="xs" variant="default" c={color} aria-label={s.labelFor[decision](name)} onClick={() => void decide(decision)}>
      {s.buttons[decision]}
    </Button>
  );
  return (
    <Stack gap={6} align="flex-start">
      <Group gap={4} wrap="nowrap">
        <Badge miw="max-content" variant="light" radius="sm" color={COLOR[d.access]} data-testid="device-access-state">
          {s.states[d.access]}
        </Badge>
        {d.suspended && (
          <Badge miw="max-content" variant="light" radius="sm" color="gray">
            {s.suspended}
          </Badge>
        )}
      </Group>
      {!readOnly && (
        <Group gap={4} wrap="nowrap">
          {d.access !== 'allowed' && button('allow')}
          {d.access !== 'blocked' && button('block', 'red.8')}
          {d.suspended ? button('resume') : button('suspend')}
        </Group>
      )}
    </Stack>
  );
}
