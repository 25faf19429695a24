// Package pinsheet renders a printable PDF sheet of an OTP entry's one-time PIN codes.
package pinsheet
