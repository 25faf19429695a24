// The list of the caller's credentials of one kind. It holds credentials only: a secret never
// enters it (secrets live in the state of the open creation dialog).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Credential, type CredentialKind } from '../common/api';
import { ofKind } from './label';

export type ListState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: Credential[] };

export function useCredentials(kind: CredentialKind) {
  const [state, setState] = useState<ListState>({ status: 'loading' });
  // Only the answer to the latest request counts.
  const latest = useRef(0);

  const load = useCallback(() => {
    const request = ++latest.current;
    setState({ status: 'loading' });
    api.listCredentials().then(
      (items) => request === latest.current && setState({ status: 'ready', items: ofKind(items, kind) }),
      (error: unknown) => request === latest.current && setState({ status: 'error', error }),
    );
  }, [kind]);

  useEffect(() => {
    load();
    return () => {
      latest.current++;
    };
  }, [load]);

  /** A credential just created (the server lists the newest last), or a new state of one listed. */
  const add = useCallback((c: Credential) => {
    setState((s) => {
      if (s.status !== 'ready') return s;
      const at = s.items.findIndex((x) => x.id === c.id);
      return { ...s, items: at < 0 ? [...s.items, c] : s.items.map((x, i) => (i === at ? c : x)) };
    });
  }, []);

  const remove = useCallback((id: number) => {
    setState((s) => (s.status === 'ready' ? { ...s, items: s.items.filter((x) => x.id !== id) } : s));
  }, []);

  return { state, reload: load, add, remove };
}
