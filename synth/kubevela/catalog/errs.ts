/**
 * User-facing checks of a template as KubeVela's `errs` field: a list of
 * messages that KubeVela 1.10 reports as the render error when it is not
 * empty (pkg/cue/definition/template.go), instead of a forced CUE conflict
 * whose message the user would have to decode.
 */

/** `errs: [...]` from CUE list elements (comprehensions or `if cond {"message"}`). */
export function errsCue(elements: string[]): string {
  return `errs: [\n${elements.map((e) => `\t${e},`).join('\n')}\n]`;
}
