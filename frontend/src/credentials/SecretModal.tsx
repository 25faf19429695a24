// A dialog that shows a secret once. By the time the secret is on screen the credential exists,
// and the secret cannot be shown again: closing the dialog by Escape, × or a click beside it
// first asks "Did you copy it?" in a dialog of its own, whose default answer is Go back.
// DONE inside the dialog is the user's own "I have it" and closes at once.
import { Button, Group, Modal, Text, type ModalProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { strings } from '../common/strings';

const s = strings.closeSecret;

interface Props extends Omit<ModalProps, 'onClose' | 'closeOnClickOutside' | 'stackId'> {
  onClose: () => void;
  /** A secret is on screen: closing asks first. */
  guarded: boolean;
  /** What is lost by closing now, in the question's dialog. */
  lost: string;
}

export function SecretModal({ opened, onClose, guarded, lost, children, ...modal }: Props) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!opened || !guarded) setAsking(false);
  }, [opened, guarded]);

  // Modal.Stack: only the top dialog takes Escape and traps focus; the secret's dialog stays
  // mounted underneath (its state, the secret, is kept for Go back).
  return (
    <Modal.Stack>
      <Modal {...modal} stackId="secret" opened={opened} onClose={() => (guarded ? setAsking(true) : onClose())}>
        {children}
      </Modal>
      <Modal
        stackId="secret-close"
        opened={opened && asking}
        onClose={() => setAsking(false)}
        title={s.title}
        centered
        size="md"
        data-testid="close-secret"
      >
        <Text size="sm" mb="lg">
          {lost}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setAsking(false)} data-autofocus>
            {s.goBack}
          </Button>
          <Button
            color="red"
            onClick={() => {
              setAsking(false);
              onClose();
            }}
          >
            {s.confirm}
          </Button>
        </Group>
      </Modal>
    </Modal.Stack>
  );
}
