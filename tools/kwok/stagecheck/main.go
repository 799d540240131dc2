// Command stagecheck runs kwok's own Stage code (sigs.k8s.io/kwok v0.8.0,
// the module tools/kwok pins) outside a cluster, for the fast tests of
// harness/controlplane/stages/.
//
//	stagecheck STAGE_FILE... < objects.json > results.json
//
// Every document of every file must decode strictly (unknown fields refused)
// as kwok's v1alpha1.Stage and load through kwok's config.Load, the path
// `kwok --config` takes. Then each input object goes through the lifecycle
// kwok's stage controller builds for its resourceRef
// (pkg/kwok/controllers/stage_controller.go: lifecycle.Match, Stage.DoSteps
// with the gotpl renderer): its patches are applied to the object the way
// the API server applies them (JSON merge patch; kwok's default for custom
// resources, pkg/utils/lifecycle/next.go computePatch), the objects its apply
// steps would create are collected, and the patched object is matched again,
// so a Stage that would match its own result forever (a hot loop on a real
// plane) shows up as `rematch`.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"sigs.k8s.io/kwok/pkg/apis/internalversion"
	"sigs.k8s.io/kwok/pkg/apis/v1alpha1"
	"sigs.k8s.io/kwok/pkg/config"
	"sigs.k8s.io/kwok/pkg/utils/gotpl"
	"sigs.k8s.io/kwok/pkg/utils/lifecycle"
)

type result struct {
	Stages  []string         `json:"stages"`
	Object  map[string]any   `json:"object"`
	Created []map[string]any `json:"created"`
	Events  []map[string]any `json:"events"`
	Rematch string           `json:"rematch,omitempty"`
	Error   string           `json:"error,omitempty"`
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "stagecheck:", err)
		os.Exit(1)
	}
}

// strict decodes every YAML document of a file as v1alpha1.Stage, refusing unknown fields.
func strict(file string) (int, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, doc := range bytes.Split(append([]byte("\n"), data...), []byte("\n---\n")) {
		j, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return n, fmt.Errorf("%s: %w", file, err)
		}
		if string(j) == "null" {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.DisallowUnknownFields()
		var s v1alpha1.Stage
		if err := dec.Decode(&s); err != nil {
			return n, fmt.Errorf("%s: document %d is not a kwok v1alpha1 Stage: %w", file, n+1, err)
		}
		if s.APIVersion != v1alpha1.GroupVersion.String() || s.Kind != v1alpha1.StageKind {
			return n, fmt.Errorf("%s: document %d is %s %s, not %s Stage", file, n+1, s.APIVersion, s.Kind, v1alpha1.GroupVersion)
		}
		if s.Spec.Selector == nil {
			// kwok ignores a Stage without a selector (lifecycle.NewStage returns nil).
			return n, fmt.Errorf("%s: Stage %s has no selector, kwok would ignore it", file, s.Name)
		}
		n++
	}
	return n, nil
}

func run(ctx context.Context, files []string, in io.Reader, out io.Writer) error {
	if len(files) == 0 {
		return fmt.Errorf("usage: stagecheck STAGE_FILE... < objects.json")
	}
	want := 0
	for _, f := range files {
		n, err := strict(f)
		if err != nil {
			return err
		}
		want += n
	}
	loaded, err := config.Load(ctx, files...)
	if err != nil {
		return err
	}
	stages := config.FilterWithType[*internalversion.Stage](loaded)
	if len(stages) != want {
		return fmt.Errorf("kwok's config.Load read %d Stages, the files hold %d", len(stages), want)
	}
	byRef := map[internalversion.StageResourceRef][]*internalversion.Stage{}
	for _, s := range stages {
		byRef[s.Spec.ResourceRef] = append(byRef[s.Spec.ResourceRef], s)
	}

	// Integers as int64, as the informer's unstructured objects hold them
	// (CEL compares int64 with int64 only).
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var objects []map[string]any
	if err := utiljson.Unmarshal(data, &objects); err != nil {
		return fmt.Errorf("objects on stdin: %w", err)
	}
	renderer := gotpl.NewRenderer(gotpl.FuncMap{})
	results := make([]result, 0, len(objects))
	for _, o := range objects {
		results = append(results, check(ctx, byRef, renderer, o))
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

func match(ctx context.Context, lc lifecycle.Lifecycle, obj *unstructured.Unstructured) (*lifecycle.Stage, error) {
	return lc.Match(ctx, &lifecycle.Event{Labels: obj.GetLabels(), Annotations: obj.GetAnnotations(), Data: obj})
}

func check(ctx context.Context, byRef map[internalversion.StageResourceRef][]*internalversion.Stage, renderer gotpl.Renderer, o map[string]any) result {
	obj := &unstructured.Unstructured{Object: o}
	r := result{Stages: []string{}, Created: []map[string]any{}, Events: []map[string]any{}}
	fail := func(err error) result {
		r.Error = err.Error()
		r.Object = obj.Object
		return r
	}
	// The resourceRef kwok's stage controller is started for: apiGroup is the group/version.
	ref := internalversion.StageResourceRef{APIGroup: obj.GetAPIVersion(), Kind: obj.GetKind()}
	lc, err := lifecycle.NewLifecycle(byRef[ref])
	if err != nil {
		return fail(err)
	}
	// Play stages until none matches, as the stage controller does on every
	// update event; more than a few rounds means a loop.
	for round := 0; round < 5; round++ {
		stage, err := match(ctx, lc, obj)
		if err != nil {
			return fail(err)
		}
		if stage == nil {
			r.Object = obj.Object
			return r
		}
		if round == 4 {
			r.Rematch = stage.Name()
			r.Object = obj.Object
			return r
		}
		r.Stages = append(r.Stages, stage.Name())
		current := obj.DeepCopy()
		_, err = stage.DoSteps(0, current.GetFinalizers(), current, renderer,
			func(e *internalversion.StageEvent) error {
				r.Events = append(r.Events, map[string]any{"type": e.Type, "reason": e.Reason, "message": e.Message})
				return nil
			},
			func() error { return fmt.Errorf("stage %s deletes the object", stage.Name()) },
			func(p *lifecycle.Patch) error {
				if p.Type != types.MergePatchType {
					return fmt.Errorf("stage %s: patch type %s (only merge patches are checked here)", stage.Name(), p.Type)
				}
				before, err := json.Marshal(obj.Object)
				if err != nil {
					return err
				}
				after, err := jsonpatch.MergePatch(before, p.Data)
				if err != nil {
					return err
				}
				next := map[string]any{}
				if err := utiljson.Unmarshal(after, &next); err != nil {
					return err
				}
				obj = &unstructured.Unstructured{Object: next}
				return nil
			},
			func(a *lifecycle.Apply) error {
				created := map[string]any{}
				if err := json.Unmarshal(a.Data, &created); err != nil {
					return err
				}
				r.Created = append(r.Created, created)
				return nil
			},
		)
		if err != nil {
			return fail(err)
		}
	}
	return r
}
