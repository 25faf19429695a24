// Administration › Domains & COS: the policy levels between the global settings and an account.
// Global admins add, change and delete; a domain admin sees their domain and the COS, read-only.
import { ActionIcon, Button, Group, Paper, Select, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSession } from '../auth/session';
import { api, ApiError, type AdminCOS, type AdminDomain } from '../common/api';
import { errorMessage } from '../common/errors';
import { XIcon } from '../common/icons';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { LoadError, Loading, useLoad } from '../common/load';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { notifyDone } from '../common/notify';
import { Forbidden, isForbidden } from './common';
import { ScrollTable } from './common';
import { OrgPasswordDialog, type OrgPasswordTarget } from './OrgPasswordDialog';
import { BOOL_KEYS, overrideCount, type Overrides, type PolicyPatch } from './orgPasswordPolicy';
import { CosLimitsCell, CosLimitsDialog, type CosLimits } from './CosLimits';
import { DomainDnsDialog } from './DomainDnsDialog';
import { DomainDeviceRulesDialog } from './DeviceRulesCard';

const s = strings.admin.orgs;
type Policy = AdminDomain['twoFactor'];
type Access = AdminDomain['deviceAccess'];
const policyOptions = (['unset', 'required', 'forbidden'] as const).map((value) => ({ value, label: s.policies[value] }));
const accessOptions = (['inherit', 'allowed', 'quarantined', 'blocked'] as const).map((value) => ({
  value,
  label: strings.admin.deviceAccess[value],
}));
type Change = { twoFactor?: Policy; flag?: boolean; deviceAccess?: Access; trustedDays?: number | null; passkeyLogin?: boolean | null };
/** "Remember this browser" lengths offered (and the row's own value if it is another). */
const TRUSTED_DAYS = ['inherit', '0', '1', '7', '14', '30', '60', '90', '180', '365'];
const trustedOptions = (current: string) =>
  (TRUSTED_DAYS.includes(current) ? TRUSTED_DAYS : [...TRUSTED_DAYS, current]).map((value) => ({ value, label: s.trustedDaysOption(value) }));
type PasskeyLogin = 'inherit' | 'on' | 'off';
const passkeyOptions = (['inherit', 'on', 'off'] as const).map((value) => ({ value, label: s.passkeyLoginOptions[value] }));
const passkeyValue = (v: boolean | null | undefined): PasskeyLogin => (v == null ? 'inherit' : v ? 'on' : 'off');

/** One row of either table: the name, the 2FA policy, one EAS switch and the account count. */
interface Org {
  name: string;
  twoFactor: Policy;
  flag: boolean;
  /** What a new EAS device of its accounts gets (inherit: the level above). */
  deviceAccess: Access;
  /** Days "remember this browser" lasts; null inherits the level above. */
  trustedDays: number | null;
  /** Sign in with a passkey alone; null inherits the level above. */
  passkeyLogin: boolean | null;
  accounts: number;
  // Password policy: the overrides, and for a domain the mail switch.
  password: Overrides;
  forMail?: boolean;
  /** COS only: its limits (CosLimits.tsx). */
  limits?: CosLimits;
}

/** How many password rules the row overrides (the mail switch counts when it is off). */
const overrides = (org: Org) => overrideCount(org.password) + (org.forMail === false ? 1 : 0);

interface OrgTableProps {
  title: string;
  flagLabel: string;
  newLabel: string;
  newPlaceholder: string;
  testId: string;
  editable: boolean;
  load: () => Promise<Org[]>;
  create: (name: string) => Promise<unknown>;
  patch: (name: string, change: Change) => Promise<unknown>;
  remove: (name: string) => Promise<unknown>;
  patchPassword: (name: string, patch: PolicyPatch, forMail?: boolean) => Promise<unknown>;
  /** Show the Limits column (classes of service). */
  withLimits?: boolean;
  /** Show the DNS records column (domains; read-only, so for every administrator). */
  withDns?: boolean;
  /** Show the device rules column (domains; a domain admin edits their own domain's rules). */
  withRules?: boolean;
  /** Who a 2FA policy change of `name` reaches, for its confirmation. */
  policyScope: (name: string, accounts: number) => string;
}

