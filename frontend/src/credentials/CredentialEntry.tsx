// One entry of a credential list (a password, a QR code, an OTP entry): its label and status, the
// facts of its kind below them (`children`), and DELETE x.
import { Badge, Button, Group, Stack, Text, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Credential, CredentialStatus } from '../common/api';
import { XIcon } from '../common/icons';
import { ListEntry, type EntryPlace } from '../common/ListCard';
import { strings } from '../common/strings';

const s = strings.credentials;

export const credentialStatusColor: Record<CredentialStatus, MantineColor> = {
  enabled: 'teal',
  disabled: 'gray',
  locked: 'red',
  expired: 'orange',
  pending: 'yellow',
};

interface Props {
  credential: Credential;
  place: EntryPlace;
  /** The test ids of the entry, its label and its status. */
  testIds: { entry: string; label: string; status: string };
  onDelete: () => void;
  children: ReactNode;
  /** More buttons of the entry, before DELETE x. */
  actions?: ReactNode;
}

export function CredentialEntry({ credential: c, place, testIds, onDelete, children, actions }: Props) {
  return (
    <ListEntry place={place} testId={testIds.entry} id={c.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={6} miw={0}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid={testIds.label}>
              {c.label}
            </Text>
            <Badge variant="light" color={credentialStatusColor[c.status]} radius="sm" data-testid={testIds.status}>
              {s.status[c.status]}
            </Badge>
          </Group>
          {children}
        </Stack>
        <Group gap="xs" wrap="wrap" justify="flex-end" style={{ flexShrink: 0 }}>
          {actions}
          <Button
            variant="light"
            color="red"
            size="xs"
            rightSection={<XIcon size={14} />}
            aria-label={s.deleteName(c.label)}
            onClick={onDelete}
            style={{ flexShrink: 0 }}
          >
            {s.delete}
          </Button>
        </Group>
      </Group>
    </ListEntry>
  );
}
