// NEW AUTHENTICATION +: a dialog that asks for the Authentication description, creates the
// credential, and then shows its secret once (SecretView).
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { charCount } from '../auth/passwordCheck';
import { api, ApiError, type CreatedCredential, type Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon } from '../common/icons';
import { strings } from '../common/strings';
import type { KindInfo } from './kinds';
import { labelProblem, MAX_LABEL, normaliseLabel, type LabelProblem } from './label';
import { SecretModal } from './SecretModal';
import { SecretView } from './SecretView';

const s = strings.credentials;

function problemText(problem: LabelProblem | null): string | null {
  switch (problem) {
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

function LabelForm({ info, onCreated, onCancel }: { info: KindInfo; onCreated: (c: CreatedCredential) => void; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { label: '' },
    validate: { label: (v) => problemText(labelProblem(v)) },
  });
  const count = charCount(normaliseLabel(form.values.label));

  const submit = form.onSubmit(async ({ label }) => {
    setBusy(true);
    setFailure(null);
    try {
      onCreated(await api.createCredential(info.kind, normaliseLabel(label)));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'label_taken') form.setFieldError('label', strings.errors.label_taken);
      else setFailure(errorMessage(err, { limit_reached: info.words.limitReached }));
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          label={info.words.labelField}
          description={s.labelHint}
          required
          autoComplete="off"
          data-autofocus
          rightSectionWidth={72}
          rightSectionPointerEvents="none"
          rightSection={
            <Text size="xs" c={count > MAX_LABEL ? 'red.8' : 'dimmed'} aria-hidden="true" data-testid="label-count">
              {s.labelCount(count, MAX_LABEL)}
            </Text>
          }
          {...form.getInputProps('label')}
        />
        <div aria-live="assertive" aria-atomic="true">
          {failure && (
            <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="create-error">
              <Text size="sm">{failure}</Text>
            </Alert>
          )}
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {s.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {info.words.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The dialog's content: unmounted (and its secret with it) when the dialog has closed. */
function CreateFlow({ info, onCreated, onClose }: { info: KindInfo; onCreated: (c: Credential) => void; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedCredential | null>(null);
  if (created) return <SecretView info={info} created={created} onDone={onClose} />;
  return (
    <LabelForm
      info={info}
      onCancel={onClose}
      onCreated={(c) => {
        setCreated(c);
        // Only the credential goes to the list; the secret stays here.
        onCreated(c.credential);
      }}
    />
  );
}

/** What closing the dialog loses once the secret is shown. */
function lostText(info: KindInfo): string {
  if (info.secret === 'qr') return strings.closeSecret.qr;
  return info.kind === 'app_passcode' ? strings.closeSecret.passcode : strings.closeSecret.password;
}

interface Props {
  info: KindInfo;
  opened: boolean;
  onClose: () => void;
  onCreated: (c: Credential) => void;
}

export function NewCredentialDialog({ info, opened, onClose, onCreated }: Props) {
  // Whether the secret is on screen: then Escape, × and a click beside the dialog ask first.
  const [shown, setShown] = useState(false);
  const close = () => {
    setShown(false);
    onClose();
  };
  return (
    <SecretModal opened={opened} onClose={close} guarded={shown} lost={lostText(info)} title={info.words.newTitle} centered size="lg">
      <CreateFlow
        info={info}
        onCreated={(c) => {
          setShown(true);
          onCreated(c);
        }}
        onClose={close}
      />
    </SecretModal>
  );
}
