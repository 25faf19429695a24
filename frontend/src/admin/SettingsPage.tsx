// Administration › Global settings (global admins): the policy every domain, COS and account
// inherits unless a more specific level decides. Saved all at once, as the API does.
import { Button, Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type GlobalSettings } from '../common/api';
import { errorMessage } from '../common/errors';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { LoadError, Loading, useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { Forbidden, isForbidden } from './common';
import { inRange, LIMITS } from './logic';
import { Failure } from '../common/Failure';
import { DeviceRulesCard } from './DeviceRulesCard';

const s = strings.admin.settings;
type Settings = Required<GlobalSettings>;
type BoolKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];
type NumberKey = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];

/** Field limits, as the API checks them (api-spec GlobalSettings). */
const limits: Record<NumberKey, readonly [number, number]> = {
  passwordMinLength: [1, 128],
  maxCredentialsPerKind: [1, 1000],
  easMinDevicePasswordLength: [1, 16],
  easMaxInactivitySeconds: [60, 86400],
  // Limits, EAS heartbeat and sessions (migration 0011)
  pinCodesPerEntry: LIMITS.pinCodesPerEntry,
  easHeartbeatMinSeconds: LIMITS.easHeartbeatSeconds,
  easHeartbeatMaxSeconds: LIMITS.easHeartbeatSeconds,
  easMaxDevicesPerAccount: LIMITS.easMaxDevicesPerAccount,
  sessionLifetimeMinutes: LIMITS.sessionLifetimeMinutes,
  trustedBrowserDays: LIMITS.trustedBrowserDays,
};

/** What the API would refuse, by key: a value out of range, or heartbeat bounds the wrong way round. */
function fieldErrors(d: Settings): Partial<Record<NumberKey, string>> {
  const out: Partial<Record<NumberKey, string>> = {};
  for (const k of Object.keys(limits) as NumberKey[]) {
    if (!inRange(d[k], limits[k][0], limits[k][1])) out[k] = s.rangeError(limits[k][0], limits[k][1]);
  }
  if (!out.easHeartbeatMinSeconds && !out.easHeartbeatMaxSeconds && d.easHeartbeatMinSeconds > d.easHeartbeatMaxSeconds) {
    out.easHeartbeatMinSeconds = s.heartbeatOrder;
  }
  return out;
}

const groups: { title: string; bools: BoolKey[]; numbers: NumberKey[] }[] = [
  { title: s.groups.password, bools: ['passwordRequireLowercase', 'passwordRequireUppercase', 'passwordRequireDigit', 'passwordRequireSymbol'], numbers: ['passwordMinLength'] },
  { title: s.groups.credentials, bools: ['revokePasscodesOnPasswordChange'], numbers: ['maxCredentialsPerKind', 'pinCodesPerEntry'] },
  { title: s.groups.eas, bools: ['easRequireDevicePassword'], numbers: ['easMinDevicePasswordLength', 'easMaxInactivitySeconds'] },
  { title: s.groups.easLimits, bools: [], numbers: ['easHeartbeatMinSeconds', 'easHeartbeatMaxSeconds', 'easMaxDevicesPerAccount'] },
  { title: s.groups.sessions, bools: [], numbers: ['sessionLifetimeMinutes', 'trustedBrowserDays'] },
];

type NoticeEvent = Settings['securityNotices'][number];
/** The security-notice events, in the order the API lists them (api-spec GlobalSettings). */
const noticeEvents = Object.keys(s.securityNoticeEvents) as NoticeEvent[];

