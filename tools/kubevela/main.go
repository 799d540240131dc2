// Command oam-render renders one component of an OAM Application and its
// traits through KubeVela's own evaluation code, so the test suite sees what
// vela-core sees: the workload template compiled with its parameter and
// context, then each trait in order, its `outputs` collected, its `patch`
// merged into the workload by KubeVela's strategic unify (patchKey,
// patchStrategy retainKeys/replace/jsonPatch/jsonMergePatch), its
// `patchOutputs` applied and its `errs` reported.
//
// The steps mirror vela-core's workloadDef.Complete and traitDef.Complete
// (github.com/oam-dev/kubevela pkg/cue/definition/template.go, v1.10.x); the
// merge itself is github.com/kubevela/workflow pkg/cue/model (the module
// version vela-core v1.10.9 requires, see go.mod), not a re-implementation.
//
// Input (stdin, JSON): {"component": {"type", "template", "parameter"},
// "context": {...}, "traits": [{"type", "template", "parameter"}]}.
// Output (stdout, JSON): {"output", "outputs": [{"name", "from", "object"}]}
// or {"error"}. Exit status 0 either way; 2 for unusable input.
//
// `oam-render merge` instead reads {"base": {...}, "patch": {...}} and prints
// the properties an `override` policy gives a component or trait: vela-core's
// envbinding.MergeRawExtension, mergo.Merge(base, patch, mergo.WithOverride).
//
// `oam-render status` reads {"healthPolicy", "customStatus", "context",
// "parameter"} and prints {"healthy", "message"} with the evaluation errors
// vela-core only logs ("healthError", "messageError"): health.CheckHealth and
// getStatusMessage (pkg/cue/definition/health/health.go, v1.10.9), which
// compile the template with `context: <live objects>` and `parameter`.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"github.com/imdario/mergo"
	"github.com/kubevela/workflow/pkg/cue/model"
	"github.com/kubevela/workflow/pkg/cue/model/sets"
)

type definition struct {
	Type      string `json:"type"`
	Template  string `json:"template"`
	Parameter any    `json:"parameter"`
}

type request struct {
	Component definition     `json:"component"`
	Context   map[string]any `json:"context"`
	Traits    []definition   `json:"traits"`
}

type auxiliary struct {
	Name string         `json:"name"`
	From string         `json:"from"`
	ins  model.Instance `json:"-"`
	Obj  any            `json:"object"`
}

type response struct {
	Output  any         `json:"output,omitempty"`
	Outputs []auxiliary `json:"outputs"`
	Error   string      `json:"error,omitempty"`
}

// renderer holds what vela-core's process.Context holds between steps.
type renderer struct {
	context     map[string]any
	base        model.Instance
	auxiliaries []auxiliary
}

func parameterFile(params any) (string, error) {
	if params == nil {
		return "", nil
	}
	bt, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	if string(bt) == "null" {
		return "", nil
	}
	return "parameter: " + string(bt), nil
}

// contextFile is process.Context.BaseContextFile: the context data, plus the
// workload so far as `output` and the auxiliaries as `outputs`.
func (r *renderer) contextFile() (string, error) {
	data := map[string]any{}
	for k, v := range r.context {
		data[k] = v
	}
	if r.base != nil {
		out, err := marshal(r.base)
		if err != nil {
			return "", err
		}
		data["output"] = out
	}
	if len(r.auxiliaries) > 0 {
		outputs := map[string]any{}
		for _, a := range r.auxiliaries {
			o, err := marshal(a.ins)
			if err != nil {
				return "", err
			}
			outputs[a.Name] = o
		}
		data["outputs"] = outputs
	}
	bt, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	return "context: " + string(bt), nil
}

func marshal(ins model.Instance) (any, error) {
	bt, err := ins.Value().MarshalJSON()
	if err != nil {
		return nil, err
	}
	var v any
	err = json.Unmarshal(bt, &v)
	return v, err
}