/** A refused name: the server says what is wrong with it (e.g. not a domain name). */
function addErrorMessage(err: unknown, name: string): string {
  if (err instanceof ApiError && err.code === 'invalid_request' && err.message) return err.message;
  return errorMessage(err, { conflict: s.exists(name) });
}

function OrgTable(p: OrgTableProps) {
  const { state, reload, setState } = useLoad(p.load, []);
  const [name, setName] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Org | null>(null);
  const [policyOf, setPolicyOf] = useState<OrgPasswordTarget | null>(null);
  const [editingLimits, setEditingLimits] = useState<Org | null>(null);
  const [dnsOf, setDnsOf] = useState<string | null>(null);
  const [rulesOf, setRulesOf] = useState<string | null>(null);
  // A picked 2FA policy, saved only once confirmed: it changes every account of the row at once.
  const [policyChange, setPolicyChange] = useState<{ org: Org; twoFactor: Policy } | null>(null);

  if (state.status === 'error' && isForbidden(state.error)) return <Forbidden error={state.error} />;

  // The row shows the change at once; the reload afterwards shows what the server kept.
  const change = async (org: Org, c: Change) => {
    if (state.status === 'ready') {
      setState({ status: 'ready', data: state.data.map((o) => (o.name === org.name ? { ...o, ...c } : o)) });
    }
    try {
      await p.patch(org.name, c);
      notifyDone(s.saved(org.name));
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    }
    reload(true);
  };

  const add = async () => {
    setAdding(true);
    setAddError(null);
    try {
      await p.create(name.trim());
      notifyDone(s.added(name.trim()));
      setName('');
      reload(true);
    } catch (err) {
      setAddError(addErrorMessage(err, name.trim()));
    }
    setAdding(false);
  };

  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mb="lg" data-testid={p.testId}>
      <Text fw={700} size="lg" mb="md" component="h2">
        {p.title}
      </Text>
      {p.editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <Group align="flex-start" gap="sm" mb="md">
            <TextInput
              label={p.newLabel}
              placeholder={p.newPlaceholder}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={addError}
              required
              style={{ flex: 1, maxWidth: 360 }}
            />
            <Button type="submit" mt={25} loading={adding} disabled={!name.trim()}>
              {s.add}
            </Button>
          </Group>
        </form>
      )}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} onRetry={() => reload()} />}
      {state.status === 'ready' && state.data.length === 0 && (
        <Text c="dimmed" py="md" ta="center">
          {s.empty}
        </Text>
      )}
      {state.status === 'ready' && state.data.length > 0 && (
        <ScrollTable label={p.title} minWidth={p.withLimits ? 1420 : p.withDns ? 1420 : 1160}>
          <Table verticalSpacing="sm" aria-label={p.title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{s.name}</Table.Th>
                <Table.Th>{s.twoFactor}</Table.Th>
                <Table.Th>{p.flagLabel}</Table.Th>
                <Table.Th>{s.deviceAccess}</Table.Th>
                <Table.Th>{s.trustedDays}</Table.Th>
                <Table.Th>{s.passkeyLogin}</Table.Th>
                <Table.Th>{s.password.column}</Table.Th>
                {p.withLimits && <Table.Th>{s.limits}</Table.Th>}
                {p.withRules && <Table.Th>{s.rules.column}</Table.Th>}
                {p.withDns && <Table.Th>{s.dns.column}</Table.Th>}
                <Table.Th>{s.accounts}</Table.Th>
                {p.editable && (
                  <Table.Th>
                    <VisuallyHidden>{s.delete}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.data.map((org) => (
                <Table.Tr key={org.name} data-testid="org-row" data-name={org.name}>
                  <Table.Td fw={600}>{org.name}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${s.twoFactor}: ${org.name}`}
                      data={policyOptions}
                      value={org.twoFactor}
                      allowDeselect={false}
                      disabled={!p.editable}
                      onChange={(v) => v && v !== org.twoFactor && setPolicyChange({ org, twoFactor: v as Policy })}
                      w={190}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${p.flagLabel}: ${org.name}`}
                      checked={org.flag}
                      disabled={!p.editable}
                      onChange={(e) => void change(org, { flag: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${s.deviceAccess}: ${org.name}`}
                      data={accessOptions}
                      value={org.deviceAccess}
                      allowDeselect={false}
                      disabled={!p.editable}
                      onChange={(v) => v && v !== org.deviceAccess && void change(org, { deviceAccess: v as Access })}
                      w={230}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${s.trustedDays}: ${org.name}`}
                      data={trustedOptions(org.trustedDays === null ? 'inherit' : String(org.trustedDays))}
                      value={org.trustedDays === null ? 'inherit' : String(org.trustedDays)}
                      allowDeselect={false}
                      disabled={!p.editable}
                      onChange={(v) => v && void change(org, { trustedDays: v === 'inherit' ? null : Number(v) })}
                      w={130}
                      data-testid="org-trusted-days"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`${s.passkeyLogin}: ${org.name}`}
                      data={passkeyOptions}
                      value={passkeyValue(org.passkeyLogin)}
                      allowDeselect={false}
                      disabled={!p.editable}
                      onChange={(v) =>
                        v && v !== passkeyValue(org.passkeyLogin) && void change(org, { passkeyLogin: v === 'inherit' ? null : v === 'on' })
                      }
                      w={150}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      variant="default"
                      size="xs"
                      // The name starts with the visible text (WCAG 2.5.3), then says which row.
                      aria-label={s.password.openNamed(s.password.summary(overrides(org)), org.name)}
                      onClick={() => setPolicyOf({ name: org.name, overrides: org.password, forMail: org.forMail })}
                    >
                      {s.password.summary(overrides(org))}
                    </Button>
                  </Table.Td>
                  {p.withLimits && org.limits && (
                    <Table.Td>
                      <CosLimitsCell name={org.name} limits={org.limits} editable={p.editable} onEdit={() => setEditingLimits(org)} />
                    </Table.Td>
                  )}
                  {p.withRules && (
                    <Table.Td>
                      <Button variant="default" size="xs" aria-label={s.rules.open(org.name)} onClick={() => setRulesOf(org.name)}>
                        {s.rules.button}
                      </Button>
                    </Table.Td>
                  )}
                  {p.withDns && (
                    <Table.Td>
                      <Button variant="default" size="xs" aria-label={s.dns.open(org.name)} onClick={() => setDnsOf(org.name)}>
                        {s.dns.button}
                      </Button>
                    </Table.Td>
                  )}
                  <Table.Td>{org.accounts}</Table.Td>
                  {p.editable && (
                    <Table.Td>
                      <Tooltip label={org.accounts > 0 ? s.inUse(org.accounts) : s.delete}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={s.deleteLabel(org.name)}
                          disabled={org.accounts > 0}
                          onClick={() => setDeleting(org)}
                        >
                          <XIcon size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <OrgPasswordDialog
        target={policyOf}
        editable={p.editable}
        onClose={() => setPolicyOf(null)}
        onSave={async (name, patch, forMail) => {
          await p.patchPassword(name, patch, forMail);
          notifyDone(s.saved(name));
          reload(true);
        }}
      />
      <ConfirmDialog
        opened={policyChange !== null}
        title={s.policyTitle(policyChange?.org.name ?? '')}
        confirmLabel={s.policyConfirm}
        onClose={() => setPolicyChange(null)}
        onConfirm={async () => {
          if (!policyChange) return;
          const { org, twoFactor } = policyChange;
          await p.patch(org.name, { twoFactor });
          notifyDone(s.saved(org.name));
          reload(true);
        }}
      >
        {policyChange && (
          <>
            <strong>{s.policyTo(s.policies[policyChange.twoFactor])}</strong>{' '}
            {p.policyScope(policyChange.org.name, policyChange.org.accounts)} {s.policyEffect[policyChange.twoFactor]}
          </>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        opened={deleting !== null}
        title={s.deleteTitle(deleting?.name ?? '')}
        confirmLabel={s.deleteConfirm}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await p.remove(deleting.name);
          notifyDone(s.deleted(deleting.name));
          reload(true);
        }}
      >
        {s.deleteBody}
      </ConfirmDialog>
      {p.withDns && <DomainDnsDialog name={dnsOf} onClose={() => setDnsOf(null)} />}
      {p.withRules && <DomainDeviceRulesDialog name={rulesOf} onClose={() => setRulesOf(null)} />}
      {p.withLimits && (
        <CosLimitsDialog
          name={editingLimits?.name ?? null}
          limits={editingLimits?.limits ?? { pinCodesPerEntry: null, maxCredentialsPerKind: null }}
          onClose={() => setEditingLimits(null)}
          onSaved={() => reload(true)}
        />
      )}
    </Paper>
  );
}

const overridesOf = (o: Overrides): Overrides => ({
  passwordMinLength: o.passwordMinLength,
  ...(Object.fromEntries(BOOL_KEYS.map((k) => [k, o[k]])) as Omit<Overrides, 'passwordMinLength'>),
});
const fromDomain = (d: AdminDomain): Org => ({
  name: d.name,
  twoFactor: d.twoFactor,
  flag: d.easRequireDevicePassword,
  deviceAccess: d.deviceAccess,
  trustedDays: d.trustedBrowserDays,
  passkeyLogin: d.passkeyLogin ?? null,
  accounts: d.accounts,
  password: overridesOf(d),
  forMail: d.accountPasswordForMail,
});
const fromCos = (c: AdminCOS): Org => ({
  name: c.name,
  twoFactor: c.twoFactor,
  flag: c.easEnabled,
  deviceAccess: c.deviceAccess,
  trustedDays: c.trustedBrowserDays,
  passkeyLogin: c.passkeyLogin ?? null,
  accounts: c.accounts,
  password: overridesOf(c),
  limits: { pinCodesPerEntry: c.pinCodesPerEntry, maxCredentialsPerKind: c.maxCredentialsPerKind },
});

export function OrgsPage() {
  const { me } = useSession();
  const editable = me?.role === 'global_admin';
  return (
    <>
      <SectionHeader title={s.title} intro={editable ? s.intro : s.readOnly} />
      <OrgTable
        title={s.domains}
        flagLabel={s.easDevicePassword}
        newLabel={s.newDomain}
        newPlaceholder={s.newDomainPlaceholder}
        testId="domains"
        editable={editable}
        load={() => api.admin.domains().then((ds) => ds.map(fromDomain))}
        create={api.admin.createDomain}
        patch={(name, c) => api.admin.patchDomain(name, {
            twoFactor: c.twoFactor,
            easRequireDevicePassword: c.flag,
            deviceAccess: c.deviceAccess,
            trustedBrowserDays: c.trustedDays,
            passkeyLogin: c.passkeyLogin,
          })
        }
        remove={api.admin.deleteDomain}
        policyScope={s.policyDomainScope}
        patchPassword={(name, patch, forMail) => api.admin.patchDomain(name, { ...patch, accountPasswordForMail: forMail })}
        withDns
        withRules
      />
      <OrgTable
        title={s.cos}
        flagLabel={s.easEnabled}
        newLabel={s.newCos}
        newPlaceholder={s.newCosPlaceholder}
        testId="cos"
        editable={editable}
        load={() => api.admin.cosList().then((cs) => cs.map(fromCos))}
        create={api.admin.createCos}
        patch={(name, c) =>
          api.admin.patchCos(name, {
            twoFactor: c.twoFactor,
            easEnabled: c.flag,
            deviceAccess: c.deviceAccess,
            trustedBrowserDays: c.trustedDays,
            passkeyLogin: c.passkeyLogin,
          })
        }
        remove={api.admin.deleteCos}
        policyScope={s.policyCosScope}
        patchPassword={(name, patch) => api.admin.patchCos(name, patch)}
        withLimits
      />
    </>
  );
}
