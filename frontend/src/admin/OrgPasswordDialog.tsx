// The password-policy dialog of a domain or COS: each override set or inherited, and for a
// domain the switch "account password for mail". Read-only for domain admins.
import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import {
  BOOL_KEYS,
  inheritedValue,
  MIN_LENGTH_RANGE,
  minLengthProblem,
  toDraft,
  toPatch,
  type GlobalPolicy,
  type Overrides,
  type PolicyDraft,
  type PolicyPatch,
  type Tri,
} from './orgPasswordPolicy';
import { Failure } from '../common/Failure';

const s = strings.admin.orgs.password;

export interface OrgPasswordTarget {
  name: string;
  overrides: Overrides;
  forMail?: boolean; // domains only
}

interface Props {
  target: OrgPasswordTarget | null;
  editable: boolean;
  onClose: () => void;
  onSave: (name: string, patch: PolicyPatch, forMail?: boolean) => Promise<unknown>;
}

export function OrgPasswordDialog({ target, editable, onClose, onSave }: Props) {
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [forMail, setForMail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [global, setGlobal] = useState<GlobalPolicy | null>(null);

  useEffect(() => {
    if (!target) return;
    setDraft(toDraft(target.overrides));
    setForMail(target.forMail ?? true);
    setFailure(null);
    setTouched(false);
    // The global rules, to say what "Inherit" means. Only global admins may read them, and
    // only they can edit: a domain admin's read-only dialog says "Inherit" alone.
    setGlobal(null);
    if (editable) api.admin.settings().then(setGlobal, () => setGlobal(null));
  }, [target, editable]);

  const level = target?.forMail === undefined ? 'cos' : 'domain';
  const inherit = (v: string | undefined) => (v === undefined ? s.tri.inherit : s.inherited[level](v));
  const triOptions = (k: (typeof BOOL_KEYS)[number]) =>
    (['inherit', 'true', 'false'] as const).map((value) => ({
      value,
      label: value === 'inherit' ? inherit(inheritedValue(global, k, s.tri.true, s.tri.false)) : s.tri[value],
    }));

  const close = () => !busy && onClose();
  const problem = draft ? minLengthProblem(draft.minLength) : null;

  const save = async () => {
    if (!target || !draft) return;
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSave(target.name, toPatch(draft), target.forMail === undefined ? undefined : forMail);
      setBusy(false);
      onClose();
    } catch (err) {
      // A refused value: the server says which and why, as the form's own check does.
      setFailure(err instanceof ApiError && err.code === 'invalid_request' && err.message ? err.message : errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal opened={target !== null} onClose={close} title={target ? s.title(target.name) : ''} centered size="xl">
      {target && draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          data-testid="org-password-form"
        >
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {editable ? s.intro : s.readOnly}
            </Text>
            <NumberInput
              label={s.minLength}
              description={s.minLengthHint}
              placeholder={inherit(inheritedValue(global, 'passwordMinLength', s.tri.true, s.tri.false))}
              min={MIN_LENGTH_RANGE[0]}
              max={MIN_LENGTH_RANGE[1]}
              allowDecimal={false}
              clampBehavior="none" // an out-of-range value is reported, not silently changed
              hideControls
              disabled={!editable}
              value={draft.minLength}
              onChange={(v) => setDraft({ ...draft, minLength: v })}
              onBlur={() => setTouched(true)}
              error={touched && problem ? s.minLengthError : null}
              maw={340}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {BOOL_KEYS.map((k) => (
                <Select
                  key={k}
                  label={s.bools[k]}
                  data={triOptions(k)}
                  value={draft.bools[k]}
                  allowDeselect={false}
                  disabled={!editable}
                  onChange={(v) => v && setDraft({ ...draft, bools: { ...draft.bools, [k]: v as Tri } })}
                />
              ))}
            </SimpleGrid>
            {target.forMail !== undefined && (
              <Switch
                label={s.forMail}
                description={s.forMailHint}
                checked={forMail}
                disabled={!editable}
                onChange={(e) => setForMail(e.currentTarget.checked)}
              />
            )}
            <Failure text={failure} testId="org-password-error" />
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={busy}>
                {editable ? strings.admin.cancel : s.close}
              </Button>
              {editable && (
                <Button type="submit" loading={busy}>
                  {s.save}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
