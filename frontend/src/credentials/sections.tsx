// Credential sections of the settings page. Not built yet: each says so plainly.
import { NotAvailable } from '../common/Section';
import { strings } from '../common/strings';

const s = strings.sections;

export function EasSection() {
  return <NotAvailable title={s.eas.title} intro={s.eas.intro} message={s.eas.unavailable} />;
}

export function MobileAppsSection() {
  return <NotAvailable title={s.mobileApps.title} intro={s.mobileApps.intro} message={s.mobileApps.unavailable} />;
}

export function AppPasscodesSection() {
  return <NotAvailable title={s.appPasscodes.title} intro={s.appPasscodes.intro} message={s.appPasscodes.unavailable} />;
}
