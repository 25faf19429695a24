// The ACTIVE PASSWORDS list of a credential section: label, status, services, dates, DELETE x.
import { Badge, Box, Button, EmptyState, Group, Stack, Text, type MantineColor } from '@mantine/core';
import type { Credential, CredentialStatus } from '../common/api';
import { formatDate } from '../common/format';
import { XIcon } from '../common/icons';
import { strings } from '../common/strings';
import type { KindInfo } from './kinds';

const s = strings.credentials;

const statusColor: Record<CredentialStatus, MantineColor> = {
  enabled: 'teal',
  disabled: 'gray',
  locked: 'red',
  expired: 'orange',
  pending: 'yellow',
};

function dates(c: Credential): string {
  const parts = [s.createdAt(formatDate(c.createdAt))];
  if (c.lastUsedAt) parts.push(s.lastUsed(formatDate(c.lastUsedAt)));
  if (c.expiresAt) parts.push(s.expires(formatDate(c.expiresAt)));
  return parts.join(' · ');
}

interface EntryProps {
  credential: Credential;
  first: boolean;
  last: boolean;
  onDelete: () => void;
}

function Entry({ credential: c, first, last, onDelete }: EntryProps) {
  return (
    <Box
      component="li"
      pt="md"
      pb={last ? 0 : 'md'}
      data-testid="credential"
      data-id={c.id}
      style={first ? undefined : { borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={6} miw={0}>
          <Group gap="xs" wrap="wrap">
            <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="credential-label">
              {c.label}
            </Text>
            <Badge variant="light" color={statusColor[c.status]} radius="sm" data-testid="credential-status">
              {s.status[c.status]}
            </Badge>
          </Group>
          {c.services.length > 0 && (
            <Group gap={6} wrap="wrap">
              <Text size="sm" c="gray.7">
                {s.validFor}
              </Text>
              {c.services.map((svc) => (
                <Badge key={svc} variant="default" radius="sm" tt="none" fw={500}>
                  {s.services[svc]}
                </Badge>
              ))}
            </Group>
          )}
          <Text size="sm" c="gray.7">
            {dates(c)}
          </Text>
        </Stack>
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
    </Box>
  );
}

export function CredentialList({
  info,
  items,
  onDelete,
}: {
  info: KindInfo;
  items: Credential[];
  onDelete: (c: Credential) => void;
}) {
  if (items.length === 0) {
    return (
      <EmptyState
        py="xl"
        variant="light"
        icon={info.icon}
        title={info.words.empty}
        description={info.words.emptyHint}
        data-testid="credentials-empty"
      />
    );
  }
  return (
    <Box component="ul" aria-label={info.words.activeTitle} m={0} p={0} style={{ listStyle: 'none' }}>
      {items.map((c, i) => (
        <Entry key={c.id} credential={c} first={i === 0} last={i === items.length - 1} onDelete={() => onDelete(c)} />
      ))}
    </Box>
  );
}
