// argocd-health: ArgoCD's own resource health evaluation (v3.6.2), for the
// unit tests of gitops/argocd/argocd-cm.yaml (test/conformance/argocd-health.test.ts).
//
// It reads the ConfigMap the way ArgoCD does (util/settings SettingsManager
// over a fake clientset holding it: resource.customizations.health.<group_kind>
// keys → ResourceOverrides) and evaluates each object with the function the
// application controller calls (controller/health.go: gitops-engine
// pkg/health.GetResourceHealth with lua.ResourceHealthOverrides), so a script
// runs in ArgoCD's gopher-lua with ArgoCD's libraries, timeout and result
// checks, and built-in checks (Deployment, resource_customizations/...) apply
// to kinds the ConfigMap does not customise.
//
// Usage: argocd-health ARGOCD_CM.yaml < objects.json (a JSON array of objects).
// Prints a JSON array, one {"status","message"} or {"error"} per object
// ({} when ArgoCD has no health check for the kind).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/health"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"
)

type result struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "argocd-health:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: argocd-health ARGOCD_CM.yaml < objects.json")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	var cm corev1.ConfigMap
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return fmt.Errorf("%s: %w", os.Args[1], err)
	}
	// The settings manager looks for argocd-cm in its own namespace.
	mgr := settings.NewSettingsManager(context.Background(), fake.NewClientset(&cm), cm.Namespace)
	overrides, err := mgr.GetResourceOverrides()
	if err != nil {
		return fmt.Errorf("ArgoCD refuses the resource customizations of %s: %w", os.Args[1], err)
	}
	var objects []map[string]any
	if err := json.NewDecoder(os.Stdin).Decode(&objects); err != nil {
		return fmt.Errorf("stdin: %w", err)
	}
	out := make([]result, 0, len(objects))
	for _, o := range objects {
		hs, err := health.GetResourceHealth(&unstructured.Unstructured{Object: o}, lua.ResourceHealthOverrides(overrides))
		switch {
		case err != nil:
			out = append(out, result{Error: err.Error()})
		case hs == nil:
			out = append(out, result{})
		default:
			out = append(out, result{Status: string(hs.Status), Message: hs.Message})
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
