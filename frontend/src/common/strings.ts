// Every user-visible string of the app lives here (English).
// Functions are used where a value has to be put into the text.

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A wait in seconds, in words: "45 seconds", "2 minutes". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return plural(s, 'second', 'seconds');
  const m = Math.ceil(s / 60);
  if (m < 60) return plural(m, 'minute', 'minutes');
  return plural(Math.ceil(m / 60), 'hour', 'hours');
}

export const strings = {
  productName: 'Tessera',
  productTagline: 'Account credentials',
  loading: 'Loading…',
  retry: 'TRY AGAIN',
  togglePassword: 'Show or hide the password',
  close: 'Close',
  pageTitle: (section: string) => `${section} · Tessera`,

  login: {
    documentTitle: 'Log in',
    title: 'Log in to Tessera',
    subtitle: 'Manage your password, device passwords and second factor.',
    username: 'Username',
    usernamePlaceholder: 'you@example.com',
    password: 'Password',
    submit: 'LOG IN',
    usernameRequired: 'Enter your username (your email address).',
    passwordRequired: 'Enter your password.',
  },

  header: {
    signedInAs: 'Signed in as',
    logout: 'LOG OUT',
    logoutAll: 'Log out everywhere',
    menuLabel: 'Open the settings menu',
    logoutAllTitle: 'Log out of every session?',
    logoutAllBody:
      'This ends every session of your account, in every browser and on every computer, including this one.',
    logoutAllConfirm: 'LOG OUT EVERYWHERE',
    cancel: 'Cancel',
  },

  nav: {
    label: 'Settings',
    password: 'Change Password',
    eas: 'Exchange ActiveSync',
    mobileApps: 'Mobile Apps',
    appPasscodes: 'Application passcodes',
    otp: 'OTP Authentication',
  },

  sections: {
    eas: {
      title: 'Exchange ActiveSync',
      intro: 'Passwords for the mail apps of your phone and tablet that sync through Exchange ActiveSync.',
      unavailable: 'Exchange ActiveSync passwords are not available yet.',
    },
    mobileApps: {
      title: 'Mobile Apps',
      intro: 'QR codes that sign the mobile app in to your account.',
      unavailable: 'Mobile app credentials are not available yet.',
    },
    appPasscodes: {
      title: 'Application passcodes',
      intro: 'Passcodes for desktop mail clients (IMAP, POP3, SMTP) and calendars.',
      unavailable: 'Application passcodes are not available yet.',
    },
    otp: {
      title: 'OTP Authentication',
      intro: 'One-time codes from an authenticator app, and printable PIN codes, as a second factor at login.',
      unavailable: 'OTP authentication is not available yet.',
    },
    comingSoon: 'Coming soon',
  },

  password: {
    title: 'Change Password',
    intro: 'Choose a new password for your account. Other sessions will be signed out.',
    lastChanged: (when: string) => `Last changed ${when}.`,
    neverChanged: 'You have not changed your password yet.',
    current: 'Current password',
    new: 'New password',
    confirm: 'Confirm new password',
    submit: 'CHANGE PASSWORD',
    currentRequired: 'Enter your current password.',
    newRequired: 'Enter a new password.',
    confirmRequired: 'Confirm the new password.',
    mismatch: 'The confirmation does not match the new password.',
    changed: 'Password changed. Other sessions have been signed out.',
    policyLoading: 'Loading the password rules…',
    policyError: 'The password rules could not be loaded.',
    checklistTitle: 'Your new password needs',
    checkMet: 'met',
    checkNotMet: 'not met',
    note: 'Common passwords, your current password and passwords that contain your address are refused.',
    weakTitle: 'This password cannot be used:',
    checks: {
      min_length: (n: number) => `At least ${plural(n, 'character', 'characters')}`,
      max_length: (n: number) => `At most ${plural(n, 'character', 'characters')}`,
      lowercase: 'A lower-case letter',
      uppercase: 'An upper-case letter',
      digit: 'A digit',
      symbol: 'A symbol (anything but a letter or digit)',
      matches: 'Matches the confirmation',
    },
  },

  // Words for each rule the server can name in a weak_password error's details.
  weakRules: {
    min_length: (n?: number) =>
      n ? `It is shorter than ${plural(n, 'character', 'characters')}.` : 'It is too short.',
    max_length: (n?: number) =>
      n ? `It is longer than ${plural(n, 'character', 'characters')}.` : 'It is too long.',
    lowercase: 'It needs a lower-case letter.',
    uppercase: 'It needs an upper-case letter.',
    digit: 'It needs a digit.',
    symbol: 'It needs a symbol.',
    common_password: 'This password is too common.',
    contains_username: 'It contains your username.',
    not_current: 'It is the same as your current password.',
  },

  // Friendly text for each API error code; an unknown code shows the server's message.
  errors: {
    invalid_credentials: 'Wrong username or password',
    wrong_current_password: 'Your current password is wrong.',
    unauthenticated: 'Your session has ended. Log in again.',
    csrf: 'Your session could not be verified. Reload the page and try again.',
    forbidden: 'You are not allowed to do that.',
    not_found: 'That was not found.',
    invalid_request: 'The request was not valid. Check the fields and try again.',
    weak_password: 'This password does not meet the rules.',
    too_many_attempts: 'Too many attempts. Wait a while and try again.',
    too_many_attempts_wait: (wait: string) => `Too many attempts. Try again in ${wait}.`,
    request_too_large: 'That is too long.',
    label_taken: 'You already have one with that name. Choose another name.',
    limit_reached: 'You have reached the maximum number allowed. Delete one first.',
    conflict: 'That changed in the meantime. Reload the page and try again.',
    unavailable: 'The service is unavailable right now. Try again in a moment.',
    internal: 'Something went wrong on the server. Try again in a moment.',
    network: 'The server could not be reached. Check your connection and try again.',
    unknown: 'Something went wrong. Try again.',
  },
} as const;
