// The domains a domain admin administers. A global admin picks them (empty: the account's own
// domain); a domain admin only reads them (the server shows them the ones they share).
import { Alert, Button, Group, MultiSelect, Pill, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type AdminAccount } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon } from '../common/icons';
import { strings } from '../common/strings';
import { useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { sameNames } from './logic';

const s = strings.admin.account;

export function AdminDomainsField({ acct, editable, onSaved }: { acct: AdminAccount; editable: boolean; onSaved: (a: AdminAccount) => void }) {
  const current = acct.adminDomains ?? [];
  const [value, setValue] = useState<string[]>(current);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only a global admin may list every domain; a domain admin needs no choices.
  const { state } = useLoad(() => (editable ? api.admin.domains() : Promise.resolve([])), [editable]);
  useEffect(() => setValue(acct.adminDomains ?? []), [acct]);

  if (!editable) {
    return (
      <Stack gap={2} mt="lg" data-testid="admin-domains">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {s.adminDomains}
        </Text>
        <Text size="sm">{current.join(', ')}</Text>
      </Stack>
    );
  }

  const options = state.status === 'ready' ? state.data.map((d) => d.name) : current;
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const updated = await api.admin.patchAccount(acct.email, { adminDomains: value });
      notifyDone(s.adminDomainsSaved(acct.email));
      onSaved(updated);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="xs" mt="lg" data-testid="admin-domains">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <MultiSelect
          label={s.adminDomains}
          description={s.adminDomainsHelp(acct.domain)}
          placeholder={value.length === 0 ? s.adminDomainsPlaceholder : undefined}
          nothingFoundMessage={s.adminDomainsNone}
          data={[...new Set([...options, ...value])].sort()}
          value={value}
          onChange={setValue}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': s.clearAdminDomains }}
          renderPill={({ value: name, onRemove, disabled }) => (
            <Pill withRemoveButton={!disabled} onRemove={onRemove} removeButtonProps={{ 'aria-label': s.removeAdminDomain(name ?? '') }}>
              {name}
            </Pill>
          )}
          style={{ flex: 1, minWidth: 260, maxWidth: 560 }}
        />
        <Button onClick={save} loading={saving} disabled={sameNames(value, current)}>
          {s.saveAdminDomains}
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" icon={<AlertIcon />}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
