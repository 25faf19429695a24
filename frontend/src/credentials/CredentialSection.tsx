// One credential section (Exchange ActiveSync, Mobile Apps or Application passcodes): what it is
// for, the ACTIVE PASSWORDS list, NEW AUTHENTICATION + and DELETE x.
import type { ReactNode } from 'react';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { CredentialListCard } from './CredentialListCard';
import type { KindInfo } from './kinds';
import { NewCredentialDialog } from './NewCredentialDialog';
import { PasswordEntry } from './PasswordEntry';
import { useCredentials } from './useCredentials';

const s = strings.credentials;

/** `after`: more of the section below the list (the devices, under the EAS passwords). */
export function CredentialSection({ info, after }: { info: KindInfo; after?: ReactNode }) {
  const list = useCredentials(info.kind);
  return (
    <>
      <SectionHeader title={info.words.title} intro={info.words.intro} />
      <CredentialListCard
        title={info.words.activeTitle}
        newLabel={info.words.newButton}
        list={list}
        loadError={s.loadError}
        empty={{ icon: info.icon, title: info.words.empty, hint: info.words.emptyHint, testId: 'credentials-empty' }}
        listLabel={info.words.activeTitle}
        entry={(c, place, onDelete) => <PasswordEntry key={c.id} credential={c} place={place} onDelete={onDelete} />}
        newDialog={(opened, onClose) => <NewCredentialDialog info={info} opened={opened} onClose={onClose} onCreated={list.add} />}
      />
      {after}
    </>
  );
}
