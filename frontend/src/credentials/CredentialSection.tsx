// One credential section (Exchange ActiveSync, Mobile Apps or Application passcodes): what it is
// for, the ACTIVE PASSWORDS list, NEW AUTHENTICATION + and DELETE x.
import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useRef, useState, type ReactNode } from 'react';
import type { Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon, PlusIcon } from '../common/icons';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { CredentialList } from './CredentialList';
import { DeleteDialog } from './DeleteDialog';
import type { KindInfo } from './kinds';
import { NewCredentialDialog } from './NewCredentialDialog';
import { useCredentials } from './useCredentials';

const s = strings.credentials;

/** `after`: more of the section below the list (the devices, under the EAS passwords). */
export function CredentialSection({ info, after }: { info: KindInfo; after?: ReactNode }) {
  const { state, reload, add, remove } = useCredentials(info.kind);
  const [createOpened, create] = useDisclosure(false);
  const [deleteOpened, del] = useDisclosure(false);
  const [toDelete, setToDelete] = useState<Credential | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  // The DELETE button that opened the confirmation is gone once YES worked: focus goes to
  // NEW AUTHENTICATION rather than getting lost.
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
      <SectionHeader title={info.words.title} intro={info.words.intro} />
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <Group justify="space-between" wrap="wrap" gap="sm" mb="xs">
          <Title order={2} size="h4">
            {info.words.activeTitle}
          </Title>
          <Button
            ref={newButton}
            rightSection={<PlusIcon size={16} />}
            onClick={create.open}
            disabled={state.status !== 'ready'}
          >
            {info.words.newButton}
          </Button>
        </Group>
        {state.status === 'loading' && (
          <Center py="xl">
            <Loader size="sm" aria-label={strings.loading} />
          </Center>
        )}
        {state.status === 'error' && (
          <Stack align="flex-start" py="md">
            <Alert color="red" variant="light" icon={<AlertIcon />} title={s.loadError} w="100%">
              <Text size="sm">{errorMessage(state.error)}</Text>
            </Alert>
            <Button variant="default" onClick={reload}>
              {strings.retry}
            </Button>
          </Stack>
        )}
        {state.status === 'ready' && <CredentialList info={info} items={state.data} onDelete={askDelete} />}
      </Paper>
      {after}
      <NewCredentialDialog info={info} opened={createOpened} onClose={create.close} onCreated={add} />
      <DeleteDialog
        target={toDelete}
        opened={deleteOpened}
        onClose={del.close}
        onDeleted={onDeleted}
        onExited={afterDeleteDialog}
      />
    </>
  );
}
