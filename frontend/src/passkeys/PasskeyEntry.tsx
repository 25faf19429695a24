// An entry of the list of passkeys: its name and status, where it is stored (the authenticator
// its AAGUID names, when known), creation date, last use, DELETE x.
import { Group, Text } from '@mantine/core';
import type { Credential } from '../common/api';
import { Fact } from '../common/Fact';
import { formatDate } from '../common/format';
import type { EntryPlace } from '../common/ListCard';
import { strings } from '../common/strings';
import { CredentialEntry } from '../credentials/CredentialEntry';

const s = strings.sections.passkeys;
const TEST_IDS = { entry: 'passkey-entry', label: 'passkey-label', status: 'passkey-status' };

export function PasskeyEntry({ entry: e, place, onDelete }: { entry: Credential; place: EntryPlace; onDelete: () => void }) {
  return (
    <CredentialEntry credential={e} place={place} testIds={TEST_IDS} onDelete={onDelete}>
      <Fact label={s.authenticator}>{e.authenticator || s.unknownAuthenticator}</Fact>
      <Group gap="lg" wrap="wrap" style={{ rowGap: 4 }}>
        <Text size="sm" c="gray.7">
          {strings.credentials.createdAt(formatDate(e.createdAt))}
        </Text>
        <Fact label={s.lastUsed}>{e.lastUsedAt ? formatDate(e.lastUsedAt) : s.neverUsed}</Fact>
      </Group>
    </CredentialEntry>
  );
}
