// The live list of password rules, ticking as the user types.
import { Group, List, Loader, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import type { PasswordPolicy } from '../common/api';
import { CheckIcon, DotIcon } from '../common/icons';
import { strings } from '../common/strings';
import { checkPassword, type CheckId } from './passwordCheck';

const s = strings.password;

function label(id: CheckId, policy: PasswordPolicy): string {
  switch (id) {
    case 'min_length':
      return s.checks.min_length(policy.minLength);
    case 'max_length':
      return s.checks.max_length(policy.maxLength);
    default:
      return s.checks[id];
  }
}

interface Props {
  id: string;
  policy: PasswordPolicy | null;
  policyFailed: boolean;
  password: string;
  confirm: string;
}

export function PasswordChecklist({ id, policy, policyFailed, password, confirm }: Props) {
  if (!policy) {
    return (
      <Group id={id} gap="xs">
        {!policyFailed && <Loader size="xs" />}
        <Text size="sm" c={policyFailed ? 'red' : 'dimmed'}>
          {policyFailed ? s.policyError : s.policyLoading}
        </Text>
      </Group>
    );
  }
  // What the rules say of the field as it is: an empty one already meets "at most N characters".
  const checks = checkPassword(policy, password, confirm);
  return (
    <div id={id}>
      <Text size="sm" fw={600} mb="xs">
        {s.checklistTitle}
      </Text>
      <List spacing={6} size="sm" center listStyleType="none" data-testid="password-checklist">
        {checks.map((c) => (
          <List.Item
            key={c.id}
            data-check={c.id}
            data-ok={c.ok}
            icon={
              <ThemeIcon
                size={20}
                radius="xl"
                color={c.ok ? 'teal' : 'gray'}
                variant={c.ok ? 'filled' : 'light'}
                style={{ transition: 'background-color 150ms ease' }}
              >
                {c.ok ? <CheckIcon size={13} strokeWidth={3} /> : <DotIcon size={13} />}
              </ThemeIcon>
            }
          >
            <Text span size="sm" c={c.ok ? undefined : 'dimmed'}>
              {label(c.id, policy)}
            </Text>
            <VisuallyHidden>{`, ${c.ok ? s.checkMet : s.checkNotMet}`}</VisuallyHidden>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
