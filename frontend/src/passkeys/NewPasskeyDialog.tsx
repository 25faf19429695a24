// NEW PASSKEY +: a name, then the browser asks the device to create the passkey (fingerprint,
// face or PIN) and the server stores its public key. Nothing secret passes through the page.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { charCount } from '../auth/passwordCheck';
import { createPasskey, isCancelled, passkeysSupported } from '../auth/webauthn';
import { api, ApiError, type Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { Failure } from '../common/Failure';
import { LabelField } from '../common/LabelField';
import { notifyDone } from '../common/notify';
import { strings } from '../common/strings';
import { labelProblem, MAX_LABEL, normaliseLabel } from '../credentials/label';

const s = strings.sections.passkeys;

function problemText(label: string): string | null {
  switch (labelProblem(label)) {
    case 'required':
      return s.labelRequired;
    case 'too_long':
      return s.labelTooLong(MAX_LABEL);
    case 'invalid_char':
      return s.labelInvalid;
    default:
      return null;
  }
}

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (c: Credential) => void;
}

export function NewPasskeyDialog({ opened, onClose, onCreated }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ initialValues: { label: '' }, validate: { label: problemText } });
  const count = charCount(normaliseLabel(form.values.label));

  const close = () => {
    if (busy) return;
    form.reset();
    setFailure(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ label }) => {
    if (!passkeysSupported()) {
      setFailure(s.unsupported);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const begun = await api.passkeys.beginEnrol();
      const credential = await createPasskey(begun.publicKey);
      const created = await api.passkeys.finishEnrol(begun.ceremony, normaliseLabel(label), credential);
      onCreated(created);
      notifyDone(s.created(created.label));
      setBusy(false);
      form.reset();
      onClose();
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'label_taken') form.setFieldError('label', s.labelTaken);
      else if (isCancelled(err)) setFailure(s.cancelled);
      else setFailure(errorMessage(err, { limit_reached: s.limitReached }));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={s.newTitle} centered size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <LabelField label={s.labelField} description={s.labelHint} count={count} max={MAX_LABEL} {...form.getInputProps('label')} />
          {busy && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {s.waiting}
            </Text>
          )}
          <Failure text={failure} testId="passkey-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              {strings.credentials.cancel}
            </Button>
            <Button type="submit" loading={busy}>
              {s.create}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
