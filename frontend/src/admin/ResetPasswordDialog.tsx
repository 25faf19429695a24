// The administrator's password reset: a confirmation with the choice whether the user must
// change the generated password at the next login. On by default: a password that someone
// else has seen should not stay the user's password.
import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import { Failure } from '../common/Failure';

const a = strings.admin;
const s = a.account;

interface Props {
  email: string;
  opened: boolean;
  onClose: () => void;
  /** The reset is done: the generated password, to show once. */
  onDone: (password: string, requireChange: boolean) => void;
}

export function ResetPasswordDialog({ email, opened, onClose, onDone }: Props) {
  const [requireChange, setRequireChange] = useState(true);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  // Every opening starts from the default.
  useEffect(() => {
    if (opened) {
      setRequireChange(true);
      setFailure(null);
    }
  }, [opened]);

  const close = () => {
    if (!busy) onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await api.admin.resetPassword(email, requireChange);
      setBusy(false);
      onClose();
      onDone(r.password, requireChange);
    } catch (err) {
      setFailure(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={s.resetPasswordTitle(email)} centered>
      <Stack gap="md">
        <Text size="sm">{s.resetPasswordBody}</Text>
        <Checkbox
          checked={requireChange}
          onChange={(e) => setRequireChange(e.currentTarget.checked)}
          label={s.requireChange}
          description={s.requireChangeHint}
          disabled={busy}
        />
        <Failure text={failure} testId="confirm-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy} data-autofocus>
            {a.cancel}
          </Button>
          <Button color="red" loading={busy} onClick={confirm}>
            {s.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
