// The credential sections of the settings page (routes /settings/eas, /mobile-apps, /app-passcodes).
import { CredentialSection } from './CredentialSection';
import { DevicesCard } from './DevicesCard';
import { MailSettingsCard } from './MailSettings';
import { APP_PASSCODE, EAS, MOBILE_APP } from './kinds';

export function EasSection() {
  return <CredentialSection info={EAS} after={<DevicesCard />} />;
}

export function MobileAppsSection() {
  return <CredentialSection info={MOBILE_APP} />;
}

export function AppPasscodesSection() {
  return <CredentialSection info={APP_PASSCODE} after={<MailSettingsCard />} />;
}
