import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { MemoryGraph } from '../src/answers/memory-graph.js';
import { allRoutes, RouteSearch } from '../src/answers/route-search.js';
import { transformKubernetes } from '../src/collectors/kubernetes/transform.js';
import { validateInventory } from '../src/model/validate.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { SummaryPlanner } from '../src/reachability/delegation.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';
const { raw } = syntheticKubernetesRaw({ pods: 10000, seed: 42 });
const environment = transformKubernetes(raw);
const analysis = await analyzeKubernetes(environment);
const valid = validateInventory(buildKubernetesInventory(environment, analysis, { sourceName: 'shape' }), 'shape');
const memory = MemoryGraph.fromInventory(valid);
const { graph, ids } = memory.hopGraph({ endingHops: false, ending: 'CAN_ACCESS', endsAt: ['Resource'] });
const search = new RouteSearch(graph, allRoutes(6), { routes: false });
const shorter = new RouteSearch(graph, allRoutes(5), { routes: false });
const planner = new SummaryPlanner(graph, search, true, shorter, true);
for (let p = 0; p < graph.size; p++) planner.principal(p, () => {});
const chosen = (planner as any).chosen as Int32Array;
const before = Int32Array.from(chosen);
const d = planner.finish(() => {});
const x = ids.indexOf('k8s:bench-eks:team0-app12:sa:svc4');
const c = (planner as any).candidates as Int32Array, o = (planner as any).candidateOffsets as Int32Array;
const cs = [];
for (let i = o[x]; i < o[x+1]; i += 3) cs.push(`${ids[c[i]]}/${c[i+1]}`);
console.log('candidates', cs, 'before', ids[before[x]], 'after', d.delegate[x]);
let q = before[x]; const chain = [];
while (q >= 0 && chain.length < 6) { chain.push(ids[q] + (d.delegate[q] >= 0 ? ' kept' : ' ')); q = before[q]; }
console.log('chain before', chain);
// who delegates into x before
let into = 0, intoKept = 0;
for (let p = 0; p < graph.size; p++) if (before[p] === x) { into++; if (d.delegate[p] === x) intoKept++; }
console.log('into x', into, intoKept);
