// An entry of the ACTIVE PASSWORDS list of a credential section: label, status, services, dates,
// DELETE x.
import { Badge, Group, Text } from '@mantine/core';
import type { Credential } from '../common/api';
import { formatDate } from '../common/format';
import type { EntryPlace } from '../common/ListCard';
import { strings } from '../common/strings';
import { CredentialEntry } from './CredentialEntry';

const s = strings.credentials;

/** Created, last used (and from where), expiry: a passcode always says whether it expires. */
function dates(c: Credential): string {
  const parts = [s.createdAt(formatDate(c.createdAt))];
  if (c.lastUsedAt) {
    parts.push(c.lastUsedAddress ? s.lastUsedFrom(formatDate(c.lastUsedAt), c.lastUsedAddress) : s.lastUsed(formatDate(c.lastUsedAt)));
  } else if (c.kind === 'app_passcode') {
    parts.push(s.neverUsed);
  }
  if (c.expiresAt) parts.push((c.status === 'expired' ? s.expired : s.expires)(formatDate(c.expiresAt)));
  else if (c.kind === 'app_passcode') parts.push(s.neverExpires);
  return parts.join(' · ');
}

const TEST_IDS = { entry: 'credential', label: 'credential-label', status: 'credential-status' };

export function PasswordEntry({ credential: c, place, onDelete }: { credential: Credential; place: EntryPlace; onDelete: () => void }) {
  return (
    <CredentialEntry credential={c} place={place} testIds={TEST_IDS} onDelete={onDelete}>
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
      <Text size="sm" c="gray.7" data-testid="credential-dates">
        {dates(c)}
      </Text>
    </CredentialEntry>
  );
}
