// NARROW DOORS of an application passcode (Administration, account page): the doors it opens,
// ticked; an administrator may untick some, never add one (the server refuses a widening).
import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type Credential, type PasscodeService } from '../common/api';
import { errorMessage } from '../common/errors';
import { Failure } from '../common/Failure';
import { notifyDone } from '../common/notify';
import { strings } from '../common/strings';

const s = strings.admin.narrowDoors;
const names = strings.credentials.services;

interface Props {
  target: Credential | null;
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
}

export function NarrowDoorsDialog({ target, opened, onClose, onSaved }: Props) {
  const had = (target?.services ?? []) as PasscodeService[];
  const [kept, setKept] = useState<string[]>(had);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    setKept(had);
    setFailure(null);
  }, [target?.id, opened]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async () => {
    if (!target) return;
    if (kept.length === 0) {
      setFailure(s.required);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await api.admin.patchCredential(target.id, { services: had.filter((d) => kept.includes(d)) });
      notifyDone(s.saved(target.label));
      onClose();
      onSaved();
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setBusy(false);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={target ? s.title(target.label) : ''} centered>
      <Stack gap="md">
        <Text size="sm">{s.intro}</Text>
        <Checkbox.Group label={s.legend} value={kept} onChange={setKept} data-testid="narrow-doors">
          <Stack gap={8} mt={8}>
            {had.map((d) => (
              <Checkbox key={d} value={d} label={names[d]} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Failure text={failure} testId="dialog-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {strings.admin.cancel}
          </Button>
          <Button onClick={save} loading={busy} disabled={kept.length === had.length}>
            {s.save}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
