// OTP entries, PIN codes and the 2FA switch. Not built yet.
import { NotAvailable } from '../common/Section';
import { strings } from '../common/strings';

const s = strings.sections.otp;

export function OtpSection() {
  return <NotAvailable title={s.title} intro={s.intro} message={s.unavailable} />;
}
