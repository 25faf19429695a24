// The recovery address of an account: a field with Save (and Remove when one is set), or the
// address alone when read-only. The user's own Change Password page and the administrator's
// account page both show it; `save` is the call that writes it and answers the account.
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorMessage } from './errors';
import { notifyDone } from './notify';
import { recoveryProblem } from './recovery';
import { strings } from './strings';

const s = strings.password.recovery;

interface Props {
  own: string; // the account's own address (refused as its recovery address)
  value: string;
  editable: boolean;
  description?: string;
  save: (addr: string) => Promise<void>;
}

export function RecoveryEmailField({ own, value, editable, description, save }: Props) {
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(value), [value]);

  if (!editable) {
    return (
      <Stack gap={2} mt="lg" data-testid="recovery-email">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          {s.label}
        </Text>
        <Text size="sm">{value || s.none}</Text>
      </Stack>
    );
  }

  const submit = async (addr: string) => {
    const problem = recoveryProblem(own, addr);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await save(addr.trim());
      notifyDone(s.saved(addr.trim().toLowerCase()));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      data-testid="recovery-email"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(draft);
      }}
    >
      <Stack gap="xs" mt="lg">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label={s.label}
            placeholder={s.placeholder}
            type="email"
            autoComplete="email"
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            error={error ?? undefined}
            style={{ flex: 1, minWidth: 260, maxWidth: 420 }}
          />
          <Group gap="xs" mt={25}>
            <Button type="submit" loading={busy} disabled={draft.trim() === value}>
              {s.save}
            </Button>
            {value && (
              <Button variant="default" color="red" disabled={busy} onClick={() => void submit('')}>
                {s.remove}
              </Button>
            )}
          </Group>
        </Group>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
    </form>
  );
}
