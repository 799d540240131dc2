//go:build tools

// Package tools pins the vela CLI (github.com/oam-dev/kubevela/references/cmd/cli).
package tools

import _ "github.com/oam-dev/kubevela/references/cmd/cli"