func compile(source string) (cue.Value, error) {
	v := cuecontext.New().CompileString(source)
	return v, v.Err()
}

// collect appends a template's `outputs` as auxiliaries, as both Complete functions do.
func (r *renderer) collect(val cue.Value, from, what string) error {
	outputs := val.LookupPath(cue.ParsePath("outputs"))
	if !outputs.Exists() {
		return nil
	}
	iter, err := outputs.Fields(cue.Definitions(true), cue.Hidden(true), cue.All())
	if err != nil {
		return fmt.Errorf("invalid outputs of %s: %w", what, err)
	}
	for iter.Next() {
		if iter.Selector().IsDefinition() || iter.Selector().PkgPath() != "" || iter.IsOptional() {
			continue
		}
		other, _ := model.NewOther(iter.Value())
		r.auxiliaries = append(r.auxiliaries, auxiliary{Name: iter.Label(), From: from, ins: other})
	}
	return nil
}

// component is workloadDef.Complete.
func (r *renderer) component(d definition) error {
	params, err := parameterFile(d.Parameter)
	if err != nil {
		return err
	}
	if params == "" {
		params = "parameter: {}"
	}
	ctx, err := r.contextFile()
	if err != nil {
		return err
	}
	source := strings.Join([]string{d.Template + "\ncontext: _\nparameter: _\n", params, ctx}, "\n")
	val, err := compile(source)
	if err != nil {
		return fmt.Errorf("failed to compile workload %s after merge parameter and context: %w", d.Type, err)
	}
	if err := val.Validate(); err != nil {
		return fmt.Errorf("invalid cue template of workload %s after merge parameter and context: %w", d.Type, err)
	}
	r.base, _ = model.NewBase(val.LookupPath(cue.ParsePath("output")))
	return r.collect(val, "component", "workload "+d.Type)
}

// trait is traitDef.Complete (without the `processing` HTTP step, which no definition here uses).
func (r *renderer) trait(d definition) error {
	params, err := parameterFile(d.Parameter)
	if err != nil {
		return err
	}
	ctx, err := r.contextFile()
	if err != nil {
		return err
	}
	source := d.Template + "\n"
	if params != "" {
		source += params + "\n"
	}
	source += ctx
	val, err := compile(source)
	if err != nil {
		return fmt.Errorf("failed to compile trait %s after merge parameter and context: %w", d.Type, err)
	}
	if err := val.Validate(); err != nil {
		return fmt.Errorf("invalid template of trait %s after merge with parameter and context: %w", d.Type, err)
	}
	if err := r.collect(val, d.Type, "trait "+d.Type); err != nil {
		return err
	}
	if patcher := val.LookupPath(cue.ParsePath("patch")); patcher.Exists() {
		if r.base == nil {
			return fmt.Errorf("patch trait %s into an invalid workload", d.Type)
		}
		if err := r.base.Unify(patcher, sets.CreateUnifyOptionsForPatcher(patcher)...); err != nil {
			return fmt.Errorf("invalid patch trait %s into workload: %w", d.Type, err)
		}
	}
	if outputsPatcher := val.LookupPath(cue.ParsePath("patchOutputs")); outputsPatcher.Exists() {
		for _, a := range r.auxiliaries {
			target := outputsPatcher.LookupPath(cue.ParsePath(a.Name))
			if !target.Exists() {
				continue
			}
			if err := a.ins.Unify(target); err != nil {
				return fmt.Errorf("trait=%s, to=%s, invalid patch trait into auxiliary workload: %w", d.Type, a.Name, err)
			}
		}
	}
	// parseErrors: the first non-empty string of `errs` fails the trait.
	if errs := val.LookupPath(cue.ParsePath("errs")); errs.Exists() {
		if it, e := errs.List(); e == nil {
			for it.Next() {
				if s, err := it.Value().String(); err == nil && s != "" {
					return fmt.Errorf("%s", s)
				}
			}
		}
	}
	return nil
}

