// DELETE x asks first: "Delete <label>? Devices using it will stop working." YES / NO.
// (The OTP section says what deleting an OTP entry means instead.)
import type { ReactNode } from 'react';
import { api, ApiError, type Credential } from '../common/api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { notifyDone } from '../common/notify';
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
  const confirm = async () => {
    if (!target) return;
    try {
      await api.deleteCredential(target.id);
    } catch (err) {
      // Already gone (deleted in another tab, or by an admin): what the user wanted.
      if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
    }
    onDeleted(target.id);
    notifyDone(s.deleted(target.label));
  };

  return (
    <ConfirmDialog
      opened={opened}
      onClose={onClose}
      onExited={onExited}
      title={target ? s.deleteTitle(target.label) : ''}
      body={body}
      confirmLabel={s.yes}
      cancelLabel={s.no}
      danger
      errorTestId="delete-error"
      onConfirm={confirm}
    >
      {s.deleteBody}
    </ConfirmDialog>
  );
}
