// Package metrics defines Tessera's Prometheus metrics and serves them on their own listener.
package metrics