func run(req request) response {
	r := &renderer{context: req.Context}
	fail := func(err error) response { return response{Outputs: []auxiliary{}, Error: err.Error()} }
	if err := r.component(req.Component); err != nil {
		return fail(err)
	}
	for _, t := range req.Traits {
		if err := r.trait(t); err != nil {
			return fail(err)
		}
	}
	out, err := marshal(r.base)
	if err != nil {
		return fail(fmt.Errorf("invalid output of workload %s: %w", req.Component.Type, err))
	}
	res := response{Output: out, Outputs: []auxiliary{}}
	for _, a := range r.auxiliaries {
		if a.Obj, err = marshal(a.ins); err != nil {
			return fail(fmt.Errorf("invalid outputs(%s): %w", a.Name, err))
		}
		res.Outputs = append(res.Outputs, a)
	}
	return res
}

// merge is envbinding.MergeRawExtension (pkg/policy/envbinding/patch.go).
func merge() {
	var req struct {
		Base  map[string]any `json:"base"`
		Patch map[string]any `json:"patch"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "oam-render merge: reading the request:", err)
		os.Exit(2)
	}
	if req.Base == nil {
		req.Base = map[string]any{}
	}
	res := map[string]any{}
	if err := mergo.Merge(&req.Base, req.Patch, mergo.WithOverride); err != nil {
		res["error"] = "failed to do merge with override: " + err.Error()
	} else {
		res["merged"] = req.Base
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		os.Exit(2)
	}
}

// runtimeContext is health.formatRuntimeContext.
func runtimeContext(context map[string]any, parameter any) (string, error) {
	ctx, err := json.Marshal(context)
	if err != nil {
		return "", err
	}
	params := "parameter: {}\n"
	bt, err := json.Marshal(parameter)
	if err != nil {
		return "", err
	}
	if string(bt) != "null" {
		params = "parameter: " + string(bt) + "\n"
	}
	return "context: " + string(ctx) + "\n" + params, nil
}

func status() {
	var req struct {
		HealthPolicy string         `json:"healthPolicy"`
		CustomStatus string         `json:"customStatus"`
		Context      map[string]any `json:"context"`
		Parameter    any            `json:"parameter"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "oam-render status: reading the request:", err)
		os.Exit(2)
	}
	res := map[string]any{"healthy": true, "message": ""}
	// GetStatus: context.status exists; healthy is set in it before the message.
	statusMap := map[string]any{}
	req.Context["status"] = statusMap
	if req.HealthPolicy != "" {
		res["healthy"] = false
		rc, err := runtimeContext(req.Context, req.Parameter)
		if err != nil {
			os.Exit(2)
		}
		healthy, err := cuecontext.New().CompileString(req.HealthPolicy + "\n" + rc).LookupPath(cue.ParsePath("isHealth")).Bool()
		if err != nil {
			res["healthError"] = "evaluate health status: " + err.Error()
		} else {
			res["healthy"] = healthy
		}
	}
	statusMap["healthy"] = res["healthy"]
	if req.CustomStatus != "" {
		rc, err := runtimeContext(req.Context, req.Parameter)
		if err != nil {
			os.Exit(2)
		}
		val := cuecontext.New().CompileString(req.CustomStatus + "\n" + rc)
		if val.Err() != nil {
			res["messageError"] = "compile status template: " + val.Err().Error()
		} else if message, err := val.LookupPath(cue.ParsePath("message")).String(); err != nil {
			res["messageError"] = "evaluate customStatus.message: " + err.Error()
		} else {
			res["message"] = message
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		os.Exit(2)
	}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "merge" {
		merge()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "status" {
		status()
		return
	}
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "oam-render: reading the request:", err)
		os.Exit(2)
	}
	if err := json.NewEncoder(os.Stdout).Encode(run(req)); err != nil {
		fmt.Fprintln(os.Stderr, "oam-render:", err)
		os.Exit(2)
	}
}
