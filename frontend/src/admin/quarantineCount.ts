// The number of devices awaiting approval, for the navigation: loaded when the admin area
// opens and again whenever a page of it decides on a device (quarantineChanged).
import { useEffect, useState } from 'react';
import { api } from '../common/api';

const EVENT = 'tessera:quarantine-changed';

/** Tells the navigation that a device left (or entered) the quarantine. */
export function quarantineChanged() {
  window.dispatchEvent(new Event(EVENT));
}

/** The count, or null while unknown or when it cannot be read (it is then not shown). */
export function useQuarantineCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () =>
      api.admin.quarantine().then(
        (items) => live && setCount(items.length),
        () => live && setCount(null),
      );
    void load();
    window.addEventListener(EVENT, load);
    return () => {
      live = false;
      window.removeEventListener(EVENT, load);
    };
  }, [enabled]);
  return count;
}
