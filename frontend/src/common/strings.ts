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
      intro:
        'A password only for Exchange ActiveSync, for the mail app of your phone or tablet. It keeps working when you change your account password.',
      newTitle: 'New Exchange ActiveSync password',
      empty: 'You have no Exchange ActiveSync passwords yet.',
      emptyHint: 'Create one for each phone or tablet, so that you can remove one device without touching the others.',
      createdTitle: (label: string) => `Password for “${label}”`,
      useIt: (email: string) => `On your device, sign in with your email address ${email} and this password.`,
      limitReached: 'You have reached the maximum number of Exchange ActiveSync passwords. Delete one first.',
    },
    mobileApps: {
      title: 'Mobile Apps',
      intro: 'A QR code to log in to the mobile app: scan it from the login page of the app.',
      newTitle: 'New mobile app QR code',
      empty: 'You have no mobile app QR codes yet.',
      emptyHint: 'Create one for each device that runs the mobile app.',
      createdTitle: (label: string) => `QR code for “${label}”`,
      useIt: (email: string) => `Scan it from the login page of the mobile app, and the app logs in as ${email}.`,
      limitReached: 'You have reached the maximum number of mobile app QR codes. Delete one first.',
    },
    appPasscodes: {
      title: 'Application passcodes',
      intro:
        'A passcode for a desktop mail app (IMAP, POP3, SMTP, CalDAV, CardDAV) or for Exchange ActiveSync. When two-factor authentication is on, your account password no longer works there: use a passcode instead. Passcodes are revoked when you change your account password.',
      newTitle: 'New application passcode',
      empty: 'You have no application passcodes yet.',
      emptyHint: 'Create one for each mail or calendar app, so that you can revoke one without touching the others.',
      createdTitle: (label: string) => `Passcode for “${label}”`,
      useIt: (email: string) => `In the app, sign in with your email address ${email} and this passcode as the password.`,
      limitReached: 'You have reached the maximum number of application passcodes. Delete one first.',
    },
    otp: {
      title: 'OTP Authentication',
      intro: 'One-time codes from an authenticator app, and printable PIN codes, as a second factor at login.',
      unavailable: 'OTP authentication is not available yet.',
    },
    comingSoon: 'Coming soon',
  },

  // What the credential sections (Exchange ActiveSync, Mobile Apps, Application passcodes) share.
  credentials: {
    activeTitle: 'Active passwords',
    listLabel: 'Active passwords',
    newButton: 'NEW AUTHENTICATION',
    loadError: 'The list could not be loaded.',
    labelField: 'Authentication description',
    labelHint: 'A name that tells you where it is used, such as “Anna’s phone”.',
    labelCount: (n: number, max: number) => `${n} / ${max}`,
    labelRequired: 'Enter a description.',
    labelTooLong: (max: number) => `A description has at most ${plural(max, 'character', 'characters')}.`,
    labelInvalid: 'A description cannot contain control characters.',
    create: 'CREATE PASSWORD',
    cancel: 'Cancel',
    copyPassword: 'COPY PASSWORD',
    copyPayload: 'Copy code text',
    copied: 'Copied',
    copyFailed: 'It could not be copied. Select it and copy it yourself.',
    passwordLabel: 'New password',
    qrAlt: (label: string) => `QR code to log in to the mobile app (${label})`,
    warnPassword: 'This password cannot be displayed again after you close this window.',
    warnQr: 'This QR code cannot be displayed again after you close this window.',
    done: 'DONE',
    status: {
      enabled: 'Enabled',
      disabled: 'Disabled',
      locked: 'Locked',
      expired: 'Expired',
      pending: 'Pending',
    },
    services: {
      web: 'Web',
      eas: 'Exchange ActiveSync',
      mobile_app: 'Mobile app',
      imap: 'IMAP',
      pop3: 'POP3',
      smtp: 'SMTP',
      caldav: 'CalDAV',
      carddav: 'CardDAV',
    },
    validFor: 'Valid for',
    createdAt: (when: string) => `Created ${when}`,
    lastUsed: (when: string) => `last used ${when}`,
    expires: (when: string) => `expires ${when}`,
    delete: 'DELETE',
    deleteName: (label: string) => `Delete ${label}`,
    deleteTitle: (label: string) => `Delete ${label}?`,
    deleteBody: 'Devices using it will stop working.',
    yes: 'YES',
    no: 'NO',
    deleted: (label: string) => `“${label}” was deleted.`,
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
    second_factor_required: 'This account logs in with a second factor, which this page cannot ask for yet.',
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
    label_taken: 'You already have one with that description.',
    limit_reached: 'You have reached the maximum number allowed. Delete one first.',
    conflict: 'That changed in the meantime. Reload the page and try again.',
    unavailable: 'The service is unavailable right now. Try again in a moment.',
    internal: 'Something went wrong on the server. Try again in a moment.',
    network: 'The server could not be reached. Check your connection and try again.',
    unknown: 'Something went wrong. Try again.',
  },
} as const;
