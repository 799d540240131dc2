// Reduces Kubernetes' OpenAPI v3 documents (api/openapi-spec/v3 of
// k8s.io/kubernetes) to the schemas of the built-in kinds the platform emits
// and what they reference, descriptions dropped. Used by
// test/upstream/extract.sh; the output is committed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const KINDS = {
  'api__v1_openapi.json': ['ConfigMap', 'Namespace', 'Secret', 'Service', 'ServiceAccount', 'PersistentVolumeClaim'],
  'apis__apps__v1_openapi.json': ['Deployment', 'StatefulSet'],
  'apis__batch__v1_openapi.json': ['Job', 'CronJob'],
  'apis__networking.k8s.io__v1_openapi.json': ['NetworkPolicy', 'Ingress'],
  'apis__autoscaling__v2_openapi.json': ['HorizontalPodAutoscaler'],
  'apis__rbac.authorization.k8s.io__v1_openapi.json': ['ClusterRole'],
};
const all = {};
const kinds = {};
for (const [file, names] of Object.entries(KINDS)) {
  const schemas = JSON.parse(readFileSync(join(dir, file), 'utf8')).components.schemas;
  Object.assign(all, schemas);
  for (const [id, s] of Object.entries(schemas)) {
    for (const gvk of s['x-kubernetes-group-version-kind'] ?? []) {
      if (names.includes(gvk.kind) && id.startsWith('io.k8s.api.')) {
        kinds[`${gvk.group ? gvk.group + '/' : ''}${gvk.version}/${gvk.kind}`] = id;
      }
    }
  }
}
const strip = (v) => {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'description')
        .map(([k, x]) => [k, strip(x)]),
    );
  return v;
};
const out = {};
const visit = (id) => {
  if (out[id]) return;
  out[id] = strip(all[id]);
  JSON.stringify(all[id]).replace(/"\$ref":"#\/components\/schemas\/([^"]+)"/g, (_m, ref) => (visit(ref), ''));
};
for (const id of Object.values(kinds)) visit(id);
const sorted = Object.fromEntries(
  Object.keys(out)
    .sort()
    .map((k) => [k, out[k]]),
);
process.stdout.write(JSON.stringify({ source: 'k8s.io/kubernetes@v1.35.4 api/openapi-spec/v3', kinds, schemas: sorted }, null, 1) + '\n');
