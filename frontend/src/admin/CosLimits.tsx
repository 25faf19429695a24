// The limits a class of service may set for its accounts (credentials of one kind, PIN codes per
// OTP entry); an empty value inherits the global setting. Shown in the COS table, edited in a
// dialog by global admins.
import { Button, Group, Modal, NumberInput, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type AdminCOS } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import { notifyDone } from '../common/notify';
import { LIMITS, parseCosLimit } from './logic';

const s = strings.admin.orgs;

export type CosLimits = Pick<AdminCOS, 'maxCredentialsPerKind' | 'pinCodesPerEntry'>;
type LimitKey = keyof CosLimits;
const keys: LimitKey[] = ['pinCodesPerEntry', 'maxCredentialsPerKind'];

const show = (v: number | null | undefined) => (v === null || v === undefined ? s.inherit : String(v));

/** The table cell: both limits, and for global admins a button to edit them. */
export function CosLimitsCell({ name, limits, editable, onEdit }: { name: string; limits: CosLimits; editable: boolean; onEdit: () => void }) {
  const text = s.limitSummary(show(limits.pinCodesPerEntry), show(limits.maxCredentialsPerKind));
  if (!editable) return <Text size="sm">{text}</Text>;
  return (
    <Tooltip label={s.editLimits(name)}>
      <Button variant="default" size="xs" aria-label={s.editLimitsNamed(text, name)} onClick={onEdit} data-testid="cos-limits">
        {text}
      </Button>
    </Tooltip>
  );
}

type Draft = Record<LimitKey, number | string>;

/** Edits the limits of one COS; Save sends both (null for an empty field). */
export function CosLimitsDialog({ name, limits, onClose, onSaved }: { name: string | null; limits: CosLimits; onClose: () => void; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>({ pinCodesPerEntry: '', maxCredentialsPerKind: '' });
  const [global, setGlobal] = useState<Partial<Record<LimitKey, number>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (name === null) return;
    setDraft({ pinCodesPerEntry: limits.pinCodesPerEntry ?? '', maxCredentialsPerKind: limits.maxCredentialsPerKind ?? '' });
    setFailure(null);
    // The global values, to say what "inherit" means here (global admins may read them).
    api.admin.settings().then(
      (g) => setGlobal({ pinCodesPerEntry: g.pinCodesPerEntry, maxCredentialsPerKind: g.maxCredentialsPerKind }),
      () => setGlobal({}),
    );
  }, [name, limits.pinCodesPerEntry, limits.maxCredentialsPerKind]);

  const parsed = Object.fromEntries(keys.map((k) => [k, parseCosLimit(draft[k], LIMITS[k][0], LIMITS[k][1])])) as Record<LimitKey, number | null | undefined>;
  const valid = keys.every((k) => parsed[k] !== undefined);

  const save = async () => {
    if (!name || !valid) return;
    setSaving(true);
    setFailure(null);
    try {
      await api.admin.patchCos(name, { pinCodesPerEntry: parsed.pinCodesPerEntry ?? null, maxCredentialsPerKind: parsed.maxCredentialsPerKind ?? null });
      notifyDone(s.saved(name));
      onSaved();
      onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setSaving(false);
  };

  return (
    <Modal opened={name !== null} onClose={onClose} title={s.limitsTitle(name ?? '')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="md">
          <Text size="sm">{s.limitsIntro}</Text>
          {keys.map((k) => (
            <NumberInput
              key={k}
              label={s[k]}
              description={s.limitRange(LIMITS[k][0], LIMITS[k][1])}
              placeholder={s.inheritPlaceholder(global[k])}
              allowDecimal={false}
              allowNegative={false}
              hideControls
              value={draft[k]}
              onChange={(v) => setDraft({ ...draft, [k]: v })}
              error={parsed[k] === undefined ? s.limitError(LIMITS[k][0], LIMITS[k][1]) : undefined}
              data-autofocus={k === 'pinCodesPerEntry' || undefined}
            />
          ))}
          {failure && (
            <Text size="sm" c="red" role="alert">
              {failure}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {s.cancel}
            </Button>
            <Button type="submit" loading={saving} disabled={!valid}>
              {s.saveLimits}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
