// Passkeys: the list of the caller's passkeys, NEW PASSKEY + and DELETE x. A passkey is a second
// factor as an OTP entry is (the 2FA switch is in OTP Authentication), and can sign in without
// the password where the policy allows it.
import { Text } from '@mantine/core';
import { PasskeyIcon } from '../common/icons';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { CredentialListCard } from '../credentials/CredentialListCard';
import { useCredentials } from '../credentials/useCredentials';
import { NewPasskeyDialog } from './NewPasskeyDialog';
import { PasskeyEntry } from './PasskeyEntry';

const s = strings.sections.passkeys;

export function PasskeysSection() {
  const list = useCredentials('passkey');
  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      <CredentialListCard
        title={s.listTitle}
        newLabel={s.newButton}
        list={list}
        loadError={s.loadError}
        empty={{ icon: <PasskeyIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'passkeys-empty' }}
        listLabel={s.listLabel}
        entry={(c, place, onDelete) => <PasskeyEntry key={c.id} entry={c} place={place} onDelete={onDelete} />}
        newDialog={(opened, onClose) => <NewPasskeyDialog opened={opened} onClose={onClose} onCreated={list.add} />}
        deleteBody={() => (
          <Text size="sm" mb="lg">
            {s.deleteBody}
          </Text>
        )}
      />
    </>
  );
}
