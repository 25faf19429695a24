// The generated password after an administrator's reset: shown once, to pass on to the user.
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { SecretModal } from '../credentials/SecretModal';
import { CopySecret } from '../credentials/SecretView';
import { strings } from '../common/strings';

const s = strings.admin.account;

interface Props {
  email: string;
  /** The password to show; null keeps the dialog closed. */
  password: string | null;
  /** The user must change it at the next login. */
  requireChange: boolean;
  onClose: () => void;
}

export function NewPasswordDialog({ email, password, requireChange, onClose }: Props) {
  return (
    <SecretModal opened={password !== null} onClose={onClose} guarded lost={strings.closeSecret.password} title={s.newPasswordTitle(email)} centered>
      <Stack gap="md">
        <Text size="sm">
          {s.newPasswordBody}
          {requireChange && ` ${s.newPasswordMustChange}`}
        </Text>
        <Code block fz="lg" ta="center" data-testid="reset-password" style={{ userSelect: 'all', letterSpacing: '0.04em' }}>
          {password}
        </Code>
        <Group justify="space-between">
          <CopySecret text={password ?? ''} label={s.copyPassword} variant="light" statusId="reset-copy-status" />
          <Button onClick={onClose}>{s.done}</Button>
        </Group>
      </Stack>
    </SecretModal>
  );
}
