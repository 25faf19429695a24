// Administration › Audit log: filters (account, actor, kind, from, to), the events, and the same
// events as a CSV download.
import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../common/api';
import { saveBlob } from '../common/download';
import { errorMessage } from '../common/errors';
import { AlertIcon } from '../common/icons';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { AuditTable } from './AuditTable';
import { auditKindOptions } from './auditKinds';
import { LoadError, Loading, useLoad } from '../common/load';
import { notifyDone } from '../common/notify';
import { Forbidden, isForbidden } from './common';
import { auditQuery, NO_FILTERS, type AuditFilters } from './logic';

const s = strings.admin.audit;
// The kinds by readable name: the filter needs no internal names.
const kindOptions = [{ value: '', label: s.anyKind }, ...auditKindOptions()];

export function AuditPage() {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [downloading, setDownloading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const { state, reload } = useLoad(() => api.admin.audit(auditQuery(applied, page)), [applied, page]);

  if (state.status === 'error' && isForbidden(state.error)) return <Forbidden error={state.error} />;

  const field = (name: keyof AuditFilters, label: string, type = 'text') => (
    <TextInput
      label={label}
      type={type}
      value={draft[name]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setDraft((d) => ({ ...d, [name]: value }));
      }}
    />
  );

  const download = async () => {
    setDownloading(true);
    setFailure(null);
    try {
      saveBlob(await api.admin.auditCsv(auditQuery(applied)), s.fileName);
      notifyDone(s.downloaded);
    } catch (err) {
      setFailure(errorMessage(err));
    }
    setDownloading(false);
  };

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <form
          aria-label={s.filtersLabel}
          onSubmit={(e) => {
            e.preventDefault();
            setFailure(null);
            setApplied(draft);
            setPage(1);
          }}
        >
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
            {field('account', s.account)}
            {field('actor', s.actor)}
            {/* The browser's own select: keyboard, screen readers and phones know it. */}
            <NativeSelect
              label={s.kind}
              data={kindOptions}
              value={draft.kind}
              onChange={(e) => {
                const kind = e.currentTarget.value;
                setDraft((d) => ({ ...d, kind }));
              }}
              data-testid="audit-kind-filter"
            />
            {field('from', s.from, 'datetime-local')}
            {field('to', s.to, 'datetime-local')}
          </SimpleGrid>
          <Group justify="space-between" mt="md" mb="md">
            <Group gap="sm">
              <Button type="submit">{s.apply}</Button>
              <Button
                variant="subtle"
                onClick={() => {
                  setDraft(NO_FILTERS);
                  setApplied(NO_FILTERS);
                  setPage(1);
                }}
              >
                {s.clear}
              </Button>
            </Group>
            <Button variant="default" loading={downloading} onClick={download}>
              {s.downloadCsv}
            </Button>
          </Group>
        </form>
        <div aria-live="assertive" aria-atomic="true">
          {failure && (
            <Alert role="none" color="red" variant="light" icon={<AlertIcon />} mb="md">
              <Text size="sm">{failure}</Text>
            </Alert>
          )}
        </div>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <LoadError error={state.error} onRetry={() => reload()} />}
        {state.status === 'ready' && <AuditTable items={state.data.items} page={page} onPage={setPage} />}
      </Paper>
    </>
  );
}
