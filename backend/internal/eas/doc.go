// Package eas is the Exchange ActiveSync endpoint (MS-ASHTTP): authentication, OPTIONS, and the commands as they are built.
package eas
