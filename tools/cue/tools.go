//go:build tools

// Pins CUE v0.9.2, the CUE that KubeVela 1.10 evaluates templates with.
// golang.org/x/tools is raised above what cue v0.9.2 asks for because the old
// one does not compile with Go >= 1.25 (internal/tokeninternal); the CUE
// language implementation is unchanged.
package tools

import _ "cuelang.org/go/cmd/cue"
