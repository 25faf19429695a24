// The admin part of the SPA (accounts, domains, COS, 2FA policy, devices) will live here.
export {};
