// The first step of a creation dialog (NEW AUTHENTICATION +, NEW OTP +): a label, then the
// credential is created and the dialog goes on to show its secret.
import { Button, Group, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { charCount } from '../auth/passwordCheck';
import { api, ApiError, type CreatedCredential, type CredentialKind } from '../common/api';
import { errorMessage } from '../common/errors';
import { LabelField } from '../common/LabelField';
import { strings } from '../common/strings';
import { labelProblem, MAX_LABEL, normaliseLabel, type LabelProblem } from './label';
import { Failure } from '../common/Failure';
import { DEFAULT_DOORS, PasscodeScopeFields, scopeOf } from './PasscodeScopeFields';

/** The words of a kind's label form. */
export interface LabelWords {
  field: string;
  hint: string;
  required: string;
  tooLong: (max: number) => string;
  invalid: string;
  /** The label is in use already. */
  taken: string;
  limitReached: string;
  create: string;
}

function problemText(words: LabelWords, problem: LabelProblem | null): string | null {
  switch (problem) {
    case 'required':
      return words.required;
    case 'too_long':
      return words.tooLong(MAX_LABEL);
    case 'invalid_char':
      return words.invalid;
    default:
      return null;
  }
}

interface Props {
  kind: CredentialKind;
  words: LabelWords;
  onCreated: (c: CreatedCredential) => void;
  onCancel: () => void;
}

export function LabelForm({ kind, words, onCreated, onCancel }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // An application passcode also gets its doors and lifetime (PasscodeScopeFields).
  const scoped = kind === 'app_passcode';
  const form = useForm({
    initialValues: { label: '', doors: DEFAULT_DOORS as string[], expiry: '0' },
    validate: {
      label: (v) => problemText(words, labelProblem(v)),
      doors: (v) => (scoped && v.length === 0 ? strings.passcodeScope.doorsRequired : null),
    },
  });
  const count = charCount(normaliseLabel(form.values.label));

  const submit = form.onSubmit(async ({ label, doors, expiry }) => {
    setBusy(true);
    setFailure(null);
    try {
      // A password's Apple profile can only be made with it: ask for one now, in case.
      onCreated(
        await api.createCredential(
          kind,
          normaliseLabel(label),
          scoped ? scopeOf(doors, expiry) : undefined,
          kind === 'eas' || kind === 'app_passcode',
        ),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'label_taken') form.setFieldError('label', words.taken);
      else setFailure(errorMessage(err, { limit_reached: words.limitReached }));
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <LabelField label={words.field} description={words.hint} count={count} max={MAX_LABEL} {...form.getInputProps('label')} />
        {scoped && <PasscodeScopeFields doors={form.getInputProps('doors')} expiry={form.getInputProps('expiry')} />}
        <Failure text={failure} testId="create-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {strings.credentials.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {words.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
