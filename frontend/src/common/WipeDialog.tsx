// The choice before a remote wipe, for the admin's and the user's device cards: remove only
// this account's data (EAS 16.1 AccountOnlyRemoteWipe) or wipe the whole phone. A phone below
// 16.1 cannot honour the first, so it is shown disabled with the reason.
import { Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Device } from './api';
import { ConfirmDialog } from './ConfirmDialog';
import { strings } from './strings';

const s = strings.wipe;
export type WipeScope = 'device' | 'account';

export function WipeDialog({
  device,
  name,
  opened,
  onClose,
  onWipe,
}: {
  device: Device | null;
  name: string;
  opened: boolean;
  onClose: () => void;
  onWipe: (scope: WipeScope) => Promise<void>;
}) {
  const canAccount = device?.accountOnlyWipe ?? false;
  const [scope, setScope] = useState<WipeScope>(canAccount ? 'account' : 'device');
  // Each opening starts from the gentler choice the device allows.
  useEffect(() => {
    if (opened) setScope(canAccount ? 'account' : 'device');
  }, [opened, canAccount]);
  return (
    <ConfirmDialog
      opened={opened}
      title={s.title(name)}
      confirmLabel={s.confirm}
      danger
      errorTestId="wipe-error"
      onClose={onClose}
      onConfirm={() => onWipe(scope)}
      body={
        <Stack gap="sm" mb="lg">
          <Text size="sm">{s.intro}</Text>
          <Radio.Group value={scope} onChange={(v) => setScope(v as WipeScope)} label={s.scopeLabel} data-testid="wipe-scope">
            <Stack gap="sm" mt="xs">
              <Radio
                value="account"
                disabled={!canAccount}
                label={s.account}
                description={canAccount ? s.accountHint : s.accountUnsupported(device?.protocolVersion ?? '')}
              />
              <Radio value="device" label={s.device} description={s.deviceHint} />
            </Stack>
          </Radio.Group>
        </Stack>
      }
    />
  );
}

/** The wipe of a device as one line: what was asked, and when it was asked or acknowledged. */
export function wipeSummary(d: Device, format: (iso: string) => string): { label: string; detail: string } | null {
  if (d.wipeState === 'none') return null;
  const scope = d.wipeScope ?? 'device';
  const label = s.states[d.wipeState][scope];
  if (d.wipeState === 'wiped') return { label, detail: d.wipeDoneAt ? s.doneAt(format(d.wipeDoneAt)) : '' };
  return { label, detail: [d.wipeRequestedAt ? s.requestedAt(format(d.wipeRequestedAt)) : '', s.waiting].filter(Boolean).join(', ') };
}
