// The three kinds of credential a user creates on the settings page, and what differs between them.
import type { ReactNode } from 'react';
import type { CredentialKind } from '../common/api';
import { AppsIcon, PhoneIcon, SyncIcon } from '../common/icons';
import { strings } from '../common/strings';

type Words = (typeof strings.sections)['eas' | 'mobileApps' | 'appPasscodes'];

export interface KindInfo {
  kind: Exclude<CredentialKind, 'otp'>;
  /** What the create response shows: a password (XXXX-XXXX-XXXX-XXXX) or a QR code. */
  secret: 'password' | 'qr';
  words: Words;
  icon: ReactNode;
  /** The new secret's dialog also shows what to type into a mail app (application passcodes). */
  mailSettings?: boolean;
}

export const EAS: KindInfo = {
  kind: 'eas',
  secret: 'password',
  words: strings.sections.eas,
  icon: <SyncIcon size={26} />,
};

export const MOBILE_APP: KindInfo = {
  kind: 'mobile_app',
  secret: 'qr',
  words: strings.sections.mobileApps,
  icon: <PhoneIcon size={26} />,
};

export const APP_PASSCODE: KindInfo = {
  kind: 'app_passcode',
  secret: 'password',
  words: strings.sections.appPasscodes,
  icon: <AppsIcon size={26} />,
  mailSettings: true,
};
