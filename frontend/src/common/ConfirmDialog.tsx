// A question before an action: its title, what it means, Cancel and the action. The action's
// error shows in the dialog; once it worked the dialog closes.
import { Button, Group, Modal, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { errorMessage } from './errors';
import { strings } from './strings';
import { Failure } from './Failure';

interface ConfirmProps {
  opened: boolean;
  title: string;
  /** What the action means, as a line of text. */
  children?: ReactNode;
  /** Instead of `children`: a body laid out by the caller (more than a line of text). */
  body?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  /** The test id of the error shown when the action fails. */
  errorTestId?: string;
  onClose: () => void;
  /** The dialog has finished closing. */
  onExited?: () => void;
  /** The action; the dialog shows its error, or closes when it succeeds. */
  onConfirm: () => Promise<void>;
}

export function ConfirmDialog({
  opened,
  title,
  children,
  body,
  confirmLabel,
  cancelLabel = strings.admin.cancel,
  danger,
  errorTestId = 'confirm-error',
  onClose,
  onExited,
  onConfirm,
}: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    if (busy) return;
    setFailure(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (err) {
      setFailure(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} onExitTransitionEnd={onExited} title={title} centered>
      {body ?? (
        <Text size="sm" mb="lg">
          {children}
        </Text>
      )}
      <Failure text={failure} testId={errorTestId} mb="md" />
      <Group justify="flex-end">
        <Button variant="default" onClick={close} disabled={busy} data-autofocus>
          {cancelLabel}
        </Button>
        <Button color={danger ? 'red' : undefined} loading={busy} onClick={confirm}>
          {confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
