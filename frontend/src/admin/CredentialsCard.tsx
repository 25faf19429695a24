// The credentials of one account, with the administrator's limited edits per row and a new EAS
// password whose secret the administrator sees once; read-only: the list alone.
import { Alert, Badge, Button, Group, Menu, Modal, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type CreatedCredential, type Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon, PlusIcon } from '../common/icons';
import { strings } from '../common/strings';
import { labelProblem, MAX_LABEL, normaliseLabel, type LabelProblem } from '../credentials/label';
import { credentialStatusColor } from '../credentials/CredentialEntry';
import { CopySecret, PasswordDisplay } from '../credentials/SecretView';
import { SecretModal } from '../credentials/SecretModal';
import { ListStates, useLoad } from '../common/load';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { notifyDone } from '../common/notify';
import { DateCell, ScrollTable } from './common';
import { credentialActions, failedAttemptsText, fromLocalInput, toLocalInput, type CredentialAction } from './logic';
import { Failure } from '../common/Failure';
import { NarrowDoorsDialog } from './NarrowDoorsDialog';

const s = strings.admin.credentials;
const c = strings.credentials;

function problemText(problem: LabelProblem | null): string | null {
  if (problem === 'required') return c.labelRequired;
  if (problem === 'too_long') return c.labelTooLong(MAX_LABEL);
  if (problem === 'invalid_char') return c.labelInvalid;
  return null;
}

/** A label form: used to create an EAS password and to rename a credential. */
function LabelForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: string;
  submitLabel: string;
  onSubmit: (label: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ initialValues: { label: initial }, validate: { label: (v) => problemText(labelProblem(v)) } });
  const submit = form.onSubmit(async ({ label }) => {
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(normaliseLabel(label));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'label_taken') form.setFieldError('label', strings.errors.label_taken);
      else setFailure(errorMessage(err));
      setBusy(false);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput label={s.label} required autoComplete="off" data-autofocus maxLength={200} {...form.getInputProps('label')} />
        <Failure text={failure} testId="dialog-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {strings.admin.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NewEasFlow({ email, onCreated, onClose }: { email: string; onCreated: () => void; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedCredential | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (created) heading.current?.focus();
  }, [created]);
  if (!created) {
    return (
      <LabelForm
        initial=""
        submitLabel={c.create}
        onCancel={onClose}
        onSubmit={async (label) => {
          const made = await api.admin.createCredential(email, 'eas', label);
          setCreated(made);
          onCreated();
        }}
      />
    );
  }
  const password = created.secret.password ?? '';
  return (
    <Stack gap="md">
      <Title order={3} size="h5" ref={heading} tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
        {s.createdTitle(created.credential.label)}
      </Title>
      <PasswordDisplay password={password} />
      <Text size="sm" c="dimmed">
        {s.useIt(email)}
      </Text>
      <CopySecret text={password} label={c.copyPassword} variant="filled" />
      <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="secret-warning">
        <Text size="sm" fw={600}>
          {c.warnPassword}
        </Text>
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onClose}>{c.done}</Button>
      </Group>
    </Stack>
  );
}

