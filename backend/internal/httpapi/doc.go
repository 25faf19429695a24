// Package httpapi is the JSON API and the SPA server: thin Gin handlers that parse, call a service and map the result.
//
// The API is cut by area, each a small handler type holding only the services it calls, each
// declaring the small interfaces it uses beside it, and each registering its own routes on the
// tiers of routers (public, any session, web session, full web session, administrator):
//
//   - authHandler (auth.go): login, second factor, the mobile app's login, logout;
//   - meHandler (me.go): the user's profile, password, two-factor switch and devices;
//   - credentialsHandler (credentials.go) and otpHandler (otp.go): the user's credentials, and
//     finishing an OTP entry (first code, PIN sheet);
//   - passkeysHandler (passkeys.go): enrolling a passkey, and the passkey steps of a login
//     (second factor, passwordless), answered as a password login is (package passkey);
//   - appleProfileIssuer and appleProfileHandler (appleprofile.go): the one-time Apple
//     configuration profile made with a new EAS password or passcode, and its single download
//     (package appleprofile);
//   - adminAccounts, adminCredentials, adminDevices, adminOrgs, adminSettings and adminAudit
//     (admin_*.go), behind adminGate;
//   - proxyAuth (proxyauth.go): nginx's mail auth_http;
//   - easMount (easmount.go): Exchange ActiveSync, served by package eas;
//   - autodiscoverMount and adminDNS (autodiscover.go): Autodiscover and autoconfig, served by
//     package autodiscover, and a domain's DNS records for its administrators;
//   - spa (spa.go): the built web interface for every other path.
//
// What every request passes through is shared: recovery, security headers, request ids, the
// request log and metrics, body limits and the one error middleware (shared, errors.go), the
// session and CSRF check (sessionGate, session.go), and the cookies (cookies).
package httpapi
