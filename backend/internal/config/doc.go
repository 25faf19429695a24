// Package config holds Tessera's one configuration struct: defaults in code, TESSERA_* overrides, validated at start.
package config
