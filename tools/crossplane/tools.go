//go:build tools

// Pins Crossplane core (the `crossplane` binary that runs in a cluster) for the
// local control plane (`make e2e-local`), same module and version as tools/crank.
// The Makefile sets internal/version.version: without it every package is
// refused as "incompatible Crossplane version".
package tools

import _ "github.com/crossplane/crossplane/v2/cmd/crossplane"
