// The list card of a credential section (ACTIVE PASSWORDS, OTP entries): the list, NEW … + beside
// its title, the creation dialog, and DELETE x with its question.
import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useRef, useState, type ReactNode } from 'react';
import type { Credential } from '../common/api';
import { PlusIcon } from '../common/icons';
import { ListCard, type EntryPlace } from '../common/ListCard';
import { DeleteDialog } from './DeleteDialog';
import type { useCredentials } from './useCredentials';

interface Props {
  title: string;
  newLabel: string;
  list: ReturnType<typeof useCredentials>;
  loadError: string;
  empty: { icon: ReactNode; title: string; hint: string; testId: string };
  listLabel: string;
  entry: (c: Credential, place: EntryPlace, onDelete: () => void) => ReactNode;
  /** The creation dialog. */
  newDialog: (opened: boolean, onClose: () => void) => ReactNode;
  /** What deleting `target` means; the default words when absent. */
  deleteBody?: (target: Credential | null) => ReactNode;
}

export function CredentialListCard({ title, newLabel, list, loadError, empty, listLabel, entry, newDialog, deleteBody }: Props) {
  const { state, reload, remove } = list;
  const [createOpened, create] = useDisclosure(false);
  const [deleteOpened, del] = useDisclosure(false);
  const [toDelete, setToDelete] = useState<Credential | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  // The DELETE button that opened the confirmation is gone once YES worked: focus goes to
  // NEW … + rather than getting lost.
  const deleted = useRef(false);

  const onDeleted = (id: number) => {
    deleted.current = true;
    remove(id);
  };
  const afterDeleteDialog = () => {
    if (deleted.current) newButton.current?.focus();
    deleted.current = false;
  };
  const askDelete = (c: Credential) => {
    setToDelete(c);
    del.open();
  };

  return (
    <>
      <ListCard
        title={title}
        action={
          <Button ref={newButton} rightSection={<PlusIcon size={16} />} onClick={create.open} disabled={state.status !== 'ready'}>
            {newLabel}
          </Button>
        }
        state={state}
        onRetry={reload}
        loadError={loadError}
        empty={empty}
        listLabel={listLabel}
        keyOf={(c) => c.id}
      >
        {(c, place) => entry(c, place, () => askDelete(c))}
      </ListCard>
      {newDialog(createOpened, create.close)}
      <DeleteDialog
        target={toDelete}
        opened={deleteOpened}
        onClose={del.close}
        onDeleted={onDeleted}
        onExited={afterDeleteDialog}
        body={deleteBody?.(toDelete)}
      />
    </>
  );
}
