import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ChangePasswordPage } from './auth/ChangePasswordPage';
import { LoginPage } from './auth/LoginPage';
import { useSession } from './auth/session';
import { FullPageError, FullPageLoader } from './common/FullPage';
import { SettingsLayout } from './common/SettingsLayout';
import { AppPasscodesSection, EasSection, MobileAppsSection } from './credentials/sections';
import { OtpSection } from './otp/OtpSection';
import { PasskeysSection } from './passkeys/PasskeysSection';
import { AccountPage, AccountsPage, AuditPage, isAdmin, OrgsPage, QuarantinePage, SettingsPage } from './admin';
import { Forbidden } from './admin/common';

export const HOME = '/settings/password';

/** Shows its children only to a logged-in user; sends anyone else to /login. */
function RequireAuth({ children }: { children: React.ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'error') return <FullPageError />;
  if (state.status === 'anonymous') return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

/** The Administration pages answer a user who is no administrator with a message, not a redirect. */
function RequireAdmin({ children }: { children: React.ReactNode }) {
  const { me } = useSession();
  return isAdmin(me?.role) ? <>{children}</> : <Forbidden />;
}

function LoginRoute() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageLoader />;
  if (state.status === 'authenticated') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from?.startsWith('/settings/') || from?.startsWith('/admin/') ? from : HOME} replace />;
  }
  return <LoginPage />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route
        path="/settings"
        element={
          <RequireAuth>
            <SettingsLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="password" replace />} />
        <Route path="password" element={<ChangePasswordPage />} />
        <Route path="eas" element={<EasSection />} />
        <Route path="mobile-apps" element={<MobileAppsSection />} />
        <Route path="app-passcodes" element={<AppPasscodesSection />} />
        <Route path="otp" element={<OtpSection />} />
        <Route path="passkeys" element={<PasskeysSection />} />
        <Route path="*" element={<Navigate to="/settings/password" replace />} />
      </Route>
      <Route
        path="/admin"
        element={
          <RequireAuth>
            <SettingsLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="accounts" replace />} />
        <Route path="accounts" element={<RequireAdmin><AccountsPage /></RequireAdmin>} />
        <Route path="accounts/:email" element={<RequireAdmin><AccountPage /></RequireAdmin>} />
        <Route path="audit" element={<RequireAdmin><AuditPage /></RequireAdmin>} />
        <Route path="devices" element={<RequireAdmin><QuarantinePage /></RequireAdmin>} />
        <Route path="domains" element={<RequireAdmin><OrgsPage /></RequireAdmin>} />
        <Route path="settings" element={<RequireAdmin><SettingsPage /></RequireAdmin>} />
        <Route path="*" element={<Navigate to="/admin/accounts" replace />} />
      </Route>
      <Route path="*" element={<Navigate to={HOME} replace />} />
    </Routes>
  );
}
