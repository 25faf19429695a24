import { notifications } from '@mantine/notifications';
import { CheckIcon } from './icons';

/** The green note that an action worked. */
export function notifyDone(message: string) {
  notifications.show({ color: 'teal', icon: <CheckIcon size={18} />, message });
}
