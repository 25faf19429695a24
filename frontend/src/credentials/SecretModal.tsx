// A dialog that shows a secret once. By the time the secret is on screen the credential exists,
// and the secret cannot be shown again: closing the dialog by Escape, × or a click beside it
// first asks "Did you copy it?", whose default answer is Go back. DONE inside the dialog is the
// user's own "I have it" and closes at once.
//
// The question takes the dialog's place rather than opening a second, stacked dialog: one dialog
// keeps one focus trap (a stacked pair lost it: Tab then reached the page behind), and the
// secret's content stays mounted, hidden, so Go back shows the same secret again.
import { Box, Button, Group, Modal, Text, type ModalProps } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { strings } from '../common/strings';

const s = strings.closeSecret;

interface Props extends Omit<ModalProps, 'onClose' | 'closeOnClickOutside'> {
  onClose: () => void;
  /** A secret is on screen: closing asks first. */
  guarded: boolean;
  /** What is lost by closing now, in the question. */
  lost: string;
}

export function SecretModal({ opened, onClose, guarded, lost, title, children, ...modal }: Props) {
  const [asking, setAsking] = useState(false);
  const goBack = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!opened || !guarded) setAsking(false);
  }, [opened, guarded]);
  useEffect(() => {
    if (asking) goBack.current?.focus();
  }, [asking]);

  // While asking, Escape, × and a click beside the dialog mean Go back. Before a secret is on
  // screen a click beside the dialog does nothing (a half-filled form is not thrown away either).
  const dismiss = () => (asking ? setAsking(false) : guarded ? setAsking(true) : onClose());
  return (
    <Modal {...modal} opened={opened} onClose={dismiss} closeOnClickOutside={guarded} title={asking ? s.title : title}>
      <Box hidden={asking} aria-hidden={asking || undefined}>
        {children}
      </Box>
      {asking && (
        <Box data-testid="close-secret">
          <Text size="sm" mb="lg">
            {lost}
          </Text>
          <Group justify="flex-end">
            <Button ref={goBack} variant="default" onClick={() => setAsking(false)}>
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
        </Box>
      )}
    </Modal>
  );
}
