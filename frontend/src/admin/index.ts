// The Administration area of the SPA (global and domain administrators).
export { AccountPage } from './AccountPage';
export { AccountsPage } from './AccountsPage';
export { AuditPage } from './AuditPage';
export { OrgsPage } from './OrgsPage';
export { QuarantinePage } from './QuarantinePage';
export { SettingsPage } from './SettingsPage';
export { isAdmin } from './logic';
