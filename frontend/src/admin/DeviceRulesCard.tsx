// Device access rules of one level: the global ones on the settings page, or a domain's (its
// dialog on the Domains page, for global admins and that domain's admins): an ordered list (the
// first match decides), a form that adds one at a position, and a remove button per rule.
import { Badge, Button, Group, Modal, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, type DeviceRule, type DeviceRuleCreate } from '../common/api';
import { errorMessage } from '../common/errors';
import { Failure } from '../common/Failure';
import { ListStates, useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { strings } from '../common/strings';

const s = strings.admin.deviceRules;
type Field = DeviceRule['field'];
type Action = DeviceRule['action'];
const FIELDS: Field[] = ['deviceType', 'model', 'os', 'userAgent'];
const ACTIONS: Action[] = ['allowed', 'quarantined', 'blocked'];
const COLOR: Record<Action, string> = { allowed: 'green', quarantined: 'yellow', blocked: 'red' };

/** A domain's rules in a dialog (name null: closed). */
export function DomainDeviceRulesDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  return (
    <Modal opened={name !== null} onClose={onClose} title={s.domainTitle(name ?? '')} centered size={820}>
      {name !== null && <DeviceRulesCard domain={name} />}
    </Modal>
  );
}

/** The rules of one level: the global ones (no domain, a card of its own) or a domain's (bare, for its dialog). */
export function DeviceRulesCard({ domain }: { domain?: string } = {}) {
  const { state, reload } = useLoad(() => api.admin.deviceRules(domain), [domain]);
  const [field, setField] = useState<Field>('deviceType');
  const [pattern, setPattern] = useState('');
  const [action, setAction] = useState<Action>('quarantined');
  const [position, setPosition] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
      notifyDone(done);
      reload(true);
      return true;
    } catch (err) {
      setFailure(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    const body: DeviceRuleCreate = { field, pattern: pattern.trim(), action, position: position === '' ? 0 : position, domain };
    if (await run(() => api.admin.addDeviceRule(body), s.added)) {
      setPattern('');
      setPosition('');
    }
  };

  const content = (
    <>
      <Text size="sm" c="dimmed" mb="md">
        {domain ? s.domainIntro(domain) : s.intro}
      </Text>
      <ListStates state={state} onRetry={() => reload()} loadError={s.loadError} empty={<Text size="sm" c="dimmed" data-testid="device-rules-empty">{domain ? s.domainEmpty : s.empty}</Text>}>
        {(rules) => (
          <Stack component="ol" aria-label={s.listLabel} gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
            {rules.map((r) => (
              <Group key={r.id} component="li" justify="space-between" wrap="nowrap" gap="sm" data-testid="device-rule">
                <Group gap="sm" wrap="wrap" style={{ minWidth: 0 }}>
                  <Text fw={700} w={24} ta="right">
                    {r.position}.
                  </Text>
                  <Text size="sm">{s.fields[r.field]}</Text>
                  <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {r.pattern}
                  </Text>
                  <Badge variant="light" color={COLOR[r.action]} radius="sm">
                    {s.actions[r.action]}
                  </Badge>
                </Group>
                <Button size="xs" variant="subtle" color="red" disabled={busy} aria-label={s.removeFor(r.position)}
                  onClick={() => void run(() => api.admin.removeDeviceRule(r.id), s.removed)}>
                  {s.remove}
                </Button>
              </Group>
            ))}
          </Stack>
        )}
      </ListStates>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <Group mt="md" align="flex-end" wrap="wrap" gap="sm">
          <Select label={s.field} data={FIELDS.map((value) => ({ value, label: s.fields[value] }))} value={field}
            allowDeselect={false} onChange={(v) => v && setField(v as Field)} w={180} />
          <TextInput label={s.pattern} placeholder={s.patternPlaceholder} value={pattern} maxLength={191}
            onChange={(e) => setPattern(e.currentTarget.value)} w={200} required />
          <Select label={s.action} data={ACTIONS.map((value) => ({ value, label: s.actions[value] }))} value={action}
            allowDeselect={false} onChange={(v) => v && setAction(v as Action)} w={160} />
          <NumberInput label={s.position} min={1} allowDecimal={false} hideControls value={position}
            onChange={(v) => setPosition(typeof v === 'number' ? v : '')} w={90} />
          <Button type="submit" loading={busy} disabled={pattern.trim() === ''}>
            {s.add}
          </Button>
        </Group>
      </form>
      <Failure text={failure} testId="device-rules-error" />
    </>
  );
  if (domain) return <div data-testid="domain-device-rules">{content}</div>;
  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" data-testid="device-rules">
      <Title order={2} size="h4" mb="xs">
        {s.title}
      </Title>
      {content}
    </Paper>
  );
}
