// The list of the caller's credentials of one kind. It holds credentials only: a secret never
// enters it (secrets live in the state of the open creation dialog).
import { useCallback } from 'react';
import { api, type Credential, type CredentialKind } from '../common/api';
import { useLoad, type Load } from '../common/load';
import { ofKind } from './label';

export type ListState = Load<Credential[]>;

export function useCredentials(kind: CredentialKind) {
  const { state, reload, setState } = useLoad(async () => ofKind(await api.listCredentials(), kind), [kind]);

  /** A credential just created (the server lists the newest last), or a new state of one listed. */
  const add = useCallback(
    (c: Credential) => {
      setState((s) => {
        if (s.status !== 'ready') return s;
        const at = s.data.findIndex((x) => x.id === c.id);
        return { ...s, data: at < 0 ? [...s.data, c] : s.data.map((x, i) => (i === at ? c : x)) };
      });
    },
    [setState],
  );

  const remove = useCallback(
    (id: number) => {
      setState((s) => (s.status === 'ready' ? { ...s, data: s.data.filter((x) => x.id !== id) } : s));
    },
    [setState],
  );

  const load = useCallback(() => reload(), [reload]);
  return { state, reload: load, add, remove };
}
