// DELETE x asks first: "Delete <label>? Devices using it will stop working." YES / NO.
// (The OTP section says what deleting an OTP entry means instead.)
import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { api, ApiError, type Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon, CheckIcon } from '../common/icons';
import { strings } from '../common/strings';

const s = strings.credentials;

interface Props {
  /** The credential asked about; kept while the dialog closes so that its title does not flicker. */
  target: Credential | null;
  opened: boolean;
  onClose: () => void;
  onDeleted: (id: number) => void;
  /** The dialog has finished closing. */
  onExited?: () => void;
  /** What deleting it means; "Devices using it will stop working." by default. */
  body?: ReactNode;
}

export function DeleteDialog({ target, opened, onClose, onDeleted, onExited, body }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    if (busy) return;
    setFailure(null);
    onClose();
  };

  const confirm = async () => {
    if (!target) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.deleteCredential(target.id);
    } catch (err) {
      // Already gone (deleted in another tab, or by an admin): what the user wanted.
      if (!(err instanceof ApiError && err.code === 'not_found')) {
        setFailure(errorMessage(err));
        setBusy(false);
        return;
      }
    }
    setBusy(false);
    onDeleted(target.id);
    onClose();
    notifications.show({ color: 'teal', icon: <CheckIcon size={18} />, message: s.deleted(target.label) });
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      onExitTransitionEnd={onExited}
      title={target ? s.deleteTitle(target.label) : ''}
      centered
    >
      {body ?? (
        <Text size="sm" mb="lg">
          {s.deleteBody}
        </Text>
      )}
      <div aria-live="assertive" aria-atomic="true">
        {failure && (
          <Alert role="none" color="red" variant="light" icon={<AlertIcon />} mb="md" data-testid="delete-error">
            <Text size="sm">{failure}</Text>
          </Alert>
        )}
      </div>
      <Group justify="flex-end">
        <Button variant="default" onClick={close} disabled={busy} data-autofocus>
          {s.no}
        </Button>
        <Button color="red" loading={busy} onClick={confirm}>
          {s.yes}
        </Button>
      </Group>
    </Modal>
  );
}