/** Whether two setting values are the same (a list compares by its items). */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function SettingsPage() {
  const { state, reload, setState } = useLoad(() => api.admin.settings() as Promise<Settings>, []);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (state.status === 'ready') setDraft(state.data);
  }, [state]);

  if (state.status === 'loading' || (state.status === 'ready' && !draft)) return <Loading />;
  if (state.status === 'error') {
    if (isForbidden(state.error)) return <Forbidden error={state.error} />;
    return <LoadError error={state.error} onRetry={() => reload()} />;
  }
  const d = draft as Settings;
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft({ ...d, [k]: v });
  const changed = (Object.keys(d) as (keyof Settings)[]).filter((k) => !same(d[k], state.data[k]));
  const errors = fieldErrors(d);
  const valid = Object.keys(errors).length === 0;

  const save = async () => {
    setSaving(true);
    setFailure(null);
    try {
      const body = Object.fromEntries(changed.map((k) => [k, d[k]])) as GlobalSettings;
      const saved = (await api.admin.patchSettings(body)) as Settings;
      setState({ status: 'ready', data: saved });
      notifyDone(s.saved);
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setSaving(false);
  };

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="lg">
          <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
            <Text fw={700} size="lg" mb="md" component="h2">
              {s.groups.twoFactor}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
              <Select
                label={s.labels.twoFactor}
                data={(['unset', 'required', 'forbidden'] as const).map((value) => ({ value, label: strings.admin.orgs.policies[value] }))}
                value={d.twoFactor}
                allowDeselect={false}
                onChange={(v) => v && set('twoFactor', v as Settings['twoFactor'])}
              />
              <Switch mt={30} label={s.labels.adminRequireTwoFactor} checked={d.adminRequireTwoFactor} onChange={(e) => set('adminRequireTwoFactor', e.currentTarget.checked)} />
              <Switch
                label={s.labels.passkeyLogin}
                description={s.passkeyLoginHint}
                checked={d.passkeyLogin}
                onChange={(e) => set('passkeyLogin', e.currentTarget.checked)}
              />
            </SimpleGrid>
          </Paper>
          <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
            <Text fw={700} size="lg" mb="md" component="h2">
              {s.groups.deviceAccess}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
              <Select
                label={s.labels.deviceAccess}
                description={s.deviceAccessHint}
                data={(['allowed', 'quarantined', 'blocked'] as const).map((value) => ({ value, label: strings.admin.deviceAccess[value] }))}
                value={d.deviceAccess}
                allowDeselect={false}
                onChange={(v) => v && set('deviceAccess', v as Settings['deviceAccess'])}
                data-testid="device-access-select"
              />
            </SimpleGrid>
          </Paper>
          <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
            <Text fw={700} size="lg" mb="xs" component="h2">
              {s.groups.securityNotices}
            </Text>
            <Text size="sm" c="dimmed" mb="md">
              {s.securityNoticesIntro}
            </Text>
            <Checkbox.Group
              label={s.securityNoticesLabel}
              value={d.securityNotices}
              onChange={(v) => set('securityNotices', noticeEvents.filter((e) => v.includes(e)))}
              data-testid="security-notices"
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
                {noticeEvents.map((e) => (
                  <Checkbox key={e} value={e} label={s.securityNoticeEvents[e]} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </Paper>
          {groups.map((g) => (
            <Paper key={g.title} withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
              <Text fw={700} size="lg" mb="md" component="h2">
                {g.title}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
                {g.numbers.map((k) => (
                  <NumberInput
                    key={k}
                    label={s.labels[k]}
                    min={limits[k][0]}
                    max={limits[k][1]}
                    allowDecimal={false}
                    hideControls
                    value={d[k]}
                    onChange={(v) => set(k, typeof v === 'number' ? v : Number(v))}
                    description={[s.range(limits[k][0], limits[k][1]), s.hints[k]].filter(Boolean).join('. ')}
                    error={errors[k]}
                  />
                ))}
                {g.bools.map((k) => (
                  <Switch key={k} label={s.labels[k]} checked={d[k]} onChange={(e) => set(k, e.currentTarget.checked)} />
                ))}
              </SimpleGrid>
            </Paper>
          ))}
          <Failure text={failure} testId="settings-error" />
          <Group>
            <Button type="submit" loading={saving} disabled={changed.length === 0 || !valid}>
              {s.save}
            </Button>
            <Button variant="default" disabled={changed.length === 0 || saving} onClick={() => setDraft(state.data)}>
              {s.discard}
            </Button>
          </Group>
        </Stack>
      </form>
      <Stack mt="xl">
        <DeviceRulesCard />
      </Stack>
    </>
  );
}