function ExpiryForm({ target, onSaved, onCancel }: { target: Credential; onSaved: (c: Credential) => void; onCancel: () => void }) {
  const [value, setValue] = useState(toLocalInput(target.expiresAt));
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const iso = fromLocalInput(value);
    if (!iso) return setError(s.expiryRequired);
    if (Date.parse(iso) <= Date.now()) return setError(s.expiryPast);
    setError(null);
    setBusy(true);
    setFailure(null);
    try {
      onSaved(await api.admin.patchCredential(target.id, { expiresAt: iso }));
    } catch (err) {
      setFailure(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          type="datetime-local"
          label={s.expiryField}
          description={s.expiryHint}
          required
          data-autofocus
          value={value}
          error={error}
          onChange={(e) => setValue(e.currentTarget.value)}
        />
        <Failure text={failure} testId="dialog-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {strings.admin.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {s.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const actionWords: Record<CredentialAction, string> = {
  enable: s.enable,
  disable: s.disable,
  rename: s.rename,
  setExpiry: s.setExpiry,
  clearExpiry: s.clearExpiry,
  narrowDoors: s.narrowDoors,
  resetFailed: s.resetFailed,
  unlock: s.unlock,
  delete: s.delete,
};

// shown: the new password is on screen, so closing asks first (SecretModal).
type Dialog = { kind: 'rename' | 'expiry' | 'doors' | 'delete'; target: Credential } | { kind: 'new'; shown?: boolean } | null;

export function CredentialsCard({ email, readOnly = false, onChanged }: { email: string; readOnly?: boolean; onChanged: () => void }) {
  const { state, reload } = useLoad(() => api.admin.credentials(email), [email]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [lastTarget, setLastTarget] = useState<Credential | null>(null);
  const close = () => setDialog(null);
  const changed = () => {
    reload(true);
    onChanged();
  };

  const quick = async (cred: Credential, action: CredentialAction) => {
    setFailure(null);
    try {
      if (action === 'enable' || action === 'disable') {
        await api.admin.patchCredential(cred.id, { status: action === 'enable' ? 'enabled' : 'disabled' });
        notifyDone(action === 'enable' ? s.enabled(cred.label) : s.disabled(cred.label));
      } else if (action === 'resetFailed' || action === 'unlock') {
        await api.admin.patchCredential(cred.id, { resetFailedAttempts: true });
        notifyDone(action === 'unlock' ? s.unlocked(cred.label) : s.reset(cred.label));
      } else if (action === 'clearExpiry') {
        await api.admin.patchCredential(cred.id, { expiresAt: null });
        notifyDone(s.expiryCleared(cred.label));
      }
    } catch (err) {
      setFailure(errorMessage(err));
    }
    changed();
  };

  const act = (cred: Credential, action: CredentialAction) => {
    setLastTarget(cred);
    if (action === 'rename') setDialog({ kind: 'rename', target: cred });
    else if (action === 'setExpiry') setDialog({ kind: 'expiry', target: cred });
    else if (action === 'narrowDoors') setDialog({ kind: 'doors', target: cred });
    else if (action === 'delete') setDialog({ kind: 'delete', target: cred });
    else void quick(cred, action);
  };

  const target = dialog && dialog.kind !== 'new' ? dialog.target : lastTarget;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="admin-credentials">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {s.title}
        </Title>
        {!readOnly && (
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setDialog({ kind: 'new' })}>
            {s.newEas}
          </Button>
        )}
      </Group>
      <Failure text={failure} testId="credentials-error" mb="md" />
      <ListStates state={state} onRetry={() => reload()} empty={s.empty}>
        {(items) => (
          <ScrollTable label={s.listLabel} minWidth={800}>
            <Table verticalSpacing="sm" fz="sm" aria-label={s.listLabel}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{s.kind}</Table.Th>
                  <Table.Th>{s.label}</Table.Th>
                  <Table.Th>{s.status}</Table.Th>
                  <Table.Th>{s.services}</Table.Th>
                  <Table.Th>{s.created}</Table.Th>
                  <Table.Th>{s.lastUsed}</Table.Th>
                  <Table.Th>{s.expiry}</Table.Th>
                  <Table.Th>{s.failed}</Table.Th>
                  {!readOnly && (
                    <Table.Th>
                      <VisuallyHidden>{s.actions}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((cred) => (
                  <Table.Tr key={cred.id} data-testid="admin-credential" data-id={cred.id} data-kind={cred.kind}>
                    <Table.Td>{s.kinds[cred.kind]}</Table.Td>
                    <Table.Td fw={600} miw={140} style={{ overflowWrap: 'anywhere' }} data-testid="credential-label">
                      {cred.label}
                      {cred.pinCodesLeft !== undefined && (
                        <Text size="xs" fw={400} c="gray.7" data-testid="credential-pins-left">
                          {s.pinCodesLeft(cred.pinCodesLeft)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge miw="max-content" variant="light" color={credentialStatusColor[cred.status]} radius="sm" data-testid="credential-status">
                        {c.status[cred.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{cred.services.map((svc) => c.services[svc]).join(', ')}</Table.Td>
                    <DateCell iso={cred.createdAt} stacked />
                    <DateCell iso={cred.lastUsedAt} empty={strings.admin.never} testId="credential-last-used" stacked>
                      {cred.lastUsedAddress}
                    </DateCell>
                    <DateCell iso={cred.expiresAt} empty={s.noExpiry} testId="credential-expiry" stacked />
                    <Table.Td data-testid="credential-failed">{failedAttemptsText(cred) ?? '—'}</Table.Td>
                    {!readOnly && (
                      <Table.Td>
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <Button variant="default" size="xs" aria-label={s.actionsFor(cred.label)}>
                              {s.actions}
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {credentialActions(cred).map((action) => (
                              <Menu.Item key={action} color={action === 'delete' ? 'red.8' : undefined} onClick={() => act(cred, action)}>
                                {actionWords[action]}
                              </Menu.Item>
                            ))}
                          </Menu.Dropdown>
                        </Menu>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </ListStates>

      <SecretModal
        opened={dialog?.kind === 'new'}
        onClose={close}
        guarded={dialog?.kind === 'new' && !!dialog.shown}
        lost={strings.closeSecret.password}
        title={s.newTitle}
        centered
        size="lg"
      >
        <NewEasFlow
          email={email}
          onCreated={() => {
            setDialog({ kind: 'new', shown: true });
            changed();
          }}
          onClose={close}
        />
      </SecretModal>
      <Modal opened={dialog?.kind === 'rename'} onClose={close} title={target ? s.renameTitle(target.label) : ''} centered>
        {dialog?.kind === 'rename' && (
          <LabelForm
            initial={dialog.target.label}
            submitLabel={s.save}
            onCancel={close}
            onSubmit={async (label) => {
              await api.admin.patchCredential(dialog.target.id, { label });
              notifyDone(s.renamed(label));
              close();
              changed();
            }}
          />
        )}
      </Modal>
      <Modal opened={dialog?.kind === 'expiry'} onClose={close} title={target ? s.expiryTitle(target.label) : ''} centered>
        {dialog?.kind === 'expiry' && (
          <ExpiryForm
            target={dialog.target}
            onCancel={close}
            onSaved={(saved) => {
              notifyDone(s.expirySet(saved.label));
              close();
              changed();
            }}
          />
        )}
      </Modal>
      <NarrowDoorsDialog target={target} opened={dialog?.kind === 'doors'} onClose={close} onSaved={changed} />
      <ConfirmDialog
        opened={dialog?.kind === 'delete'}
        title={target ? s.deleteTitle(target.label) : ''}
        confirmLabel={c.yes}
        danger
        onClose={close}
        onConfirm={async () => {
          if (!target) return;
          try {
            await api.admin.deleteCredential(target.id);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
          }
          notifyDone(s.deleted(target.label));
          changed();
        }}
      >
        {s.deleteBody}
      </ConfirmDialog>
    </Paper>
  );
}
